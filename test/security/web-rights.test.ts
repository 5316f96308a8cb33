// The web example over HTTP: members and cross-site posts are refused (403) before an upload is read and
// before anything is imported, the admin's own same-site post with its CSRF token goes through, and the
// CSV files it serves are formula-safe. Runs the example server as `npm run example:web` does (needs dist/).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../src/validate/validate-rows.js';
import { startWebExample, type RunningServer } from '../e2e/web-server.js';
import { xlsx } from '../helpers/xlsx.js';
import { expectNoFormulaInAnyLocale } from './csv-readers.js';

const root = join(import.meta.dirname, '..', '..');
let work: string;
let server: RunningServer;
let origin: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollcall-web-security-'));
  server = await startWebExample(root, { ROLLCALL_WEB_DATA: join(work, 'data'), ROLLCALL_WEB_OUTBOX: join(work, 'outbox'), ROLLCALL_WEB_MAX_UPLOAD: String(256 * 1024) });
  origin = new URL(server.url).origin;
}, 240_000);

afterAll(async () => {
  await server.stop();
  await rm(work, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP request with exactly these headers (no browser rules about Origin or Sec-Fetch-*). */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, server.url), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs in as the demo admin or member; returns the cookie and the session's CSRF token. */
async function signIn(role: 'admin' | 'member'): Promise<{ cookie: string; csrf: string }> {
  const answer = await send('POST', '/sign-in', { origin, 'content-type': 'application/x-www-form-urlencoded' }, new TextEncoder().encode(`role=${role}`));
  expect(answer.status).toBe(303);
  const cookie = (answer.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  const page = await send('GET', '/admin/users', { cookie });
  const csrf = /name="csrf" value="([^"]+)"/u.exec(page.body)?.[1];
  if (csrf === undefined) throw new Error(`no CSRF token on the users page: ${page.body}`);
  return { cookie, csrf };
}

/** A multipart upload of `csv` with the given CSRF token, as the import form sends it. */
async function uploadBody(csv: string, csrf: string | undefined): Promise<{ body: Uint8Array; type: string }> {
  const form = new FormData();
  if (csrf !== undefined) form.set('csrf', csrf);
  form.set('file', new File([csv], 'users.csv', { type: 'text/csv' }));
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: new Uint8Array(await request.arrayBuffer()), type: request.headers.get('content-type') ?? '' };
}

async function upload(csv: string, headers: Record<string, string>, csrf: string | undefined): Promise<Answer> {
  const { body, type } = await uploadBody(csv, csrf);
  return send('POST', '/admin/users/import', { ...headers, 'content-type': type }, body);
}

/** Whether the users page, as the admin sees it, lists `email`. */
async function listed(admin: { cookie: string }, email: string): Promise<boolean> {
  return (await send('GET', '/admin/users', { cookie: admin.cookie })).body.includes(email);
}

function usersCsv(email: string): string {
  return `First Name,Last Name,Email\r\nMax,Planck,${email}\r\n`;
}

describe('the web example refuses members', () => {
  it('answers 403 to a member on the import page, the template, the upload and the introductions, and imports nothing', async () => {
    const admin = await signIn('admin');
    const member = await signIn('member');
    expect((await send('GET', '/admin/users/import', { cookie: member.cookie })).status).toBe(403);
    expect((await send('GET', '/admin/users/import/template', { cookie: member.cookie })).status).toBe(403);
    expect((await send('GET', '/admin/users/import/template.xlsx', { cookie: member.cookie })).status).toBe(403);
    const post = await upload(usersCsv('member-upload@example.org'), { cookie: member.cookie, origin }, member.csrf);
    expect(post.status).toBe(403);
    expect(post.body).toContain('You need admin rights');
    const intro = await send('POST', '/admin/users/introductions', { cookie: member.cookie, origin, 'content-type': 'application/x-www-form-urlencoded' }, new TextEncoder().encode(`csrf=${member.csrf}`));
    expect(intro.status).toBe(403);
    expect(await listed(admin, 'member-upload@example.org')).toBe(false);
  });

  it("answers a member's upload before its body has arrived", async () => {
    const member = await signIn('member');
    const { body, type } = await uploadBody(usersCsv('member-slow@example.org'), member.csrf);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(new URL('/admin/users/import', server.url), {
        method: 'POST',
        headers: { cookie: member.cookie, origin, 'content-type': type, 'content-length': String(body.length + 1_000_000) },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') reject(error);
      });
      // Only the start of the body is sent, and the rest never: the answer cannot wait for it.
      req.write(body);
    });
    expect(status).toBe(403);
  });

  it("does not serve an admin's results file to a member or to another admin's session", async () => {
    const admin = await signIn('admin');
    const answer = await upload(usersCsv('results-owner@example.org'), { cookie: admin.cookie, origin }, admin.csrf);
    expect(answer.status).toBe(200);
    const link = /href="(\/admin\/users\/import\/[^"]+\/results\.csv)"/u.exec(answer.body)?.[1];
    if (link === undefined) throw new Error(`no results link: ${answer.body}`);
    const own = await send('GET', link, { cookie: admin.cookie });
    expect(own.status).toBe(200);
    expect(own.headers['cache-control']).toBe('no-store');
    expect(own.body).toContain('results-owner@example.org');
    const member = await signIn('member');
    expect((await send('GET', link, { cookie: member.cookie })).status).toBe(403);
    const otherAdmin = await signIn('admin');
    expect((await send('GET', link, { cookie: otherAdmin.cookie })).status).toBe(404);
    expect((await send('GET', link)).status).toBe(303);
  });
});

