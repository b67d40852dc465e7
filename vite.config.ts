import { fileURLToPath } from 'node:url';
import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';
import tsconfigPaths from 'vite-tsconfig-paths';
import { browserChunks } from './vite-chunks';
import { precompress } from './vite-compress';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig(({ isSsrBuild }) => ({
  // The browser's files: a shell, the visitors' shared code, a chunk per route (vite-chunks.ts).
  build: isSsrBuild
    ? {}
    : {
        rollupOptions: {
          output: { manualChunks: browserChunks(fileURLToPath(new URL('.', import.meta.url))) },
        },
      },
  plugins: [
    remix({
      ignoredRouteFiles: ['**/*.test.ts', '**/*.test.tsx'],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
    tsconfigPaths(),
    precompress(),
  ],
  // Pitfall 1 in TOOLCHAIN.md: a cold dev cache re-optimises mid-session and loads React twice.
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      '@remix-run/react',
      '@remix-run/node',
      'cookie',
      'i18next',
      'react-i18next',
      'socket.io-client',
      'zod',
      'recharts',
    ],
  },
  server: { middlewareMode: true },
}));
