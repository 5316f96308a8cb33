// The `rollcall` command as installed (dist/cli.js). On Node 22.1 and later it first has Node keep the code it
// compiles, rollcall's and its dependencies', in a cache between runs (`module.enableCompileCache`: in the
// system's temporary folder, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so later starts
// skip compiling; then it loads the command. Node 20 has no such cache and loads the command as before.
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// Loaded only now, and not by a static import: that would be compiled before the cache is on. The path is
// built at run time so the bundler leaves the command in a file of its own (dist/cli-main.js).
await import(new URL('./cli-main.js', import.meta.url).href);
