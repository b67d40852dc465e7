/**
 * Binds a module's dependencies to its use-case functions (ADR 010): `bind(deps, submit)` is
 * `(actor, id, requestId) => submit(deps, actor, id, requestId)`, so a `service.ts` composes
 * without restating every signature.
 */
export function bind<D, A extends unknown[], R>(deps: D, fn: (deps: D, ...args: A) => R): (...args: A) => R {
  return (...args) => fn(deps, ...args);
}
