import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import {
  AUTH_CLEARTEXT,
  AUTH_OK,
  backendKeyData,
  CANCEL_REQUEST,
  errorMessage,
  firstMessage,
  GSSENC_REQUEST,
  lastReadyStatus,
  NEGOTIATE_3_0,
  parameterStatus,
  passwordOf,
  queryMessage,
  READY_IDLE,
  readStartupPacket,
  SSL_REQUEST,
  startupParameters,
  SYNC_MESSAGE,
  takeMessages,
} from './wireProtocol';

/**
 * Serves one PGlite to other processes over the Postgres wire protocol, on 127.0.0.1, to
 * clients that know `password` (cleartext over loopback, like a local Postgres with password
 * auth: it keeps other users of the machine out).
 *
 * The server answers the startup handshake itself: PGlite's backend is already running for
 * the owner, and a client's startup parameters must not change that shared session.
 *
 * PGlite is a single backend session, and the owning process keeps using it in-process. So
 * each client's exchange (from its first message until the server is idle outside a
 * transaction again) holds both of PGlite's own mutexes: in-process queries and transactions
 * wait for it, and it waits for them — a client never sees, or aborts, the owner's open
 * transaction. Clients take turns at transaction boundaries, so any number may be connected.
 * A client that leaves mid-transaction is rolled back; one idle inside a transaction for
 * longer than `idleInTransactionMs` is disconnected, as Postgres's
 * idle_in_transaction_session_timeout would, so it cannot stall the owner.
 */
export interface WireServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export interface WireServerOptions {
  port?: number;
  password: string;
  idleInTransactionMs?: number;
  onError?: (e: Error) => void;
}

const HOST = '127.0.0.1';

/** Holds PGlite's transaction and query mutexes until the returned function is called. */
function holdPglite(pg: PGlite): Promise<() => void> {
  return new Promise((granted) => {
    void pg._runExclusiveTransaction(() => pg.runExclusive(() => new Promise<void>((release) => granted(release))));
  });
}

/** What the handshake reports to clients: the backend's own settings. */
const REPORTED_SETTINGS = ['server_version', 'server_encoding', 'client_encoding', 'DateStyle', 'IntervalStyle', 'TimeZone', 'integer_datetimes', 'standard_conforming_strings', 'is_superuser', 'session_authorization'];

const digest = (s: string) => createHash('sha256').update(s).digest();

interface SessionSettings {
  password: string;
  idleInTransactionMs: number;
  onError: (e: Error) => void;
  reported: Record<string, string>;
}