// Finding 12 of issue 27: a member could read every user's name and email on the users list, and a results link
// with a malformed % escape answered 500 with a stack trace in the server's log.
describe('finding 12: the users list is for admins, and a malformed path escape is a 404', () => {
  it("answers 403 to a member on the users list and the home page, without any user's name or email", async () => {
    const admin = await signIn('admin');
    expect((await upload(usersCsv('listed-user@example.org'), { cookie: admin.cookie, origin }, admin.csrf)).status).toBe(200);
    expect(await listed(admin, 'listed-user@example.org')).toBe(true);
    const member = await signIn('member');
    for (const path of ['/admin/users', '/']) {
      const answer = await send('GET', path, { cookie: member.cookie });
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.body).toContain('You need admin rights to see the users.');
      expect(answer.body).not.toContain('listed-user@example.org');
      expect(answer.body).not.toContain('Planck');
    }
  });

  it('answers 404 to a results path whose % escape is malformed, and logs no error', async () => {
    const admin = await signIn('admin');
    const before = server.errors();
    for (const id of ['%', '%E0%A4%A', '%zz', 'a%2']) {
      const answer = await send('GET', `/admin/users/import/${id}/results.csv`, { cookie: admin.cookie });
      expect([id, answer.status]).toEqual([id, 404]);
    }
    expect(server.errors().slice(before.length)).toBe('');
  });
});

describe('the web example refuses cross-site posts', () => {
  const refusedOrigins: readonly [string, (own: string) => Record<string, string>][] = [
    ['another site as Origin', () => ({ origin: 'http://evil.example' })],
    ['the same host on another port', (own) => ({ origin: own.replace(/:\d+$/u, ':1') })],
    ['Origin: null (a sandboxed frame or a redirect)', () => ({ origin: 'null' })],
    ['no Origin at all', () => ({})],
    ['a cross-site Sec-Fetch-Site, whatever the Origin says', (own) => ({ origin: own, 'sec-fetch-site': 'cross-site' })],
    ['a same-site (sibling subdomain) Sec-Fetch-Site', (own) => ({ origin: own, 'sec-fetch-site': 'same-site' })],
  ];

  for (const [what, headers] of refusedOrigins) {
    it(`refuses an admin's upload with ${what}, with the right CSRF token, importing nothing`, async () => {
      const admin = await signIn('admin');
      const email = `cross-${String(refusedOrigins.findIndex(([w]) => w === what))}@example.org`;
      const answer = await upload(usersCsv(email), { cookie: admin.cookie, ...headers(origin) }, admin.csrf);
      expect(answer.status).toBe(403);
      expect(await listed(admin, email)).toBe(false);
    });
  }

  it('refuses a same-site upload with a wrong or missing CSRF token, or with another session\'s', async () => {
    const admin = await signIn('admin');
    const other = await signIn('admin');
    for (const [n, csrf] of ['guess', undefined, other.csrf, `${admin.csrf}x`, ''].entries()) {
      const email = `token-${String(n)}@example.org`;
      const answer = await upload(usersCsv(email), { cookie: admin.cookie, origin, 'sec-fetch-site': 'same-origin' }, csrf);
      expect(answer.status, String(csrf)).toBe(403);
      expect(await listed(admin, email)).toBe(false);
    }
  });

  it('refuses cross-site sign-in, sign-out and introductions', async () => {
    const admin = await signIn('admin');
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' };
    expect((await send('POST', '/sign-in', form, new TextEncoder().encode('role=admin'))).status).toBe(403);
    expect((await send('POST', '/sign-out', { ...form, cookie: admin.cookie }, new TextEncoder().encode(`csrf=${admin.csrf}`))).status).toBe(403);
    expect((await send('POST', '/admin/users/introductions', { ...form, cookie: admin.cookie }, new TextEncoder().encode(`csrf=${admin.csrf}`))).status).toBe(403);
    // The session survived the cross-site sign-out.
    expect((await send('GET', '/admin/users', { cookie: admin.cookie })).status).toBe(200);
  });

  it("lets the admin's own same-origin post with its token through (the refusals above are not the server refusing everything)", async () => {
    const admin = await signIn('admin');
    const answer = await upload(usersCsv('allowed@example.org'), { cookie: admin.cookie, origin, 'sec-fetch-site': 'same-origin' }, admin.csrf);
    expect(answer.status).toBe(200);
    expect(await listed(admin, 'allowed@example.org')).toBe(true);
  });
});

