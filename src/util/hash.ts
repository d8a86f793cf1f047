import { createHash } from 'node:crypto';

/** Deterministic short id from parts: retried activities derive the same id and upsert. */
export function stableId(prefix: string, ...parts: (string | number)[]): string {
  return `${prefix}_${sha256Hex(parts.join('\u241f')).slice(0, 20)}`;
}

export function sha256Hex(buf: Uint8Array | string): string {
  return new Sha256().add(buf).hex();
}

/** Incremental SHA-256 (large typed arrays are fed piece by piece, never concatenated). */
export class Sha256 {
  private readonly h = createHash('sha256');

  add(data: Uint8Array | string): this {
    this.h.write(data);
    return this;
  }

  hex(): string {
    this.h.end();
    return (this.h.read() as Buffer).toString('hex');
  }
}

/** Canonical JSON (sorted keys) so equal configs hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
