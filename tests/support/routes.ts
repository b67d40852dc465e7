import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface RouteFile {
  /** The file name in app/routes, e.g. `court.cases.$caseId_.account[.]csv.tsx`. */
  file: string;
  /** The URL pattern, e.g. `/court/cases/:caseId/account.csv`. */
  pattern: string;
  params: string[];
  hasLoader: boolean;
  hasAction: boolean;
}

const ROUTES_DIR = path.resolve('app/routes');

/**
 * Every route module of the app, from the files themselves (Remix flat routes, as
 * vite.config.ts configures them: `*.test.tsx` ignored): a test that walks this list covers a
 * route the day its file is added.
 */
export function routeFiles(): RouteFile[] {
  return readdirSync(ROUTES_DIR)
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .sort()
    .map((file) => {
      const source = readFileSync(path.join(ROUTES_DIR, file), 'utf8');
      const segments = file
        .replace(/\.tsx?$/, '')
        .replaceAll('[.]', '\u2024') // an escaped dot stays in its segment (one-dot leader as a stand-in)
        .split('.')
        .map((s) => s.replaceAll('\u2024', '.'))
        .filter((s) => s !== '_index')
        .map((s) => (s.endsWith('_') ? s.slice(0, -1) : s)) // `me_`: no layout nesting, same URL
        .map((s) => (s.startsWith('$') ? `:${s.slice(1)}` : s));
      return {
        file,
        pattern: `/${segments.join('/')}`,
        params: segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1)),
        hasLoader: /export (async )?function loader\b|export const loader\b/.test(source),
        hasAction: /export (async )?function action\b|export const action\b/.test(source),
      };
    });
}

/** The pattern with its parameters filled (values are inserted as given: encode them yourself). */
export function fillPattern(pattern: string, values: Record<string, string> | ((param: string) => string)) {
  return pattern.replace(/:(\w+)/g, (_m, name: string) =>
    typeof values === 'function' ? values(name) : (values[name] ?? `:${name}`),
  );
}
