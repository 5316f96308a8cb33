// `npm run bench:mail`: 10,000 introductions to a local SMTP server, sent by `sendIntroductions` through the
// SMTP mailer over a nodemailer transport, in one run, alternating, each in a fresh process against a fresh
// server:
//   pooled       `pool: true`, `maxConnections` = concurrency (4): messages share a few open connections
//                (nodemailer opens a new one after each connection's 100 messages, its `maxMessages` default)
//   per-message  `pool: false`: a new connection, greeting and EHLO for every message, concurrency 4
// The server (smtp-sink.ts) is `smtp-server` in its own process on 127.0.0.1; each run must deliver exactly N
// messages with N distinct Message-IDs to N distinct recipients, and leave the outbox with N sent.
// Then the pooled sender alone at several N, for its memory: once left alone (peak heap and RSS), once with a
// full collection at each tenth of the messages (the heap the run holds alive as it goes); then the largest N
// once more with V8's old generation capped (--heap-limit MiB), to show the peak is V8's choice, not need.
//
// Bundled to .bench/mail-build/bench/mail/run.js beside sender.js and smtp-sink.js (see the `bench:mail` script).
// Options: --n 10000  --reps 3 (0: memory only)  --concurrency 4  --memory 1000,10000,40000 ('' : none)
//          --heap-limit 128 ('' : no capped run)  --out FILE (default .bench/mail-results.md)
import { fork, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SenderReport } from './sender.js';
import type { SinkStats } from './smtp-sink.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    reps: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    memory: { type: 'string', default: '1000,10000,40000' },
    'heap-limit': { type: 'string', default: '128' },
    out: { type: 'string', default: join(root, '.bench', 'mail-results.md') },
  },
});
const n = Number(values.n);
const reps = Number(values.reps);
const concurrency = Number(values.concurrency);
const memoryNs = values.memory === '' ? [] : values.memory.split(',').map(Number);

type Mode = SenderReport['mode'];
interface Measured {
  readonly sender: SenderReport;
  readonly sink: SinkStats;
}

/** Starts a fresh sink, runs one sender process against it, and checks that exactly `count` distinct messages arrived. */
async function measure(mode: Mode, count: number, probe = false, heapLimit?: number): Promise<Measured> {
  const sink = fork(join(here, 'smtp-sink.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((done, fail) => {
      sink.once('message', (message) => {
        done((message as { port: number }).port);
      });
      sink.once('error', fail);
    });
    const sender = await new Promise<SenderReport>((done, fail) => {
      const limit = heapLimit === undefined ? [] : [`--max-old-space-size=${String(heapLimit)}`];
      const args = ['--expose-gc', ...limit, join(here, 'sender.js'), '--mode', mode, '--n', String(count), '--port', String(port)];
      const options = ['--concurrency', String(concurrency), ...(probe ? ['--probe'] : [])];
      const child = spawn(process.execPath, [...args, ...options], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
      child.on('error', fail);
      child.on('close', (code) => {
        if (code === 0) done(JSON.parse(out) as SenderReport);
        else fail(new Error(`sender ${mode} exited with ${String(code)}: ${out}`));
      });
    });
    const received = await new Promise<SinkStats>((done) => {
      sink.once('message', (message) => {
        done(message as SinkStats);
      });
      sink.send('stats');
    });
    const problems = [
      sender.result.sent !== count && `sendIntroductions reported ${String(sender.result.sent)} sent`,
      sender.outbox.sent !== count && `the outbox says ${String(sender.outbox.sent)} sent`,
      received.messages !== count && `the server accepted ${String(received.messages)} messages`,
      received.distinctMessageIds !== count && `the server saw ${String(received.distinctMessageIds)} distinct Message-IDs`,
      received.distinctRecipients !== count && `the server saw ${String(received.distinctRecipients)} distinct recipients`,
    ].filter((problem) => problem !== false);
    if (problems.length > 0) throw new Error(`${mode}, N = ${String(count)}: ${problems.join('; ')}`);
    return { sender, sink: received };
  } finally {
    sink.send('close');
  }
}

