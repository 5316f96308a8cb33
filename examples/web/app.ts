// The web example's HTTP server: node:http, the embedded PGlite store and the outbox-directory mailer,
// wired to rollcall through its published entries only.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateTemplate, renderCsvReport, usersSchema } from 'rollcall';
import { importUsers } from 'rollcall/import';
import { loadMailComposer, outboxDirMailer, sendIntroductions } from 'rollcall/mailers';
import { openFolderStore, type PostgresStore } from 'rollcall/stores';
import { bundleClient } from './client-bundle.js';
import { escapeHtml, failureTile, formatSize } from './html.js';
import { importPage, messagePage, signInPage, successTile, usersPage } from './pages.js';
import { parseForm, readBody } from './read-body.js';
import { csrfMatches, demoUsers, sameOrigin, Sessions, type DemoUser, type Session } from './sessions.js';

/** Where the web example keeps its data, and how it listens. */
export interface WebAppOptions {
  /** The PGlite database folder (created and migrated on first use). */
  readonly dataDir: string;
  /** The folder introduction emails are written to, one `.eml` file each. */
  readonly outboxDir: string;
  /** The repository the example runs from: its `dist/` and `examples/web/client.ts` are served to the browser. */
  readonly root: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The largest file (CSV or workbook) accepted, in bytes. */
  readonly maxUploadBytes?: number;
}

/** A running web example: its URL, and how to stop it. */
export interface WebApp {
  readonly url: string;
  close(): Promise<void>;
}

/** Room for the multipart framing around the file and the CSRF field. */
const multipartOverhead = 64 * 1024;
const smallFormLimit = 16 * 1024;

/** Starts the web example: opens the store and the mailer, builds the page script, and listens. */
export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const maxUploadBytes = options.maxUploadBytes ?? 5 * 1024 * 1024;
  // openFolderStore makes the database folder, but not the folders above it.
  await mkdir(dirname(options.dataDir), { recursive: true });
  // Held by this server alone until it closes: a rollcall command on the same folder meanwhile waits, then stops.
  const database = await openFolderStore(options.dataDir);
  const { store } = database;
  // Told once, when the first opening after an upgrade re-keys the users: two users who are one mailbox.
  for (const user of database.migration.emailKeys.sameMailbox) {
    console.warn(`rollcall: user ${user.id} (${user.email}) is the mailbox of another user; keep one of them`);
  }
  const mailer = outboxDirMailer({ dir: options.outboxDir, composer: await loadMailComposer() });
  const script = await bundleClient(options.root);
  const sessions = new Sessions();
  let origins: string[] = [];

  const app = { store, sync: () => database.sync(), sessions, maxUploadBytes, script, mailer, origins: () => origins };
  const server = createServer((request, response) => {
    handle(app, request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) send(response, 500, messagePage('Something went wrong', 'The server could not finish this request.'));
      else response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        server.closeAllConnections();
      });
      await mailer.close?.();
      await database.close();
    },
  };
}

interface App {
  readonly store: PostgresStore;
  /** Flushes the database folder to the disk: done before an import is reported successful. */
  sync(): Promise<void>;
  readonly sessions: Sessions;
  readonly maxUploadBytes: number;
  readonly script: string;
  readonly mailer: ReturnType<typeof outboxDirMailer>;
  origins(): readonly string[];
}

async function handle(app: App, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const session = app.sessions.find(request);
  if (request.method === 'POST') {
    // Refused before the body is read: a cross-site form post never reaches the importer.
    if (!sameOrigin(request, app.origins())) {
      request.resume();
      send(response, 403, messagePage('Request refused', 'This form was not sent from this site.', session));
      return;
    }
    if (path === '/sign-in') return signIn(app, request, response);
    if (!session) { redirect(response, '/sign-in'); return; }
    if (path === '/sign-out') return signOut(app, session, request, response);
    if (path === '/admin/users/import') return upload(app, session, request, response);
    if (path === '/admin/users/introductions') return introduce(app, session, request, response);
    send(response, 404, messagePage('Not found', 'There is nothing here.', session));
    return;
  }
  if (path === '/assets/import-check.js') {
    response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(app.script);
    return;
  }
  if (path === '/sign-in') { send(response, 200, signInPage()); return; }
  if (!session) { redirect(response, '/sign-in'); return; }
  if (path === '/admin/users/import') {
    send(response, session.user.role === 'admin' ? 200 : 403, importPage(session, app.maxUploadBytes));
    return;
  }
  // Everything past here is for admins: the users list shows every user's name and email.
  if (session.user.role !== 'admin') {
    const listing = path === '/' || path === '/admin/users';
    send(response, 403, messagePage('Not allowed', `You need admin rights to ${listing ? 'see the users' : 'import users'}.`, session));
    return;
  }
  if (path === '/' || path === '/admin/users') { send(response, 200, await listUsers(app, session)); return; }
  if (path === '/admin/users/import/template') {
    const template = generateTemplate(usersSchema);
    response.writeHead(200, template.headers).end(template.bytes);
    return;
  }
  if (path === '/admin/users/import/template.xlsx') {
    const template = generateTemplate(usersSchema, { format: 'xlsx' });
    response.writeHead(200, template.headers).end(template.bytes);
    return;
  }
  const results = /^\/admin\/users\/import\/([^/]+)\/results\.csv$/u.exec(path);
  const report = /^\/admin\/users\/import\/reports\/([^/]+)\.csv$/u.exec(path);
  const csv = results ? session.results.get(decodedSegment(results[1] ?? '')) : report ? session.reports.get(report[1] ?? '') : undefined;
  if (csv !== undefined) {
    response
      .writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${results ? 'imported-users.csv' : 'import-errors.csv'}"`,
        // The results file holds temporary passwords: no cache keeps a copy.
        'cache-control': 'no-store',
      })
      .end(csv);
    return;
  }
  send(response, 404, messagePage('Not found', 'There is nothing here (a results file is only kept for the session that imported it).', session));
}

