// The import page's check in the browser: the same rollcall validator the server runs, on the chosen file,
// before anything is uploaded. The server checks the file again and decides; this only saves a round trip.
import { renderCsvReport, validateFile } from 'rollcall';
import { failureTile } from './html.js';

const form = document.querySelector<HTMLFormElement>('#import-form');
const input = document.querySelector<HTMLInputElement>('#file');
const result = document.querySelector<HTMLElement>('#result');
let reportUrl: string | undefined;

form?.addEventListener('submit', (event) => {
  event.preventDefault();
  void check();
});

async function check(): Promise<void> {
  if (!form || !input || !result) return;
  const file = input.files?.[0];
  if (file === undefined) {
    result.innerHTML = '<p class="notice">Select a CSV file or a workbook to import first.</p>';
    return;
  }
  result.innerHTML = '<p class="notice">Checking your file…</p>';
  const summary = await validateFile(file, { maxBytes: Number(form.dataset.maxBytes) });
  if (summary.valid) {
    result.innerHTML = '<p class="notice">Your file looks right: importing…</p>';
    // submit() sends the form as the browser would without this script: no upload code of our own.
    form.submit();
    return;
  }
  if (reportUrl !== undefined) URL.revokeObjectURL(reportUrl);
  reportUrl = URL.createObjectURL(new Blob([renderCsvReport(summary, { bom: true })], { type: 'text/csv' }));
  result.innerHTML = failureTile(summary, reportUrl, 'browser');
}