const loadBefore = loadavg();
const samples: Record<Mode, Measured[]> = { pooled: [], 'per-message': [] };
for (let rep = 1; rep <= reps; rep++) {
  // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
  const order: Mode[] = rep % 2 === 1 ? ['pooled', 'per-message'] : ['per-message', 'pooled'];
  for (const mode of order) {
    const measured = await measure(mode, n);
    samples[mode].push(measured);
    const { seconds, cpuSeconds } = measured.sender;
    console.error(
      `rep ${String(rep)} ${mode}: ${seconds.toFixed(2)} s, sender CPU ${cpuSeconds.toFixed(2)} s, ${String(measured.sink.connections)} connections, load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
}
const loadAfterTiming = loadavg();

const memory: Measured[] = [];
const probed: Measured[] = [];
for (const count of memoryNs) {
  const measured = await measure('pooled', count);
  memory.push(measured);
  const { seconds, heapSeeded, heapAfter, rssPeak } = measured.sender;
  console.error(
    `memory N = ${String(count)}: ${seconds.toFixed(2)} s, heap seeded ${mib(heapSeeded)}, after ${mib(heapAfter)}, peak RSS ${mib(rssPeak)}`,
  );
  const live = await measure('pooled', count, true);
  probed.push(live);
  console.error(`memory N = ${String(count)}, probed: live heap ${live.sender.liveHeap.map(mib).join(', ')}`);
}
const heapLimit = values['heap-limit'] === '' ? undefined : Number(values['heap-limit']);
const largest = Math.max(...memoryNs);
const capped = heapLimit === undefined || memoryNs.length === 0 ? undefined : await measure('pooled', largest, false, heapLimit);
if (capped) console.error(`memory N = ${String(largest)}, old generation capped at ${String(heapLimit)} MiB: peak RSS ${mib(capped.sender.rssPeak)}`);
const loadAfter = loadavg();

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const load = (xs: readonly number[]): string => xs.map((x) => x.toFixed(1)).join(' / ');
const count = (x: number): string => x.toLocaleString('en-US');

function row(mode: Mode, ratio: string): string {
  const runs = samples[mode];
  const seconds = median(runs.map((m) => m.sender.seconds));
  const cpu = median(runs.map((m) => m.sender.cpuSeconds));
  const connections = median(runs.map((m) => m.sink.connections));
  return `| ${mode} | ${seconds.toFixed(2)} s | ${runs.map((m) => m.sender.seconds.toFixed(2)).join(', ')} | ${(n / seconds).toFixed(0)} | ${cpu.toFixed(2)} s | ${count(connections)} | ${ratio} |`;
}
const pooled = median(samples.pooled.map((m) => m.sender.seconds));
const perMessage = median(samples['per-message'].map((m) => m.sender.seconds));
const ratio = perMessage / pooled;

const timing = `${count(n)} introductions, ${String(reps)} alternating repetitions, each in a fresh sender process against a fresh smtp-server process on 127.0.0.1; concurrency ${String(concurrency)}; memory store; Node ${process.version}; ${String(cpus().length)} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average (1 / 5 / 15 min) ${load(loadBefore)} before, ${load(loadAfterTiming)} after the timed runs, ${load(loadAfter)} at the end.

| sending | median | runs (s) | messages/s | sender CPU (median) | connections | ratio |
| --- | ---: | --- | ---: | ---: | ---: | ---: |
${row('pooled', '1.00×')}
${row('per-message', `${ratio.toFixed(1)}× pooled`)}

per-message / pooled = ${ratio.toFixed(1)} (target at least 5: ${ratio >= 5 ? 'met' : 'missed'}). Every run: exactly ${count(n)} messages accepted, ${count(n)} distinct Message-IDs and recipients, outbox ${count(n)} sent.
`;
const memoryReport = `Pooled sender alone, for memory (heap in use after a full collection; peak heap sampled every 10 ms while sending):

| N | seconds | heap before seeding | heap seeded (store) | heap after sending | after − seeded | peak heap while sending | RSS seeded | peak RSS | peak RSS − RSS seeded |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${memory
  .map(({ sender: s }) =>
    [
      count(s.n),
      s.seconds.toFixed(2),
      mib(s.heapBefore),
      mib(s.heapSeeded),
      mib(s.heapAfter),
      mib(s.heapAfter - s.heapSeeded),
      mib(s.heapPeak),
      mib(s.rssSeeded),
      mib(s.rssPeak),
      mib(s.rssPeak - s.rssSeeded),
    ].join(' | '),
  )
  .map((cells) => `| ${cells} |`)
  .join('\n')}

The same with a full collection at each tenth of the messages (heap the run holds alive as it goes):

| N | heap seeded | live heap at each tenth (min – max) | max − seeded | seconds |
| ---: | ---: | ---: | ---: | ---: |
${probed
  .map(({ sender: s }) => {
    const most = Math.max(...s.liveHeap);
    return `| ${count(s.n)} | ${mib(s.heapSeeded)} | ${mib(Math.min(...s.liveHeap))} – ${mib(most)} | ${mib(most - s.heapSeeded)} | ${s.seconds.toFixed(2)} |`;
  })
  .join('\n')}
${
  capped === undefined
    ? ''
    : `
N = ${count(largest)} again with \`--max-old-space-size=${String(heapLimit)}\`: ${capped.sender.seconds.toFixed(2)} s, heap seeded ${mib(capped.sender.heapSeeded)}, peak heap while sending ${mib(capped.sender.heapPeak)}, peak RSS ${mib(capped.sender.rssPeak)} (${mib(capped.sender.rssPeak - capped.sender.rssSeeded)} above seeded).
`
}`;
const report = [reps > 0 ? timing : '', memoryNs.length > 0 ? memoryReport : ''].filter((part) => part !== '').join('\n');
writeFileSync(values.out, report);
console.log(report);
