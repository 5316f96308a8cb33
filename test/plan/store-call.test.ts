import { describe, expect, it } from 'vitest';
import { readStore } from '../../src/plan/store-call.js';
import { RollcallError } from '../../src/rollcall-error.js';

describe('readStore', () => {
  it('resolves with what the store answers', async () => {
    expect(await readStore(() => Promise.resolve(42), 'Counting')).toBe(42);
  });

  it("turns the store's failure into store_error, its message saying what failed, the failure as cause", async () => {
    const down = new Error('connection lost');
    const error: unknown = await readStore(() => Promise.reject(down), 'Looking up the import key in the store').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollcallError);
    expect(error).toMatchObject({ code: 'store_error', message: 'Looking up the import key in the store failed; nothing was written.', cause: down });
  });

  it('passes a RollcallError through as it is', async () => {
    const refused = new RollcallError('invalid_option', 'a bad key');
    await expect(readStore(() => Promise.reject(refused), 'Looking up')).rejects.toBe(refused);
  });

  it("throws the signal's reason once aborted, whatever the store rejected with", async () => {
    const controller = new AbortController();
    const reason = new Error('stopped by the admin');
    const read = readStore(
      () =>
        new Promise((_, reject) => {
          controller.signal.addEventListener('abort', () => { reject(new DOMException('The operation was aborted.', 'AbortError')); });
        }),
      'Looking up',
      controller.signal,
    );
    controller.abort(reason);
    await expect(read).rejects.toBe(reason);
  });
});
