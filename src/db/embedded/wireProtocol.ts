/**
 * Just enough of the Postgres wire protocol (v3) to relay whole messages between TCP clients
 * and PGlite: framing, the pre-startup requests, transaction status and two messages we write.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

export const PROTOCOL_3_0 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
/** Messages longer than this are refused: no legitimate client request comes close. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** A message before startup has no type byte: int32 length (itself included), int32 code. */
export function readStartupPacket(buf: Buffer): { length: number; code: number } | null {
  if (buf.length < 8) return null;
  const length = buf.readInt32BE(0);
  if (length < 8 || length > MAX_MESSAGE_BYTES) throw new Error(`invalid startup packet length ${length}`);
  return buf.length >= length ? { length, code: buf.readInt32BE(4) } : null;
}

/** The key/value parameters of a StartupMessage (after length and protocol version). */
export function startupParameters(packet: Buffer): Record<string, string> {
  const parts = packet.subarray(8).toString('utf8').split('\0');
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) out[parts[i]!] = parts[i + 1]!;
  return out;
}

/**
 * The complete typed messages at the start of `buf` (type byte + int32 length), as one slice,
 * and whether a Terminate ('X') ended them; an incomplete tail stays for the next read.
 */
export function takeMessages(buf: Buffer): { batch: Buffer; rest: Buffer; terminate: boolean } {
  let end = 0;
  for (let m = firstMessage(buf); m; m = firstMessage(buf.subarray(end))) {
    if (m[0] === 0x58 /* X */) return { batch: buf.subarray(0, end), rest: Buffer.alloc(0), terminate: true };
    end += m.length;
  }
  return { batch: buf.subarray(0, end), rest: buf.subarray(end), terminate: false };
}

/** The first complete typed message of `buf`, or null while it is incomplete. */
export function firstMessage(buf: Buffer): Buffer | null {
  if (buf.length < 5) return null;
  const length = buf.readInt32BE(1);
  if (length < 4 || length > MAX_MESSAGE_BYTES) throw new Error(`invalid message length ${length} for type '${String.fromCharCode(buf[0]!)}'`);
  return buf.length >= 1 + length ? buf.subarray(0, 1 + length) : null;
}

/** Status of the last ReadyForQuery ('Z') in a server response: 'I' idle, 'T' in a transaction, 'E' failed one; null if none. */
export function lastReadyStatus(out: Uint8Array): 'I' | 'T' | 'E' | null {
  let status: 'I' | 'T' | 'E' | null = null;
  let at = 0;
  while (out.length - at >= 5) {
    const length = ((out[at + 1]! << 24) | (out[at + 2]! << 16) | (out[at + 3]! << 8) | out[at + 4]!) >>> 0;
    if (out[at] === 0x5a /* Z */ && length === 5 && at + 5 < out.length) status = String.fromCharCode(out[at + 5]!) as 'I' | 'T' | 'E';
    at += 1 + length;
  }
  return status;
}

/** The text of a PasswordMessage ('p'; one whole message), or null if `message` is another type. */
export function passwordOf(message: Buffer): string | null {
  return message[0] === 0x70 /* p */ ? message.subarray(5, message.indexOf(0, 5)).toString('utf8') : null;
}

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

const int32s = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeInt32BE(v, 4 * i));
  return b;
};
const cstrings = (...values: string[]) => Buffer.from(values.map((v) => `${v}\0`).join(''), 'utf8');

export const queryMessage = (sql: string) => message('Q', cstrings(sql));
export const SYNC_MESSAGE = message('S', Buffer.alloc(0));
export const AUTH_CLEARTEXT = message('R', int32s(3));
export const AUTH_OK = message('R', int32s(0));
export const parameterStatus = (name: string, value: string) => message('S', cstrings(name, value));
export const backendKeyData = (pid: number, secret: number) => message('K', int32s(pid, secret));
export const READY_IDLE = message('Z', Buffer.from('I', 'latin1'));
/** Answers a request for protocol 3.x (x > 0): this server speaks 3.0 and no `_pq_` options. */
export const NEGOTIATE_3_0 = message('v', int32s(PROTOCOL_3_0, 0));

/** An ErrorResponse ('E') the client shows like any server error. */
export function errorMessage(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  return message('E', Buffer.concat([cstrings(`S${severity}`, `V${severity}`, `C${code}`, `M${text}`), Buffer.from([0])]));
}
