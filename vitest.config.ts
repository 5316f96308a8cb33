import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // The examples import rollcall by its package names, as a host would; here those names are the source
    // (the same mapping as `paths` in tsconfig.json), so the examples never run against a stale build.
    alias: [
      { find: /^rollcall$/, replacement: src('index.ts') },
      { find: /^rollcall\/testing$/, replacement: src('testing/index.ts') },
      { find: /^rollcall\/(import|stores|mailers)$/, replacement: src('$1.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The corpora need ../shared; the hostile inputs need --expose-gc; the LibreOffice laws need soffice: each
    // runs as its own script.
    exclude: ['test/corpora/**', 'test/hostile/**', 'test/libreoffice/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
