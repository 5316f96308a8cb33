// Captures every way text can leave rollcall during an import (console, process output, warnings, thrown
// errors), so the secrets tests can search it for plaintext passwords and invite tokens.
import { formatWithOptions, inspect } from 'node:util';
import { vi } from 'vitest';
import { secretGenerator, type SecretGenerator } from '../../src/execute/secret-generator.js';

const consoleMethods = [
  'log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'dirxml', 'table', 'group', 'groupCollapsed', 'assert', 'count', 'timeLog',
] as const;

/** What an operation wrote anywhere, as one text, and how it ended. */
export interface Captured<T> {
  readonly value: T | undefined;
  readonly error: unknown;
  /** Every console call, process.stdout/stderr write and process warning, formatted. */
  readonly output: string;
}

/** Runs `body` with every console method, process.stdout/stderr writes and process warnings captured. */
export async function capture<T>(body: () => Promise<T>): Promise<Captured<T>> {
  const texts: string[] = [];
  const record = (...args: unknown[]): void => {
    texts.push(formatWithOptions({ depth: Infinity }, ...args));
  };
  const spies = consoleMethods.map((method) => vi.spyOn(console, method).mockImplementation(record));
  const write = (chunk: unknown): boolean => {
    texts.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const outputs = [vi.spyOn(process.stdout, 'write').mockImplementation(write), vi.spyOn(process.stderr, 'write').mockImplementation(write)];
  const onWarning = (warning: Error): void => {
    texts.push(errorText(warning));
  };
  process.on('warning', onWarning);
  let value: T | undefined;
  let error: unknown;
  try {
    value = await body();
  } catch (thrown) {
    error = thrown;
  } finally {
    for (const spy of [...spies, ...outputs]) spy.mockRestore();
    process.off('warning', onWarning);
  }
  return { value, error, output: texts.join('\n') };
}

/** An error's message, stack and every property, down its whole cause chain (and any AggregateError's errors). */
export function errorText(error: unknown, seen = new Set<unknown>()): string {
  if (error === undefined || error === null || seen.has(error)) return '';
  seen.add(error);
  if (typeof error !== 'object') return inspect(error);
  const parts = [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error)];
  if (error instanceof Error) {
    parts.push(error.message, error.stack ?? '', errorText(error.cause, seen));
    if (error instanceof AggregateError) parts.push(...error.errors.map((e) => errorText(e, seen)));
  }
  return parts.join('\n');
}

/** A secret generator over the real one that records every secret it hands out, kept or rolled back. */
export function recordingSecrets(): { readonly secrets: SecretGenerator; readonly issued: string[] } {
  const real = secretGenerator();
  const issued: string[] = [];
  return {
    issued,
    secrets: {
      password(length) {
        const password = real.password(length);
        issued.push(password);
        return password;
      },
      inviteToken() {
        const token = real.inviteToken();
        issued.push(token);
        return token;
      },
    },
  };
}

/** The secrets among `secrets` that occur in `text`. */
export function leaked(secrets: readonly string[], text: string): string[] {
  return secrets.filter((secret) => text.includes(secret));
}
