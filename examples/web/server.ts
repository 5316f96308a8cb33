// Starts the web example: `npm run example:web`. Settings come from the environment:
// PORT (default 3000; 0 picks a free one), ROLLCALL_WEB_DATA (default ./rollcall-web-data),
// ROLLCALL_WEB_OUTBOX (default ./rollcall-web-outbox), ROLLCALL_WEB_MAX_UPLOAD (bytes, default 5 MiB).
import { resolve } from 'node:path';
import { startWebApp } from './app.js';

const cwd = process.cwd();
const app = await startWebApp({
  root: cwd,
  dataDir: resolve(cwd, process.env.ROLLCALL_WEB_DATA ?? 'rollcall-web-data'),
  outboxDir: resolve(cwd, process.env.ROLLCALL_WEB_OUTBOX ?? 'rollcall-web-outbox'),
  port: Number(process.env.PORT ?? 3000),
  ...(process.env.ROLLCALL_WEB_MAX_UPLOAD === undefined ? {} : { maxUploadBytes: Number(process.env.ROLLCALL_WEB_MAX_UPLOAD) }),
});
console.log(`rollcall web example: ${app.url}`);

const stop = (): void => {
  app.close().then(() => process.exit(0), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
