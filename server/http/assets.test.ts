import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedEncodings, buildAssets } from './assets';

// Three copies with different bytes, so each answer shows which one was sent.
const SCRIPT = 'console.log("the script as built");';
const BROTLI = 'pretend brotli bytes';
const GZIP = 'pretend gzip bytes';

let dir: string;
let server: http.Server;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lastmile-assets-'));
  await writeFile(path.join(dir, 'entry-Ab12.js'), SCRIPT);
  await writeFile(path.join(dir, 'entry-Ab12.js.br'), BROTLI);
  await writeFile(path.join(dir, 'entry-Ab12.js.gz'), GZIP);
  await writeFile(path.join(dir, 'tiny-Cd34.css'), 'a{}'); // no compressed copy: smaller as it is
  const app = express();
  app.use(buildAssets(dir));
  app.use((_req, res) => void res.status(404).send('the page 404'));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** A raw request: fetch would decode the body and choose its own Accept-Encoding. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: url, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the build’s hashed files', () => {
  it('are sent brotli-compressed to a browser that accepts it, kept a year without revalidation', async () => {
    const r = await get('/assets/entry-Ab12.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(r.status).toBe(200);
    expect(r.body).toBe(BROTLI);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-length']).toBe(String(BROTLI.length));
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers.vary).toBe('Accept-Encoding');
    expect(r.headers['content-type']).toMatch(/^application\/javascript/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('are sent gzip to one that refuses brotli, and as built to one that accepts neither', async () => {
    expect((await get('/assets/entry-Ab12.js', { 'accept-encoding': 'gzip' })).body).toBe(GZIP);
    expect((await get('/assets/entry-Ab12.js', { 'accept-encoding': 'br;q=0, gzip;q=0.5' })).body).toBe(GZIP);
    const plain = await get('/assets/entry-Ab12.js');
    expect(plain.body).toBe(SCRIPT);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((await get('/assets/entry-Ab12.js', { 'accept-encoding': 'identity' })).body).toBe(SCRIPT);
  });

  it('are sent as built when there is no smaller copy', async () => {
    const r = await get('/assets/tiny-Cd34.css', { 'accept-encoding': 'br, gzip' });
    expect(r.body).toBe('a{}');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['content-type']).toMatch(/^text\/css/);
  });

  it('answer HEAD with the headers alone', async () => {
    const r = await get('/assets/entry-Ab12.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String(BROTLI.length));
    expect(r.body).toBe('');
  });

  it('leave every other request to the next handler: unknown names, a copy asked by name, other folders, writes', async () => {
    for (const url of [
      '/assets/missing.js',
      '/assets/entry-Ab12.js.br',
      '/assets/../entry-Ab12.js',
      '/entry-Ab12.js',
    ])
      expect((await get(url, { 'accept-encoding': 'br' })).body, url).toBe('the page 404');
    expect((await get('/assets/entry-Ab12.js', {}, 'POST')).body).toBe('the page 404');
  });
});

describe('acceptedEncodings', () => {
  it('reads the codings a browser allows, with weights and the wildcard', () => {
    expect([...acceptedEncodings('gzip, deflate, br, zstd')].sort()).toEqual([
      'br',
      'deflate',
      'gzip',
      'zstd',
    ]);
    expect([...acceptedEncodings('br;q=0, gzip;q=0.8')]).toEqual(['gzip']);
    expect([...acceptedEncodings('*')].sort()).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('*, br;q=0')]).toEqual(['gzip']);
    expect([...acceptedEncodings('*;q=0')]).toEqual([]);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });
});
