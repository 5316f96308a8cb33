// The markup the web example shows, as plain strings: browser-safe, so the page's own check in the browser
// draws the same failure tile as the server.
import { csvReportRows, type ErrorSummary } from 'rollcall';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The failure tile: the headline, the Error Summary table (Row, Column, Problem) and a link to the CSV
 * error report, where `reportHref` points.
 */
export function failureTile(summary: ErrorSummary, reportHref: string, checkedWhere: 'browser' | 'server'): string {
  const [, ...rows] = csvReportRows(summary);
  const body = rows
    // The row is in its own column, so the message's own "Row 3: " lead-in is left out.
    .map(([row, column, , problem]) => `<tr><td>${escapeHtml(row ?? '')}</td><td>${escapeHtml(column ?? '')}</td><td>${escapeHtml((problem ?? '').replace(/^Row \d+: /u, ''))}</td></tr>`)
    .join('');
  const where =
    checkedWhere === 'browser'
      ? 'Your browser checked the file: nothing was uploaded and no user was created.'
      : 'Nothing was imported and no email was sent.';
  const more = summary.truncated ? '<p>Only the first problems are listed; fix them and upload the file again to see the rest.</p>' : '';
  return `<section class="tile failure" data-checked="${checkedWhere}">
<h2>Sorry, your import was not successful</h2>
<p>${escapeHtml(where)} ${summary.errorCount.toLocaleString('en-US')} problem${summary.errorCount === 1 ? '' : 's'} to fix.</p>
<h3>Error Summary</h3>
<table class="error-summary"><thead><tr><th>Row</th><th>Column</th><th>Problem</th></tr></thead><tbody>${body}</tbody></table>
${more}<p><a class="report-link" href="${escapeHtml(reportHref)}" download="import-errors.csv">Download the error report</a> (your rows with each problem) to fix the file and upload it again.</p>
</section>`;
}

/** A byte count as an admin reads it: "5 MB", "64 KB". */
export function formatSize(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${mb.toLocaleString('en-US', { maximumFractionDigits: 1 })} MB` : `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB`;
}
