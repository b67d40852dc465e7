// Bundles the custom server (server/main.ts) for `npm start`. Dependencies stay external
// (node_modules); our own code is bundled once, so no module exists twice at runtime.
import { build } from 'esbuild';

await build({
  entryPoints: ['server/main.ts'],
  outfile: 'build/server/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  define: { __LASTMILE_BUNDLED__: 'true' },
  logLevel: 'warning',
});