class Session {
  private buf: Buffer = Buffer.alloc(0);
  private state: 'startup' | 'auth' | 'ready' = 'startup';
  private applicationName = '';
  private release: (() => void) | null = null;
  private work: Promise<void> = Promise.resolve();
  private ended = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastData = Date.now();
  private finished!: () => void;
  /** Resolves once the session has ended and let go of PGlite. */
  readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(
    private readonly pg: PGlite,
    readonly socket: Socket,
    private readonly o: SessionSettings,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (socket.writableEnded) return; // after Terminate
      this.lastData = Date.now();
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.enqueue(() => this.drain());
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.enqueue(() => this.end()));
  }

  private enqueue(step: () => Promise<void>): void {
    this.work = this.work.then(step).catch((e: Error) => {
      this.o.onError(e);
      this.socket.destroy();
    });
  }

  private async drain(): Promise<void> {
    while (!this.ended && this.state === 'startup') {
      const p = readStartupPacket(this.buf);
      if (!p) return;
      const packet = this.buf.subarray(0, p.length);
      this.buf = this.buf.subarray(p.length);
      // No TLS on loopback: 'N' tells the client to go on in plain text (psql asks first).
      if (p.code === SSL_REQUEST || p.code === GSSENC_REQUEST) this.socket.write('N');
      // There is nothing to cancel separately: every client shares one backend.
      else if (p.code === CANCEL_REQUEST) return void this.socket.end();
      else if (p.code >>> 16 !== 3) return this.refuse('0A000', `unsupported frontend protocol ${p.code >>> 16}.${p.code & 0xffff}: this server speaks 3.0`);
      else {
        if ((p.code & 0xffff) !== 0) this.socket.write(NEGOTIATE_3_0);
        this.applicationName = startupParameters(packet).application_name ?? '';
        this.socket.write(AUTH_CLEARTEXT);
        this.state = 'auth';
      }
    }
    if (this.ended) return;
    if (this.state === 'auth') {
      const message = firstMessage(this.buf);
      if (!message) return;
      this.buf = this.buf.subarray(message.length);
      if (!this.authenticate(message)) return;
    }
    const { batch, rest, terminate } = takeMessages(this.buf);
    this.buf = rest;
    if (batch.length) await this.exchange(batch);
    if (terminate) this.socket.end();
  }

  private authenticate(message: Buffer): boolean {
    const given = passwordOf(message);
    if (given === null || !timingSafeEqual(digest(given), digest(this.o.password))) {
      this.refuse('28P01', 'password authentication failed for the embedded database (the password is in the lock file next to its directory)');
      return false;
    }
    this.state = 'ready';
    const reported = { ...this.o.reported, application_name: this.applicationName };
    this.socket.write(Buffer.concat([AUTH_OK, ...Object.entries(reported).map(([k, v]) => parameterStatus(k, v)), backendKeyData(process.pid, randomInt(2 ** 31)), READY_IDLE]));
    return true;
  }

  private refuse(code: string, text: string): void {
    this.socket.end(errorMessage('FATAL', code, text));
  }

  private async exchange(bytes: Buffer): Promise<void> {
    this.release ??= await holdPglite(this.pg);
    if (this.socket.destroyed) return; // gone while waiting: end() rolls back and lets go
    const out = await this.pg.execProtocolRaw(bytes);
    const status = lastReadyStatus(out);
    // `out` is a view into PGlite's memory that the next call overwrites: send a copy.
    this.socket.write(Buffer.from(out));
    if (status === 'I') this.letGo();
    else this.armIdleTimer();
  }

  private letGo(): void {
    clearTimeout(this.idleTimer);
    this.release?.();
    this.release = null;
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      // setImmediate runs after pending socket reads: a client whose data waited behind a
      // long task on this thread is not idle.
      setImmediate(() => {
        if (this.ended || !this.release) return;
        if (Date.now() - this.lastData < this.o.idleInTransactionMs) return this.armIdleTimer();
        this.socket.end(errorMessage('FATAL', '25P03', `terminating connection: idle in a transaction for over ${this.o.idleInTransactionMs / 1000} s while other processes wait for the embedded database`));
        this.socket.destroy();
      });
    }, this.o.idleInTransactionMs);
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idleTimer);
    try {
      if (this.release) await this.rollback();
    } finally {
      this.letGo();
      this.finished();
    }
  }

  /**
   * Back to idle whatever the client left behind: ROLLBACK ends an open or failed transaction
   * block and an unsynced extended-protocol cycle; a failed cycle ignores everything until
   * Sync, after which an explicit block may still need its ROLLBACK.
   */
  private async rollback(): Promise<void> {
    for (const message of [queryMessage('ROLLBACK'), SYNC_MESSAGE, queryMessage('ROLLBACK')]) {
      if (lastReadyStatus(await this.pg.execProtocolRaw(message)) === 'I') return;
    }
    throw new Error('embedded database server: a departed client left the session inside a transaction that ROLLBACK did not end');
  }
}

export async function serveWire(pg: PGlite, o: WireServerOptions): Promise<WireServer> {
  const sessions = new Set<Session>();
  const { rows } = await pg.query<{ name: string; value: string }>('select name, current_setting(name) as value from unnest($1::text[]) as name', [REPORTED_SETTINGS]);
  const settings: SessionSettings = {
    password: o.password,
    idleInTransactionMs: o.idleInTransactionMs ?? 60_000,
    onError: o.onError ?? (() => {}),
    reported: Object.fromEntries(rows.map((r) => [r.name, r.value])),
  };
  const server = createServer((socket) => {
    const s = new Session(pg, socket, settings);
    sessions.add(s);
    socket.once('close', () => void s.done.then(() => sessions.delete(s)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, HOST, () => resolve());
  });
  server.on('error', (e) => settings.onError(e));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('embedded database server: no TCP address');
  return {
    host: HOST,
    port: address.port,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sessions) s.socket.destroy();
      await Promise.all([...sessions].map((s) => s.done));
      await closed;
    },
  };
}
