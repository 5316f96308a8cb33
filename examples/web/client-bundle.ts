// Bundles the import page's browser check (client.ts and rollcall's browser-safe entry, with zod and
// csv-parse) into one ES module at server start, so the page needs no build step and no import map.
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * The browser script of the import page, built from the sources under `root` (the repository): `rollcall`
 * resolves to the built package (`dist/`), exactly what an application installing rollcall gets.
 */
export async function bundleClient(root: string): Promise<string> {
  const rollcallPackage: Plugin = {
    name: 'rollcall-package',
    setup(builder) {
      // esbuild reads filters as Go regular expressions, which have no u flag.
      builder.onResolve({ filter: /^rollcall(\/[a-z]+)?$/ }, (args) => ({
        path: join(root, 'dist', `${args.path === 'rollcall' ? 'index' : args.path.slice('rollcall/'.length)}.js`),
      }));
    },
  };
  const result = await build({
    entryPoints: [join(root, 'examples', 'web', 'client.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // csv-parse's default entry is built on node:stream; its browser build is the one for pages.
    alias: { 'csv-parse': 'csv-parse/browser/esm' },
    plugins: [rollcallPackage],
    minify: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output for the import page script');
  return output.text;
}
