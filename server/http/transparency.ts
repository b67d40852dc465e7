import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { httpStatusOf, isDomainError } from '../errors.js';
import type { Services } from '../services.js';

/**
 * The transparency log over HTTP (docs/transparency.md): the platform's public key at a
 * well-known URL, checkpoints, leaves, inclusion and consistency proofs. Public, read-only JSON,
 * readable from any origin (auditors' own pages may fetch it); nothing here needs a session.
 */
export const CHECKPOINT_KEY_PATH = '/.well-known/lastmile-checkpoint-key';

const Num = z.coerce.number().int().min(0);
const Uuid = z.uuid();

export function createTransparencyRouter(services: Services) {
  const t = services.transparency;
  const router = express.Router();

  const json =
    (handler: (req: Request) => Promise<unknown> | unknown) =>
    async (req: Request, res: Response): Promise<void> => {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('cache-control', 'no-store');
      try {
        res.json(await handler(req));
      } catch (error) {
        if (error instanceof z.ZodError) {
          res.status(400).json({ error: 'validation', issues: error.issues.map((i) => i.path.join('.')) });
          return;
        }
        const status = httpStatusOf(error);
        if (status >= 500) req.log.error({ err: error }, 'transparency request failed');
        res.status(status).json({ error: isDomainError(error) ? error.code : 'internal' });
      }
    };
  const num = (req: Request, name: string) => Num.parse(req.params[name] ?? req.query[name]);

  router.get(
    CHECKPOINT_KEY_PATH,
    json(() => t.publicKey()),
  );
  router.get(
    '/transparency/checkpoints/latest',
    json(() => t.latest()),
  );
  router.get(
    '/transparency/checkpoints',
    json(async (req) => ({
      checkpoints: await t.checkpointsAfter(
        num(req, 'after'),
        req.query.limit ? num(req, 'limit') : undefined,
      ),
    })),
  );
  router.get(
    '/transparency/checkpoints/:number',
    json((req) => t.checkpoint(num(req, 'number'))),
  );
  router.get(
    '/transparency/checkpoints/:number/inclusion',
    json((req) =>
      t.inclusion(
        num(req, 'number'),
        req.query.leafIndex !== undefined
          ? { leafIndex: num(req, 'leafIndex') }
          : { listingId: Uuid.parse(req.query.listingId) },
      ),
    ),
  );
  router.get(
    '/transparency/consistency',
    json((req) => t.consistency(num(req, 'from'), num(req, 'to'))),
  );
  router.get(
    '/transparency/auctions/:listingId/leaves',
    json(async (req) => ({
      listingId: req.params.listingId,
      leaves: await t.leavesOf(String(req.params.listingId)),
    })),
  );
  router.get(
    '/transparency/leaves',
    json(async (req) => ({
      leaves: await t.leaves(num(req, 'start'), req.query.limit ? num(req, 'limit') : undefined),
    })),
  );
  return router;
}
