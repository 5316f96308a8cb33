// The Import Users flow of examples/web in Debian's Chromium, driven by playwright-core (no downloaded browser).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsx } from '../helpers/xlsx.js';
import { startWebExample, type RunningServer } from './web-server.js';

const root = join(import.meta.dirname, '..', '..');
const maxUpload = 64 * 1024;
let work: string;
let server: RunningServer;
let browser: Browser;
let admin: BrowserContext;
let page: Page;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollcall-web-e2e-'));
  server = await startWebExample(root, {
    ROLLCALL_WEB_DATA: join(work, 'data'),
    ROLLCALL_WEB_OUTBOX: join(work, 'outbox'),
    ROLLCALL_WEB_MAX_UPLOAD: String(maxUpload),
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // playwright-core gives the browser a fresh --user-data-dir of its own for every launch.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  admin = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 760 } });
  page = await admin.newPage();
});

afterAll(async () => {
  await browser.close();
  await server.stop();
  await rm(work, { recursive: true, force: true });
});

async function signIn(target: Page, role: 'admin' | 'member'): Promise<void> {
  await target.goto(server.url);
  await target.getByRole('button', { name: role === 'admin' ? 'Sign in as the demo admin' : 'Sign in as a demo member' }).click();
  await target.waitForURL('**/admin/users');
}