async function signIn(app: App, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const form = await smallForm(request);
  const role = form?.get('role');
  if (role !== 'admin' && role !== 'member') { send(response, 400, signInPage()); return; }
  const user: DemoUser = demoUsers[role];
  const { cookie } = app.sessions.start(user);
  response.setHeader('set-cookie', cookie);
  redirect(response, '/admin/users');
}

async function signOut(app: App, session: Session, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const form = await smallForm(request);
  if (!csrfMatches(session, form?.get('csrf'))) { send(response, 403, messagePage('Request refused', 'The form has expired: reload the page.', session)); return; }
  response.setHeader('set-cookie', app.sessions.end(session));
  redirect(response, '/sign-in');
}

async function upload(app: App, session: Session, request: IncomingMessage, response: ServerResponse): Promise<void> {
  // The server decides, whatever the page showed: a member's upload is refused before it is read.
  if (session.user.role !== 'admin') {
    request.resume();
    send(response, 403, messagePage('Not allowed', 'You need admin rights to import users.', session));
    return;
  }
  const body = await readBody(request, app.maxUploadBytes + multipartOverhead);
  if (body === undefined) {
    // Closed after the answer: the rest of an oversized upload is not read.
    response.setHeader('connection', 'close');
    send(response, 413, importPage(session, app.maxUploadBytes, tooLarge(app.maxUploadBytes)));
    return;
  }
  const form = await parseForm(body, request.headers['content-type']);
  if (!form || !csrfMatches(session, form.get('csrf'))) {
    send(response, 403, messagePage('Request refused', 'The form has expired: reload the page and choose the file again.', session));
    return;
  }
  const file = form.get('file');
  if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
    send(response, 400, importPage(session, app.maxUploadBytes, '<p class="notice">Select a CSV file or a workbook to import first.</p>'));
    return;
  }
  if (file.size > app.maxUploadBytes) {
    send(response, 413, importPage(session, app.maxUploadBytes, tooLarge(app.maxUploadBytes)));
    return;
  }
  const result = await importUsers(file, {
    store: app.store,
    actor: session.user,
    authorize: (actor) => actor.role === 'admin',
    maxBytes: app.maxUploadBytes,
  });
  if (!result.imported) {
    const reportId = crypto.randomUUID();
    session.reports.set(reportId, renderCsvReport(result.summary, { bom: true }));
    send(response, 422, importPage(session, app.maxUploadBytes, failureTile(result.summary, `/admin/users/import/reports/${reportId}.csv`, 'server')));
    return;
  }
  if (result.replayed) {
    send(response, 200, importPage(session, app.maxUploadBytes, `<p class="notice">${escapeHtml(result.note)}</p>`));
    return;
  }
  await app.sync();
  session.results.set(result.importId, result.resultsCsv());
  send(
    response,
    200,
    importPage(session, app.maxUploadBytes, successTile(session, result.importId, result.created.length, result.skipped.length, result.expiresAt)),
  );
}

async function introduce(app: App, session: Session, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (session.user.role !== 'admin') {
    request.resume();
    send(response, 403, messagePage('Not allowed', 'You need admin rights to send introductions.', session));
    return;
  }
  const form = await smallForm(request);
  if (!form || !csrfMatches(session, form.get('csrf'))) { send(response, 403, messagePage('Request refused', 'The form has expired: reload the page.', session)); return; }
  const importId = form.get('importId');
  const signIn = new URL('/sign-in', app.origins()[0]).toString();
  const outcome = await sendIntroductions(app.store, {
    mailer: app.mailer,
    from: { name: 'rollcall demo', address: 'no-reply@rollcall.example' },
    appName: 'the rollcall demo console',
    signInUrl: signIn,
    // From the users list, those whose earlier sending failed are tried again too.
    retryFailed: true,
    ...(typeof importId === 'string' && importId !== '' ? { importId } : {}),
  });
  const failed = outcome.failed + outcome.notAttempted;
  session.flash = `Introduction emails: ${outcome.sent} sent${failed > 0 ? `, ${failed} failed (send them again from this list later)` : ''}.`;
  redirect(response, '/admin/users');
}

async function listUsers(app: App, session: Session): Promise<string> {
  const users = await app.store.listUsers({ limit: 500 });
  const waiting = await app.store.outbox.list();
  const notSent = new Set(waiting.filter((intro) => intro.status !== 'sent').map((intro) => intro.userId));
  return usersPage(session, users, notSent);
}

async function smallForm(request: IncomingMessage): Promise<FormData | undefined> {
  const body = await readBody(request, smallFormLimit);
  return body === undefined ? undefined : parseForm(body, request.headers['content-type']);
}

function tooLarge(maxBytes: number): string {
  return `<p class="notice">This file is larger than ${formatSize(maxBytes)}, the most this page accepts. Split it into smaller files.</p>`;
}

/** Pages run only this site's script, cannot be framed by another site, and are not cached (they hold CSRF tokens). */
const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
};

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, pageHeaders).end(html);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location }).end();
}

/** A path segment decoded, or `''` (found nowhere, so a 404) when its `%` escapes are malformed, which throws. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
