import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local Slack-style webhook: refuses the first `refuse` requests with 503, then accepts. */
export interface WebhookReceiver {
  url: string;
  /** Every request: its HTTP answer and the parsed JSON body. */
  requests: { status: number; body: { text?: string } }[];
  accepted: () => string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(o: { path: string; refuse?: number }): Promise<WebhookReceiver> {
  const requests: WebhookReceiver['requests'] = [];
  let refuse = o.refuse ?? 1;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const status = req.method !== 'POST' || req.url !== o.path || req.headers['content-type'] !== 'application/json' ? 404 : refuse-- > 0 ? 503 : 200;
      let body: { text?: string } = {};
      try {
        body = JSON.parse(raw);
      } catch {
        /* recorded as {} */
      }
      requests.push({ status, body });
      res.writeHead(status).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${o.path}`,
    requests,
    accepted: () => requests.filter((r) => r.status === 200).map((r) => r.body.text ?? ''),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