async function outboxFiles(): Promise<string[]> {
  try {
    return (await readdir(join(work, 'outbox'))).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
}

async function downloadText(target: Page, click: () => Promise<void>): Promise<Buffer> {
  const [download] = await Promise.all([target.waitForEvent('download'), click()]);
  return readFile(await download.path());
}

describe('the Import Users page', () => {
  it('signs the admin in and opens Administration → Users & Groups → Users → Import Users', async () => {
    await signIn(page, 'admin');
    await expect(page.locator('nav.crumbs').textContent()).resolves.toContain('Administration › Users & Groups');
    await expect(page.locator('.tabs .current').textContent()).resolves.toBe('Users');
    await page.getByRole('link', { name: 'Import Users' }).click();
    await page.waitForURL('**/admin/users/import');
    await expect(page.getByLabel('Select File').count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Import' }).count()).resolves.toBe(1);
  });

  it('downloads the import template: UTF-8 with a byte order mark, the users columns', async () => {
    const bytes = await downloadText(page, () => page.getByRole('link', { name: 'download import template' }).click());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('First Name,Last Name,Email\r\n');
  });

  it('checks a bad file in the browser and shows its Error Summary without uploading it', async () => {
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') uploads.push(request.url());
    });
    await page.getByLabel('Select File').setInputFiles(join(root, 'examples', 'users-with-problems.csv'));
    await page.getByRole('button', { name: 'Import' }).click();
    const tile = page.locator('.tile.failure[data-checked="browser"]');
    await tile.waitFor();
    await expect(tile.locator('h2').textContent()).resolves.toBe('Sorry, your import was not successful');
    const rows = await tile.locator('table.error-summary tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
    );
    expect(rows).toEqual([
      ['3', 'Last Name'],
      ['4', 'Email'],
      ['5', 'Email'],
    ]);
    await expect(tile.locator('tbody tr').first().locator('td').nth(2).textContent()).resolves.toBe('Last Name is blank. Every user needs one; fill it in.');
    await expect(tile.locator('tbody tr').nth(1).locator('td').nth(2).textContent()).resolves.toContain('more than one @');
    await page.screenshot({ path: join(root, 'docs', 'images', 'import-failure.png'), fullPage: true });
    const report = await downloadText(page, () => tile.getByRole('link', { name: 'Download the error report' }).click());
    expect(report.toString('utf8')).toMatch(/^\ufeffRow,Column,Code,Problem,Value\r\n3,Last Name,/u);
    expect(uploads).toEqual([]);
  });

  it('checks a workbook in the browser too, with the row numbers Excel shows, without uploading it', async () => {
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') uploads.push(request.url());
    });
    const book = xlsx({
      sheets: [{ name: 'Users', rows: [['First Name', 'Last Name', 'Email'], ['Lise', 'Meitner', 'lise@example.org'], ['Otto', '', 'otto@example.org']] }],
    });
    // A fresh page, so the tile waited for is this file's, not the one the test before left.
    await page.goto(new URL('admin/users/import', server.url).toString());
    await page.getByLabel('Select File').setInputFiles({
      name: 'users.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(book),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    const tile = page.locator('.tile.failure[data-checked="browser"]');
    await tile.waitFor();
    const rows = await tile.locator('table.error-summary tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
    );
    expect(rows).toEqual([['3', 'Last Name']]);
    expect(uploads).toEqual([]);
  });

  it('imports a valid file: the success tile, the results file with the temporary passwords', async () => {
    await page.getByLabel('Select File').setInputFiles(join(root, 'examples', 'users.csv'));
    await Promise.all([page.waitForURL('**/admin/users/import'), page.getByRole('button', { name: 'Import' }).click()]);
    const tile = page.locator('.tile.success');
    await tile.waitFor();
    await expect(tile.locator('h2').textContent()).resolves.toBe('Your import was successful');
    await expect(tile.textContent()).resolves.toContain('9 users created.');
    await page.screenshot({ path: join(root, 'docs', 'images', 'import-success.png'), fullPage: true });

    const results = (await downloadText(page, () => tile.getByRole('link', { name: /temporary passwords/u }).click())).toString('utf8');
    const [header, ...lines] = results.replace(/^\ufeff/u, '').trimEnd().split('\r\n');
    expect(header).toBe('First Name,Last Name,Email,Temporary Password');
    const emails = (await readFile(join(root, 'examples', 'users.csv'), 'utf8')).trimEnd().split(/\r?\n/u).slice(1).map((line) => line.split(',')[2]);
    expect(lines.map((line) => line.split(',')[2])).toEqual(emails);
    for (const line of lines) expect(line.split(',')[3]).toMatch(/^\S{12,}$/u);
  });

  it('sends an introduction email to all new users into the outbox, then lists them as sent', async () => {
    expect(await outboxFiles()).toEqual([]);
    await Promise.all([page.waitForURL('**/admin/users'), page.getByRole('button', { name: 'Send an introduction email to all new users' }).click()]);
    await expect(page.locator('#flash').textContent()).resolves.toBe('Introduction emails: 9 sent.');
    const files = await outboxFiles();
    expect(files).toHaveLength(9);
    const messages = await Promise.all(files.map((name) => readFile(join(work, 'outbox', name), 'utf8')));
    expect(messages.some((text) => /^To: .*zoe\.angstrom@example\.org/mu.test(text))).toBe(true);
    expect(messages.every((text) => text.includes('/sign-in'))).toBe(true);
    await expect(page.locator('#users td.intro').allTextContents()).resolves.toEqual(Array.from({ length: 9 }, () => 'Sent'));
  });

  it('offers the introduction email on the users list to users not sent one', async () => {
    await page.getByRole('link', { name: 'Import Users' }).click();
    await page.getByLabel('Select File').setInputFiles({
      name: 'two.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('First Name;Last Name;Email\r\nGrace;Hopper;grace@example.org\r\nAlan;Turing;alan@example.org\r\n'),
    });
    await Promise.all([page.waitForURL('**/admin/users/import'), page.getByRole('button', { name: 'Import' }).click()]);
    await page.locator('.tile.success').waitFor();
    await Promise.all([page.waitForURL('**/admin/users'), page.getByRole('link', { name: 'Close' }).click()]);
    const grace = page.locator('#users tr', { hasText: 'grace@example.org' });
    await expect(grace.locator('td.intro').textContent()).resolves.toBe('Not sent yet');
    await Promise.all([page.waitForURL('**/admin/users'), page.getByRole('button', { name: 'Send introduction email to the 2 users not sent one' }).click()]);
    await expect(page.locator('#flash').textContent()).resolves.toBe('Introduction emails: 2 sent.');
    await expect(grace.locator('td.intro').textContent()).resolves.toBe('Sent');
    expect(await outboxFiles()).toHaveLength(11);
  });
});

