import { createServer } from 'node:net';

/** A port nobody listens on now (the kernel's choice), for an internal listener. */
export function freeLocalPort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}
