// An actor the host's authorize hook refuses gets RollcallError('unauthorized') before rollcall reads one
// byte of the file or touches the store, from every entry that takes a file and an actor, whatever the
// hook answers short of exactly `true` (false, a truthy non-boolean, a rejection, a slow refusal).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/store/memory.js';
import type { UserStore } from '../../src/adapters/store/types.js';
import { executeImport } from '../../src/execute/execute-import.js';
import { importUsers } from '../../src/execute/import-users.js';
import type { InputSource } from '../../src/input/source.js';
import type { Authorize } from '../../src/plan/authorize.js';
import { planImport } from '../../src/plan/plan-import.js';
import { RollcallError } from '../../src/rollcall-error.js';

const file = 'First Name,Last Name,Email\r\nAda,Lovelace,ada@example.org\r\n';
const bytes = new TextEncoder().encode(file);

interface RecordedSource {
  readonly source: InputSource;
  /** How many times anything asked the source for data (or locked it, for a Web stream). */
  readonly reads: () => number;
}

/** Sources of each kind a host passes, each counting every attempt to read it. */
const sources: Readonly<Record<string, () => RecordedSource>> = {
  'a Web ReadableStream': () => {
    let pulls = 0;
    // highWaterMark 0: the stream itself pulls nothing until a reader asks.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls += 1;
          controller.enqueue(bytes);
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    return { source: stream, reads: () => pulls + (stream.locked ? 1 : 0) };
  },
  'an async iterable': () => {
    let calls = 0;
    const iterable: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        calls += 1;
        let done = false;
        return {
          next: () => {
            calls += 1;
            const result = done ? { done: true as const, value: undefined } : { done: false as const, value: bytes };
            done = true;
            return Promise.resolve(result);
          },
        };
      },
    };
    return { source: iterable, reads: () => calls };
  },
  'a Node Readable': () => {
    let reads = 0;
    const stream = new Readable({
      highWaterMark: 0,
      read() {
        reads += 1;
        this.push(bytes);
        this.push(null);
      },
    });
    return { source: stream, reads: () => reads + (stream.readableFlowing === null ? 0 : 1) + stream.listenerCount('data') };
  },
  'a Blob': () => {
    let reads = 0;
    class RecordingBlob extends Blob {
      override stream(): ReturnType<Blob['stream']> {
        reads += 1;
        return super.stream();
      }
      override arrayBuffer(): Promise<ArrayBuffer> {
        reads += 1;
        return super.arrayBuffer();
      }
      override text(): Promise<string> {
        reads += 1;
        return super.text();
      }
      override bytes(): Promise<Uint8Array<ArrayBuffer>> {
        reads += 1;
        return super.bytes();
      }
      override slice(...args: Parameters<Blob['slice']>): Blob {
        reads += 1;
        return super.slice(...args);
      }
    }
    return { source: new RecordingBlob([bytes]), reads: () => reads };
  },
};

/** A store that records every call, to show a refused import never reaches it. */
function recordingStore(): { store: UserStore; calls: string[] } {
  const real = memoryStore();
  const calls: string[] = [];
  return {
    calls,
    store: {
      findExistingEmails: (keys) => (calls.push('findExistingEmails'), real.findExistingEmails(keys)),
      findImport: (key) => (calls.push('findImport'), real.findImport(key)),
      transaction: (fn) => (calls.push('transaction'), real.transaction(fn)),
    },
  };
}

const refusals: Readonly<Record<string, Authorize<{ role: string }>>> = {
  'answers false': () => false,
  'answers a truthy value that is not true': () => 'yes' as unknown as boolean,
  'rejects': () => Promise.reject(new Error('the permission service is down')),
  'refuses after a while': () => new Promise((resolve) => setTimeout(() => { resolve(false); }, 20)),
};

const member = { role: 'member' };

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('the import was not refused'),
    (error: unknown) => error,
  );
}

describe('an actor the host refuses', () => {
  for (const [kind, make] of Object.entries(sources)) {
    for (const [how, authorize] of Object.entries(refusals)) {
      it(`planImport, importUsers and executeImport refuse when the hook ${how}, before reading ${kind}`, async () => {
        const entries: [string, (source: InputSource, store: UserStore) => Promise<unknown>][] = [
          ['planImport', (source, store) => planImport(source, { store, actor: member, authorize })],
          ['importUsers', (source, store) => importUsers(source, { store, actor: member, authorize })],
          [
            'executeImport',
            async (source, store) => {
              const plan = await planImport(file, { store: memoryStore(), actor: member, authorize: () => true });
              return executeImport(plan, { store, actor: member, authorize, input: source });
            },
          ],
        ];
        for (const [entry, call] of entries) {
          const { source, reads } = make();
          const { store, calls } = recordingStore();
          let readsWhenAsked = -1;
          const error = await refusal(
            call(source, store).finally(() => {
              readsWhenAsked = reads();
            }),
          );
          expect(error, entry).toBeInstanceOf(RollcallError);
          expect(error, entry).toMatchObject({ code: 'unauthorized' });
          expect(readsWhenAsked, `${entry} read ${kind}`).toBe(0);
          expect(calls, `${entry} used the store`).toEqual([]);
        }
      });
    }
  }

  it('is asked before any read: the hook first sees an untouched source, and an allowed actor then reads it', async () => {
    for (const [kind, make] of Object.entries(sources)) {
      const { source, reads } = make();
      const seen: number[] = [];
      const result = await importUsers(source, {
        store: memoryStore(),
        actor: { role: 'admin' },
        authorize: (actor) => {
          seen.push(reads());
          return actor.role === 'admin';
        },
      });
      // importUsers asks twice, planning and executing; the first ask comes before any read.
      expect(seen[0], kind).toBe(0);
      expect(seen, kind).toHaveLength(2);
      expect(result.imported, kind).toBe(true);
      expect(reads(), kind).toBeGreaterThan(0);
    }
  });

  it('a refusal says who may not, with the rejected check as its cause, and no missing hook lets anyone through', async () => {
    const down = new Error('the permission service is down');
    const error = await refusal(planImport(file, { store: memoryStore(), actor: member, authorize: () => Promise.reject(down) }));
    expect(error).toMatchObject({ code: 'unauthorized', cause: down });
    const missing = await refusal(planImport(file, { store: memoryStore(), actor: member } as unknown as Parameters<typeof planImport>[1]));
    expect(missing).toMatchObject({ code: 'invalid_option' });
  });
});
