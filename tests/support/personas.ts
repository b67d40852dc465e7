import { DEMO_PASSWORD } from '../../server/demo/seed-accounts.js';
import type { Services } from '../../server/services.js';

/** The viewers the security suites try every route as (demo accounts; the clerk's court is 青0104). */
export const PERSONAS = {
  anonymous: null,
  bidder: 'bidder@demo.lastmile.test',
  clerk: 'clerk@demo.lastmile.test',
  otherClerk: 'clerk.chengbei@demo.lastmile.test',
  insurer: 'insurer@demo.lastmile.test',
  admin: 'admin@demo.lastmile.test',
} as const;
export type Persona = keyof typeof PERSONAS;

/** A fixed anti-forgery token: the server accepts any well-formed one whose cookie matches. */
export const CSRF = 'c'.repeat(43);

export interface Visitor {
  persona: Persona;
  /** The Cookie header: the session (none for anonymous) and the anti-forgery cookie. */
  cookie: string;
}

/** Signs each persona in through the service the login form calls. */
export async function visitors(services: Services, personas: Persona[]): Promise<Visitor[]> {
  return Promise.all(
    personas.map(async (persona) => {
      const email = PERSONAS[persona];
      let cookie = `lm_csrf=${CSRF}`;
      if (email) {
        const r = await services.identity.login(
          { email, password: DEMO_PASSWORD },
          { ip: '198.51.100.250', userAgent: 'vitest' },
        );
        cookie += `; lm_session=${r.token}`;
      }
      return { persona, cookie };
    }),
  );
}

/** Runs `tasks` with at most `width` at a time (one server, many requests, bounded). */
export async function inParallel<T>(tasks: (() => Promise<T>)[], width = 8): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}