describe('the server decides', () => {
  let plain: BrowserContext;
  let noScript: Page;

  beforeAll(async () => {
    // Without scripts the form goes straight to the server: what it answers is what any browser gets.
    plain = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    noScript = await plain.newPage();
    await signIn(noScript, 'admin');
  });

  afterAll(async () => {
    await plain.close();
  });

  async function upload(file: { name: string; mimeType: string; buffer: Buffer }): Promise<number | undefined> {
    await noScript.goto(new URL('admin/users/import', server.url).toString());
    await noScript.getByLabel('Select File').setInputFiles(file);
    const [response] = await Promise.all([
      noScript.waitForResponse((r) => r.request().method() === 'POST'),
      noScript.getByRole('button', { name: 'Import' }).click(),
    ]);
    await noScript.waitForLoadState();
    return response.status();
  }

  it('refuses a bad file with the Error Summary and creates no one', async () => {
    const status = await upload({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('First Name,Last Name,Email\nKurt,Gödel,kurt@example\n,Noether,emmy@example.org\n'),
    });
    expect(status).toBe(422);
    const tile = noScript.locator('.tile.failure[data-checked="server"]');
    await expect(tile.locator('h2').textContent()).resolves.toBe('Sorry, your import was not successful');
    const rows = await tile.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    expect(rows).toEqual([
      ['2', 'Email'],
      ['3', 'First Name'],
    ]);
    const report = await downloadText(noScript, () => tile.getByRole('link', { name: 'Download the error report' }).click());
    expect(report.toString('utf8')).toContain('kurt@example');
    await noScript.goto(new URL('admin/users', server.url).toString());
    await expect(noScript.locator('#users').textContent()).resolves.not.toContain('emmy@example.org');
  });

  it('answers a legacy .xls workbook with the clear message, saying how to save it', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Buffer.alloc(504)]);
    const status = await upload({ name: 'users.xls', mimeType: 'application/vnd.ms-excel', buffer: ole });
    expect(status).toBe(422);
    const summary = await noScript.locator('.error-summary').textContent();
    expect(summary).toContain('an Excel 97–2003 workbook (.xls)');
    expect(summary).toContain('Excel Workbook (*.xlsx)');
  });

  it('refuses a file over the size limit', async () => {
    const big = Buffer.from(`First Name,Last Name,Email\n${'Ada,Lovelace,ada@example.org\n'.repeat(6000)}`);
    expect(big.length).toBeGreaterThan(maxUpload + 64 * 1024);
    const status = await upload({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
    expect(status).toBe(413);
    await expect(noScript.locator('#result').textContent()).resolves.toContain('larger than');
  });

  it('refuses an upload from this site without the form\'s CSRF token', async () => {
    const post = await plain.request.post(new URL('admin/users/import', server.url).toString(), {
      headers: { origin: new URL(server.url).origin },
      multipart: { csrf: 'not-the-token', file: { name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from('First Name,Last Name,Email\nMax,Planck,max@example.org\n') } },
    });
    expect(post.status()).toBe(403);
    expect(await post.text()).toContain('The form has expired');
  });

  it('refuses a form posted from another site', async () => {
    const target = new URL('admin/users/import', server.url).toString();
    const evil: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(
        `<form id="f" method="post" action="${target}" enctype="multipart/form-data"><input name="csrf" value="guess"></form><button id="go" onclick="document.getElementById('f').submit()">go</button>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const attacker = await admin.newPage();
      await attacker.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      // The admin's cookie goes along (same host, another port): the Origin check is what refuses it.
      const [response] = await Promise.all([attacker.waitForResponse(target), attacker.click('#go')]);
      expect(response.status()).toBe(403);
      await expect(attacker.locator('.refusal').textContent()).resolves.toBe('This form was not sent from this site.');
      await attacker.close();
    } finally {
      await new Promise<void>((resolve) => evil.close(() => { resolve(); }));
    }
  });
});

describe('a member', () => {
  it('is told they need admin rights, and their upload is answered 403', async () => {
    const context = await browser.newContext();
    try {
      const member = await context.newPage();
      await signIn(member, 'member');
      // Finding 12 of issue 27: the users list, every user's name and email, is for admins only.
      await expect(member.locator('.refusal').textContent()).resolves.toBe('You need admin rights to see the users.');
      await expect(member.locator('#users').count()).resolves.toBe(0);
      const response = await member.goto(new URL('admin/users/import', server.url).toString());
      expect(response?.status()).toBe(403);
      await expect(member.locator('.refusal').textContent()).resolves.toBe('You need admin rights to import users.');
      await expect(member.locator('#import-form').count()).resolves.toBe(0);

      const post = await context.request.post(new URL('admin/users/import', server.url).toString(), {
        headers: { origin: new URL(server.url).origin },
        multipart: { file: { name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from('First Name,Last Name,Email\nMax,Mustermann,max@example.org\n') } },
      });
      expect(post.status()).toBe(403);
      expect(await post.text()).toContain('You need admin rights to import users.');
    } finally {
      await context.close();
    }
  });
});
