import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      import: 'src/import.ts',
      stores: 'src/stores.ts',
      mailers: 'src/mailers.ts',
      testing: 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    splitting: true,
  },
  {
    // cli.js turns Node's compile cache on, then imports cli-main.js, the command.
    entry: { cli: 'src/cli/cli.ts', 'cli-main': 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'node20',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The `browser` condition of the `rollcall` entry: the same code, importing csv-parse's browser build,
    // because csv-parse's default entry is built on Node's `stream` and a bundler for pages cannot resolve it.
    entry: { 'index.browser': 'src/index.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    // Left to the plugin below, which keeps csv-parse external but points it at the browser build.
    noExternal: [/^csv-parse$/],
    esbuildPlugins: [
      {
        name: 'csv-parse-browser',
        setup(build) {
          build.onResolve({ filter: /^csv-parse$/ }, () => ({ path: 'csv-parse/browser/esm', external: true }));
        },
      },
    ],
  },
]);
