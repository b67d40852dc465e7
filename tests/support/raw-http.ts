import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request as a client that may lie: `body` is what is actually sent, whatever the headers
 * declare; `hold` keeps the request open after it (a body announced but never finished), so an
 * answer proves the server did not wait for the rest. Resolves with the first answer.
 */
export function rawRequest(
  base: string,
  opts: {
    method?: string;
    path: string;
    headers?: Record<string, string | number>;
    body?: string | Buffer;
    hold?: boolean;
    /** Answer status 0 (and no error) when no answer came within this time. */
    timeoutMs?: number;
  },
): Promise<RawAnswer> {
  const url = new URL(opts.path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method ?? 'POST',
        path: opts.path,
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          req.destroy();
        });
        res.on('error', reject);
      },
    );
    // An error after the answer (the server closing a held request) changes nothing: settled.
    req.on('error', reject);
    if (opts.timeoutMs)
      req.setTimeout(opts.timeoutMs, () => {
        resolve({ status: 0, headers: {}, body: 'no answer in time' });
        req.destroy();
      });
    req.flushHeaders(); // the headers go now, even when no byte of the body follows
    if (opts.body !== undefined) req.write(opts.body);
    if (!opts.hold) req.end();
  });
}
