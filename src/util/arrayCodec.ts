/**
 * A small binary container for typed arrays plus JSON metadata, used for dataset payloads
 * and model artifacts: [u32 header length][header JSON][8-byte aligned array bytes...].
 */
type Typed = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array;
const CTORS = { Float64Array, Float32Array, Int32Array, Int16Array, Int8Array, Uint8Array, Uint16Array, Uint32Array } as const;
type DType = keyof typeof CTORS;

interface Header {
  meta: unknown;
  arrays: { name: string; dtype: DType; length: number; offset: number }[];
}

export function encodeArrays(meta: unknown, arrays: Record<string, Typed>): Buffer {
  const entries: Header['arrays'] = [];
  let offset = 0;
  for (const [name, arr] of Object.entries(arrays)) {
    entries.push({ name, dtype: arr.constructor.name as DType, length: arr.length, offset });
    offset += Math.ceil(arr.byteLength / 8) * 8;
  }
  const header = Buffer.from(JSON.stringify({ meta, arrays: entries } satisfies Header), 'utf8');
  const start = Math.ceil((4 + header.length) / 8) * 8;
  const out = Buffer.alloc(start + offset);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  for (const e of entries) {
    const arr = arrays[e.name];
    Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).copy(out, start + e.offset);
  }
  return out;
}

export function decodeArrays<M>(buf: Uint8Array): { meta: M; arrays: Record<string, Typed> } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = b.readUInt32LE(0);
  const header = JSON.parse(b.subarray(4, 4 + len).toString('utf8')) as Header;
  const start = Math.ceil((4 + len) / 8) * 8;
  const arrays: Record<string, Typed> = {};
  for (const e of header.arrays) {
    const Ctor = CTORS[e.dtype];
    const bytes = e.length * Ctor.BYTES_PER_ELEMENT;
    // Copy into a fresh, aligned buffer (the source may be unaligned inside a pg Buffer).
    const copy = new Uint8Array(bytes);
    copy.set(b.subarray(start + e.offset, start + e.offset + bytes));
    arrays[e.name] = new Ctor(copy.buffer);
  }
  return { meta: header.meta as M, arrays };
}