describe('workbooks in the web example', () => {
  it('serves the .xlsx template to an admin, and imports the users of an uploaded workbook', async () => {
    const admin = await signIn('admin');
    const page = await send('GET', '/admin/users/import', { cookie: admin.cookie });
    expect(page.body).toContain('href="/admin/users/import/template.xlsx"');
    expect(page.body).toContain('accept=".csv,text/csv,.xlsx,.ods"');
    const template = await new Promise<{ status: number; type: string | undefined; bytes: Uint8Array }>((resolve, reject) => {
      const req = httpRequest(new URL('/admin/users/import/template.xlsx', server.url), { headers: { cookie: admin.cookie } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], bytes: new Uint8Array(Buffer.concat(chunks)) });
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect([template.status, template.type]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect((await validateFile(template.bytes)).errors.map((e) => e.code)).toEqual(['no_data_rows']);
    const book = xlsx({ sheets: [{ name: 'Users', rows: [['First Name', 'Last Name', 'Email'], ['Lise', 'Meitner', 'lise@example.org']] }] });
    const form = new FormData();
    form.set('csrf', admin.csrf);
    form.set('file', new File([new Uint8Array(book)], 'users.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const answer = await send('POST', '/admin/users/import', { cookie: admin.cookie, origin, 'content-type': request.headers.get('content-type') ?? '' }, new Uint8Array(await request.arrayBuffer()));
    expect(answer.status).toBe(200);
    expect(await listed(admin, 'lise@example.org')).toBe(true);
  });
});

describe('the CSV files the web example serves', () => {
  it('are formula-safe: the error report of a hostile upload and the results file of a hostile import', async () => {
    const admin = await signIn('admin');
    const bad = await upload('First Name,Last Name,Email,=HYPERLINK("http://evil.example")\r\n=cmd|\' /C calc\'!A0,Doe;@SUM(1),=bad\r\n', { cookie: admin.cookie, origin }, admin.csrf);
    expect(bad.status).toBe(422);
    const reportLink = /href="(\/admin\/users\/import\/reports\/[^"]+\.csv)"/u.exec(bad.body)?.[1];
    if (reportLink === undefined) throw new Error(`no report link: ${bad.body}`);
    const report = await send('GET', reportLink, { cookie: admin.cookie });
    expect(report.status).toBe(200);
    expect(report.body).toContain("'=HYPERLINK");
    expectNoFormulaInAnyLocale(report.body, 'the served error report');

    const good = await upload('First Name,Last Name,Email\r\n=cmd|\' /C calc\'!A0,"Doe;@SUM(1)",+web@example.org\r\n', { cookie: admin.cookie, origin }, admin.csrf);
    expect(good.status).toBe(200);
    const resultsLink = /href="(\/admin\/users\/import\/[^"]+\/results\.csv)"/u.exec(good.body)?.[1];
    const results = await send('GET', resultsLink ?? '', { cookie: admin.cookie });
    expect(results.body).toContain("'+web@example.org");
    expectNoFormulaInAnyLocale(results.body, 'the served results file');
  });
});

describe('the pages the web example shows', () => {
  it('escape hostile text from the file: header names and values in the Error Summary, names in the users list', async () => {
    const admin = await signIn('admin');
    const payload = '<img src=x onerror=alert(1)>';
    const bad = await upload(`First Name,Last Name,Email,${payload}\r\n${payload},Doe,${payload}\r\n`, { cookie: admin.cookie, origin }, admin.csrf);
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(bad.body).not.toContain(payload);
    const good = await upload(`First Name,Last Name,Email\r\n${payload},"</td><script>alert(1)</script>",xss@example.org\r\n`, { cookie: admin.cookie, origin }, admin.csrf);
    expect(good.status).toBe(200);
    const list = await send('GET', '/admin/users', { cookie: admin.cookie });
    expect(list.body).toContain('xss@example.org');
    expect(list.body).not.toContain(payload);
    expect(list.body).not.toContain('<script>alert(1)</script>');
    expect(list.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
