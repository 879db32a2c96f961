// A real local HTTP receiver for deskplan's outgoing callbacks: records every request and
// answers with the queued statuses in turn, then 200.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function startCallbackReceiver() {
  const requests: ReceivedCallback[] = [];
  /** Statuses to answer with, first to last; 200 once none is left. */
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    requests,
    statuses,
    ofType: (type: string) => requests.filter((r) => r.headers['deskplan-event'] === type),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
