import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';

/**
 * The build's hashed files under `/assets/` (ADR 034): a name changes whenever its content does,
 * so a browser keeps a file a year without asking again (`immutable`), and each is sent as the
 * smallest copy the browser accepts, compressed once at build time at the highest level
 * (`.br` brotli 11, `.gz` gzip 9, vite-compress.ts) instead of per request at a fast level.
 * Mounted ahead of the page middleware: a script or stylesheet needs none of a page's headers
 * (CSP, frame options, a request id), about 700 bytes a file that a phone on slow 4G would pay
 * for every script. A name that is not in the build falls through (the page's 404).
 */
export function buildAssets(dir: string, mount = '/assets/'): RequestHandler {
  const files = indexAssets(dir);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.path.startsWith(mount)) return next();
    const file = files.get(req.path.slice(mount.length));
    if (!file) return next();
    const accepted = acceptedEncodings(req.headers['accept-encoding']);
    const variant = (accepted.has('br') && file.br) || (accepted.has('gzip') && file.gzip) || file.identity;
    res.status(200);
    res.type(file.ext);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (variant.encoding) res.setHeader('Content-Encoding', variant.encoding);
    res.setHeader('Content-Length', variant.size);
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(variant.path);
    stream.on('error', next);
    stream.pipe(res);
  };
}

interface Variant {
  path: string;
  size: number;
  encoding?: 'br' | 'gzip';
}
interface Asset {
  ext: string;
  identity: Variant;
  br?: Variant;
  gzip?: Variant;
}

/** The files of the build's folder once, at start: the build does not change under a running server. */
function indexAssets(dir: string): Map<string, Asset> {
  const files = new Map<string, Asset>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return files; // no build (yet): everything falls through
  }
  const variant = (name: string, encoding?: Variant['encoding']): Variant | undefined => {
    const p = path.join(dir, name);
    const stat = statSync(p, { throwIfNoEntry: false });
    return stat?.isFile() ? { path: p, size: stat.size, ...(encoding && { encoding }) } : undefined;
  };
  for (const name of names) {
    if (name.endsWith('.br') || name.endsWith('.gz')) continue;
    const identity = variant(name);
    if (!identity) continue;
    const br = variant(`${name}.br`, 'br');
    const gzip = variant(`${name}.gz`, 'gzip');
    files.set(name, { ext: path.extname(name), identity, ...(br && { br }), ...(gzip && { gzip }) });
  }
  return files;
}

/** The content codings an Accept-Encoding header allows (q > 0); `*` allows the ones not named. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const allowed = new Set<string>();
  const refused = new Set<string>();
  let any = false;
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const ok = q === undefined || Number(q.slice(2)) > 0;
    if (name === '*') any = ok;
    else (ok ? allowed : refused).add(name);
  }
  if (any) for (const name of ['br', 'gzip']) if (!refused.has(name)) allowed.add(name);
  return allowed;
}
