import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveWire, type WireServer } from '../../src/db/embedded/wireServer';
import { lastReadyStatus, queryMessage, SYNC_MESSAGE } from '../../src/db/embedded/wireProtocol';

const PASSWORD = 'test-secret';
const PSQL = ['/usr/bin/psql', '/usr/local/bin/psql'].find((p) => existsSync(p));
let db: PGlite;
let server: WireServer;
const url = (password = PASSWORD) => `postgresql://postgres:${password}@127.0.0.1:${server.port}/template1`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url() });
  c.on('error', () => {}); // a disconnected client reports through its failing query
  await c.connect();
  return c;
}

const count = async () => Number((await db.query<{ n: string }>('select count(*) as n from t')).rows[0]!.n);

/** Raw protocol, for what pg never sends: split packets, unsynced extended-protocol cycles. */
function msg(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}
const cstr = (s: string) => Buffer.from(`${s}\0`);
const int16 = (n: number) => Buffer.from([n >> 8, n & 255]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
function startup(): Buffer {
  const body = Buffer.concat([int32(196608), cstr('user'), cstr('postgres'), cstr('database'), cstr('template1'), Buffer.from([0])]);
  return Buffer.concat([int32(4 + body.length), body]);
}

class RawClient {
  private received = Buffer.alloc(0);
  constructor(readonly socket: Socket) {
    socket.on('data', (d) => (this.received = Buffer.concat([this.received, d])));
  }
  static async open(): Promise<RawClient> {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const c = new RawClient(socket);
    socket.write(startup());
    await c.until((b) => b.includes(Buffer.from('R\0\0\0\x08\0\0\0\x03', 'latin1')));
    socket.write(msg('p', cstr(PASSWORD)));
    await c.untilReady();
    return c;
  }
  async until(done: (b: Buffer) => boolean): Promise<Buffer> {
    for (let i = 0; i < 200 && !done(this.received); i++) await sleep(25);
    if (!done(this.received)) throw new Error(`no expected answer; got ${this.received.toString('latin1')}`);
    const out = this.received;
    this.received = Buffer.alloc(0);
    return out;
  }
  untilReady() {
    return this.until((b) => lastReadyStatus(b) !== null);
  }
}

beforeAll(async () => {
  db = new PGlite();
  await db.exec('create table t (x int)');
  server = await serveWire(db, { password: PASSWORD, idleInTransactionMs: 1000 });
});

afterAll(async () => {
  await server?.stop();
  await db?.close();
});

beforeEach(async () => {
  await db.exec('delete from t');
});

describe('embedded database server (PGlite over the wire protocol)', () => {
  it('answers queries of a client that knows the password, and refuses one that does not', async () => {
    const c = await client();
    expect((await c.query('select $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
    await c.end();
    const bad = new pg.Client({ connectionString: url('wrong') });
    await expect(bad.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('never runs a client inside the owner\'s open transaction: the client waits, and its error does not abort it', async () => {
    const owner = db.transaction(async (tx) => {
      await tx.query('insert into t values (1)');
      await sleep(400);
      await tx.query('insert into t values (2)');
    });
    await sleep(50);
    const c = await client();
    // Waited for the commit: sees both rows, never one.
    expect((await c.query('select count(*)::int as n from t')).rows[0].n).toBe(2);
    await expect(c.query('select * from no_such_table')).rejects.toThrow(/does not exist/);
    await owner;
    await c.end();
    expect(await count()).toBe(2);
  });

  it('rolls back what a client leaves behind mid-transaction, so the owner is not inside it', async () => {
    const c = await client();
    await c.query('begin');
    await c.query('insert into t values (99)');
    (c as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
    await sleep(100);
    expect(await count()).toBe(0);
    // The owner's own transactions work normally afterwards (no "already in progress").
    await db.transaction(async (tx) => tx.query('insert into t values (1)'));
    expect(await count()).toBe(1);
  });

  it('rolls back an extended-protocol cycle cut off before Sync', async () => {
    const raw = await RawClient.open();
    raw.socket.write(Buffer.concat([msg('P', cstr(''), cstr('insert into t values (7)'), int16(0)), msg('B', cstr(''), cstr(''), int16(0), int16(0), int16(0)), msg('E', cstr(''), int32(0))]));
    await raw.until((b) => b.includes(Buffer.from('INSERT 0 1')));
    raw.socket.destroy();
    await sleep(100);
    expect(await count()).toBe(0);
  });

  it('reassembles messages split across TCP packets, and answers an SSL request with N', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const raw = new RawClient(socket);
    socket.write(Buffer.concat([int32(8), int32(80877103)]));
    expect((await raw.until((b) => b.length >= 1)).toString()).toBe('N');
    const bytes = Buffer.concat([startup()]);
    for (const b of bytes) {
      socket.write(Buffer.from([b]));
      await sleep(1);
    }
    await raw.until((b) => b.length >= 9);
    socket.write(msg('p', cstr(PASSWORD)));
    await raw.untilReady();
    const q = queryMessage('insert into t values (5)');
    socket.write(q.subarray(0, 3));
    await sleep(50);
    socket.write(q.subarray(3));
    expect(lastReadyStatus(await raw.untilReady())).toBe('I');
    socket.destroy();
    expect(await count()).toBe(1);
  });

  it('takes a password and a query sent in one write, and ends the session on Terminate', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const raw = new RawClient(socket);
    socket.write(startup());
    await raw.until((b) => b.length >= 9);
    const closed = new Promise((r) => socket.once('close', r));
    socket.write(Buffer.concat([msg('p', cstr(PASSWORD)), queryMessage('insert into t values (3)'), msg('X')]));
    await closed; // the server closed it after Terminate
    expect(await count()).toBe(1);
  });

  it('lets many clients take turns at transaction boundaries', async () => {
    const seen = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const c = await client();
        await c.query('begin');
        await c.query('insert into t values ($1)', [i]);
        await sleep(20);
        const n = (await c.query('select count(*)::int as n from t')).rows[0].n as number;
        await c.query('commit');
        await c.end();
        return n;
      }),
    );
    // Each transaction ran alone: each saw only the rows committed before it, plus its own.
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await count()).toBe(6);
  });

  it('disconnects a client idle inside a transaction so that the owner goes on', async () => {
    const c = await client();
    await c.query('begin');
    await c.query('insert into t values (1)');
    const t0 = Date.now();
    expect(await count()).toBe(0); // waited for the timeout, then the client's insert was rolled back
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    await expect(c.query('select 1')).rejects.toThrow();
  });

  it('does not let a client change the owner session\'s settings through its startup parameters', async () => {
    const before = (await db.query<{ name: string; setting: string }>('select name, setting from pg_settings order by name')).rows;
    const c = new pg.Client({ connectionString: url(), options: '-c search_path=nowhere -c statement_timeout=1' });
    await c.connect();
    await c.query('select 1');
    await c.end();
    expect((await db.query<{ name: string; setting: string }>('select name, setting from pg_settings order by name')).rows).toEqual(before);
  });

  it.skipIf(!PSQL)('works with psql (which asks for TLS first)', async () => {
    await db.exec('insert into t values (1), (2), (3)');
    const { stdout } = await promisify(execFile)(PSQL!, [url(), '-Atc', 'select sum(x) from t']);
    expect(stdout.trim()).toBe('6');
  });

  it('ends an extended cycle that failed before Sync and still leaves the owner usable', async () => {
    const raw = await RawClient.open();
    raw.socket.write(Buffer.concat([msg('P', cstr(''), cstr('select * from no_such_table'), int16(0))]));
    await raw.until((b) => b.includes(Buffer.from('no_such_table')));
    raw.socket.destroy();
    await sleep(100);
    await db.transaction(async (tx) => tx.query('insert into t values (1)'));
    expect(await count()).toBe(1);
    // And the server sends Sync itself only when needed: a fresh client is idle.
    const again = await RawClient.open();
    again.socket.write(SYNC_MESSAGE);
    expect(lastReadyStatus(await again.untilReady())).toBe('I');
    again.socket.destroy();
  });
});
