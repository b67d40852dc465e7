/**
 * What a viewer may do with one entity now (ADR 010, "Affordances from the service").
 *
 * A module decides each action once, in a pure `decide<Entity>Actions(actor, entity, …)` function,
 * from the state machine and the actor's grants: `null` when the action is allowed now, otherwise
 * the error that action would answer (forbidden, a bad transition, a maker-checker refusal …).
 * The read a page calls returns `can: affordancesOf(decisions)` beside the entity; routes render
 * it and never decide it. The action's use case calls the same function under its lock and
 * `requireAllowed(decisions, action)`, so the page and the write cannot drift apart.
 */
import type { DomainError } from './errors.js';

export type Decisions<A extends string> = Record<A, DomainError | null>;
export type Affordances<A extends string> = Record<A, boolean>;

/** The booleans a page renders: each action the viewer may take now. */
export function affordancesOf<A extends string>(decisions: Decisions<A>): Affordances<A> {
  const out = {} as Affordances<A>;
  for (const action of Object.keys(decisions) as A[]) out[action] = decisions[action] === null;
  return out;
}

/** Throws the refusal of `action`, if it has one. */
export function requireAllowed<A extends string>(decisions: Decisions<A>, action: A): void {
  const refusal = decisions[action];
  if (refusal) throw refusal;
}
