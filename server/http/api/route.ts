import type { Request } from 'express';
import type { z } from 'zod';
import type { Actor } from '../../identity/permissions.js';

/**
 * One endpoint of the court API, declared once: the router mounts it and the OpenAPI document
 * describes it from the same entry (so neither can forget the other).
 */
export interface ApiRoute {
  method: 'get' | 'post';
  /** Express style, relative to /api/v1: `/listings/:id/approval`. */
  path: string;
  summary: string;
  description?: string;
  /** The zod schema the service parses the body with (documented by its name). */
  body?: { name: string; schema: z.ZodType };
  query?: { name: string; schema: Record<string, unknown>; description?: string }[];
  /** The success status: 200 unless said (201 for a POST that creates). */
  status?: number;
  run: (req: Request, actor: Actor) => Promise<unknown>;
}

/** The request's id, for the audit entries the services write. */
export const rid = (req: Request) => String(req.id);
/** A path parameter (Express fills the declared ones). */
export const param = (req: Request, name: string) => req.params[name] ?? '';
/** The JSON body, `{}` when none was sent. */
export const bodyOf = (req: Request): Record<string, unknown> =>
  req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};
