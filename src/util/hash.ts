import { createHash } from 'node:crypto';

/** Deterministic short id from parts: retried activities derive the same id and upsert. */
export function stableId(prefix: string, ...parts: (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('\u241f')).digest('hex');
  return `${prefix}_${h.slice(0, 20)}`;
}

export function sha256Hex(buf: Uint8Array | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Canonical JSON (sorted keys) so equal configs hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
