// The pages of the web example's admin console: Administration → Users & Groups → Users, and Import Users.
import type { StoredUser } from 'rollcall/stores';
import { escapeHtml, formatSize } from './html.js';
import type { DemoUser, Session } from './sessions.js';

const style = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
header{background:#243b53;color:#fff;padding:.7em 1.5em;display:flex;justify-content:space-between;align-items:center}
header form{display:inline}
main{max-width:60em;margin:1.5em auto;padding:0 1.5em}
nav.crumbs{color:#627d98;margin-bottom:.5em}
.tabs{display:flex;gap:1.5em;border-bottom:2px solid #d9e2ec;margin-bottom:1em;align-items:flex-end}
.tabs .tab{padding:.4em 0}.tabs .current{border-bottom:3px solid #2680c2;font-weight:600}
.tabs .actions{margin-left:auto;padding-bottom:.4em}
a.button,button{background:#2680c2;color:#fff;border:0;border-radius:4px;padding:.45em 1em;font:inherit;text-decoration:none;cursor:pointer}
button.secondary,a.button.secondary{background:#e4e7eb;color:#1f2933}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d9e2ec;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f0f4f8}
.tile{background:#fff;border-radius:6px;padding:1em 1.5em;margin:1em 0;border-left:6px solid}
.tile.success{border-color:#3ebd93}.tile.failure{border-color:#e12d39}
.notice{background:#fffbea;padding:.5em 1em;border-radius:4px}
.refusal{background:#ffe3e3;padding:1em;border-radius:4px}
form.inline{display:inline}
`;

/** A whole page, with the header showing who is signed in. */
export function layout(title: string, body: string, session?: Session): string {
  const who = session
    ? `<span>Signed in as ${escapeHtml(session.user.name)} (${session.user.role})</span>
<form method="post" action="/sign-out"><input type="hidden" name="csrf" value="${session.csrf}"><button class="secondary">Sign out</button></form>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · rollcall demo</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${style}</style></head>
<body><header><strong>rollcall demo console</strong><div>${who}</div></header><main>${body}</main></body></html>`;
}

/** The demo sign-in page: one button per demo account. */
export function signInPage(): string {
  const button = (role: DemoUser['role'], label: string): string =>
    `<form method="post" action="/sign-in" class="inline"><input type="hidden" name="role" value="${role}"><button>${label}</button></form>`;
  return layout(
    'Sign in',
    `<h1>Sign in</h1><p>This demo has two accounts.</p><p>${button('admin', 'Sign in as the demo admin')} ${button('member', 'Sign in as a demo member')}</p>`,
  );
}

function administration(current: 'users' | 'import', body: string): string {
  return `<nav class="crumbs">Administration › Users &amp; Groups</nav><h1>Users &amp; Groups</h1>
<div class="tabs"><a class="tab ${current === 'users' ? 'current' : ''}" href="/admin/users">Users</a><span class="tab">Groups</span>
<span class="actions"><a class="button" href="/admin/users/import">Import Users</a></span></div>${body}`;
}

/** The Users tab: every user, whether they were sent an introduction, and the button to send those not sent. */
export function usersPage(session: Session, users: readonly StoredUser[], notSent: ReadonlySet<string>): string {
  const rows = users
    .map((user) => {
      const intro = notSent.has(user.id) ? 'Not sent yet' : 'Sent';
      return `<tr><td>${escapeHtml(user.firstName)} ${escapeHtml(user.lastName)}</td><td>${escapeHtml(user.email)}</td><td class="intro">${intro}</td></tr>`;
    })
    .join('');
  const flash = session.flash === undefined ? '' : `<p class="notice" id="flash">${escapeHtml(session.flash)}</p>`;
  session.flash = undefined;
  const send =
    notSent.size > 0 && session.user.role === 'admin'
      ? `<form method="post" action="/admin/users/introductions"><input type="hidden" name="csrf" value="${session.csrf}">
<button id="send-pending">Send introduction email to the ${notSent.size} user${notSent.size === 1 ? '' : 's'} not sent one</button></form>`
      : '';
  const table =
    users.length === 0
      ? '<p>No users yet. Import them from a spreadsheet with Import Users.</p>'
      : `<table id="users"><thead><tr><th>Name</th><th>Email</th><th>Introduction email</th></tr></thead><tbody>${rows}</tbody></table>`;
  return layout('Users', administration('users', `${flash}${send}${table}`), session);
}

/** The import page: the template link, Select File and Import; members see why they cannot. */
export function importPage(session: Session, maxBytes: number, result = ''): string {
  if (session.user.role !== 'admin') {
    return layout('Import Users', administration('import', '<h2>Import Users</h2><p class="refusal">You need admin rights to import users.</p>'), session);
  }
  const body = `<h2>Import Users</h2>
<ol><li>Fill in the <a id="template" href="/admin/users/import/template">download import template</a> (CSV) or the <a id="template-xlsx" href="/admin/users/import/template.xlsx">Excel template</a> in Excel (or any spreadsheet) and save it.</li>
<li>Select the file and Import it. Every user is imported, or none: a file with problems changes nothing.</li></ol>
<form id="import-form" method="post" action="/admin/users/import" enctype="multipart/form-data" data-max-bytes="${maxBytes}">
<input type="hidden" name="csrf" value="${session.csrf}">
<label for="file">Select File</label> <input type="file" id="file" name="file" accept=".csv,text/csv,.xlsx,.ods">
<button id="import">Import</button> <small>CSV, Excel (.xlsx) or OpenDocument (.ods), up to ${formatSize(maxBytes)}.</small>
</form>
<div id="result">${result}</div>
<script type="module" src="/assets/import-check.js"></script>`;
  return layout('Import Users', administration('import', body), session);
}

/** The success tile: the results file with the temporary passwords, introductions, and Close. */
export function successTile(session: Session, importId: string, created: number, skipped: number, expiresAt: Date): string {
  const skippedText = skipped === 0 ? '' : ` ${skipped} row${skipped === 1 ? ' was' : 's were'} skipped: those users already exist.`;
  return `<section class="tile success"><h2>Your import was successful</h2>
<p>${created} user${created === 1 ? '' : 's'} created.${skippedText}</p>
<p><a id="results" href="/admin/users/import/${encodeURIComponent(importId)}/results.csv">Download the imported users and their temporary passwords</a>.
The passwords are shown only in this file: give each user theirs, then delete it. They expire on ${escapeHtml(expiresAt.toUTCString())}.</p>
<form method="post" action="/admin/users/introductions" class="inline"><input type="hidden" name="csrf" value="${session.csrf}">
<input type="hidden" name="importId" value="${escapeHtml(importId)}"><button id="send-intro">Send an introduction email to all new users</button></form>
<a class="button secondary" id="close" href="/admin/users">Close</a></section>`;
}

/** A plain message page with a status, for refusals and errors. */
export function messagePage(title: string, text: string, session?: Session): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="refusal">${escapeHtml(text)}</p><p><a href="/admin/users">Back to Users</a></p>`, session);
}
