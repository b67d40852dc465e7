import { type AppLoadContext, data, redirect } from '@remix-run/node';
import { type DomainError, httpStatusOf, isDomainError } from '../../server/errors';

/** The signed-in user, or a redirect to the login page that comes back here. */
export function requireAuth(context: AppLoadContext, request: Request) {
  if (context.auth) return context.auth;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/**
 * The body of a form post, after its anti-forgery token is checked. A body that is not a form
 * (JSON, `null`, a broken multipart) or that holds a NUL (PostgreSQL text cannot) is a 400 that
 * changes nothing, never a 500 from deep inside.
 */
export async function readForm(request: Request, context: AppLoadContext): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data({ formError: 'errors.badRequest' }, { status: 400 });
  }
  if (form.get('csrf') !== context.csrfToken) {
    throw data({ formError: 'errors.csrf' }, { status: 403 });
  }
  for (const [key, value] of form.entries())
    if (key.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000')))
      throw data({ formError: 'errors.badRequest' }, { status: 400 });
  return form;
}

/** Form fields as a plain object for zod: repeated names become arrays, empty fields are absent. */
export function formObject(form: FormData, arrays: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key === 'csrf') continue;
    const values = form.getAll(key).filter((v): v is string => typeof v === 'string' && v !== '');
    if (arrays.includes(key)) out[key] = values;
    else if (values[0] !== undefined) out[key] = values[0];
  }
  return out;
}

export interface FormErrorData {
  formError?: string;
  fieldErrors?: Record<string, string[]>;
  params?: Record<string, string | number>;
}

/**
 * Runs a loader's service call; domain errors become HTTP answers (403, 404 ...) that the
 * error boundary shows, unauthenticated becomes a login redirect, anything else is a 500.
 */
export async function load<T>(request: Request, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toResponse(request, error);
  }
}

/** Like `load`, but validation/conflict/login errors return 4xx data for the form to show. */
export async function act<T>(request: Request, fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (error) {
    if (isDomainError(error) && error.code !== 'forbidden' && error.code !== 'not_found') {
      return data(formErrorOf(error), { status: httpStatusOf(error) });
    }
    throw toResponse(request, error);
  }
}

function formErrorOf(error: DomainError): FormErrorData {
  return {
    formError: error.messageKey,
    fieldErrors: error.details.fieldErrors,
    params: error.details.params,
  };
}

function toResponse(request: Request, error: unknown): unknown {
  if (!isDomainError(error)) return error; // Responses pass through; the rest is a 500
  if (error.code === 'unauthenticated') {
    const url = new URL(request.url);
    return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
  }
  return data({ messageKey: error.messageKey }, { status: httpStatusOf(error) });
}

/** Only same-site paths are followed (no open redirects): the shared check, app/utils/safe-redirect.ts. */
export { safeRedirect } from './safe-redirect';

/**
 * For resource routes (files, CSV exports): a domain error answers as plain text with its
 * status, not as the page's error-boundary data. Use as `load(...).catch(plainError)`.
 */
export function plainError(error: unknown): never {
  if (error instanceof Response) throw error;
  const status = (error as { init?: ResponseInit | null })?.init?.status;
  if (typeof status === 'number')
    throw new Response(status === 404 ? 'Not Found' : status === 403 ? 'Forbidden' : 'Error', {
      status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  throw error;
}
