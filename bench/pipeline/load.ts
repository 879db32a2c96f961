import http from 'node:http';

/**
 * POSTs `request(i)` with `concurrency` requests in flight for `seconds`; returns the rate of
 * answered requests, how many were 2xx and how many were not. A failed request throws.
 */
export async function load(options: {
  port: number;
  path: string;
  seconds: number;
  concurrency: number;
  request: (i: number) => { body: string; headers: Record<string, string> };
}): Promise<{ perSecond: number; ok: number; non2xx: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const end = Date.now() + options.seconds * 1000;
  let done = 0;
  let non2xx = 0;
  let n = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const { body, headers } = options.request(i);
      const req = http.request(
        {
          host: '127.0.0.1',
          port: options.port,
          path: options.path,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < end) {
        await one(++n);
        done++;
      }
    }),
  );
  agent.destroy();
  return { perSecond: done / options.seconds, ok: done - non2xx, non2xx };
}
