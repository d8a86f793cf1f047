export const LAYERS: string[][];
export function layerRules(): { files: string[]; rules: Record<string, unknown> }[];
