import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.js';
import { httpDuration, registry, routeOf } from '../metrics/metrics.js';
import type { Services } from '../services.js';

/** Every request's latency by route pattern (a 404 is one series, whatever the path). */
export const measureRequests: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  const end = httpDuration.startTimer();
  res.on('finish', () => {
    const route = res.statusCode === 404 ? 'unmatched' : routeOf(req.path);
    end({ method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` });
  });
  next();
};

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may scrape: with METRICS_TOKEN, whoever presents it as a bearer token; without, only a
 * connection from this machine that no proxy forwarded (a proxy on the same machine would make
 * every visitor look local: its requests carry X-Forwarded-For). Anyone else gets the 404 any
 * unknown path gets.
 */
function mayScrape(req: Request, token: string | undefined) {
  if (token) {
    const given = Buffer.from(req.get('authorization')?.replace(/^Bearer /, '') ?? '');
    const wanted = Buffer.from(token);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && !req.get('x-forwarded-for');
}

/** GET /metrics: the Prometheus text format (docs/operations.md). */
export function metricsHandler(services: Services, config: Config): RequestHandler {
  return async (req, res, next) => {
    if (!mayScrape(req, config.METRICS_TOKEN)) return next();
    try {
      await services.readDatabaseGauges();
      res.set('content-type', registry.contentType).set('cache-control', 'no-store');
      res.send(await registry.metrics());
    } catch (error) {
      next(error);
    }
  };
}
