/** How long to wait between tries of a transiently failing message. */
export interface Backoff {
  /** The wait after the first failure, doubled after each further one. Default 500 ms. */
  readonly baseMs?: number;
  /** The longest wait. Default 30 s. */
  readonly maxMs?: number;
  /**
   * The share of each wait drawn at random (0 to 1), so senders that failed together do not retry in
   * step. Default 0.5: a wait of 1 s becomes 0.5 to 1 s.
   */
  readonly jitter?: number;
}

/** The wait before try `failures + 1`, after `failures` transient failures (1 or more). */
export function backoffDelay(backoff: Required<Backoff>, failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (failures - 1));
  return ceiling * (1 - backoff.jitter * random());
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
