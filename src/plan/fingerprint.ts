import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { toByteChunks, type InputSource } from '../input/source.js';
import type { PlanColumn, PlanSettings } from './import-plan.js';

/** The SHA-256 of a file's bytes, and how many there were. */
export interface FileDigest {
  /** Lowercase hex. */
  readonly sha256: string;
  readonly bytes: number;
}

/** A running digest of the bytes that pass through {@link FileHasher.chunks}. */
export interface FileHasher {
  /** The source's byte chunks, each added to the digest as it is read. */
  chunks(): AsyncIterable<Uint8Array>;
  /** The digest of the bytes read so far. */
  digest(): FileDigest;
}

/**
 * Hashes a file while something else reads it, so that planning reads the file once.
 *
 * @example
 * const hasher = fileHasher(input);
 * const summary = await validateFile(hasher.chunks());
 * hasher.digest(); // { sha256: '9f86…', bytes: 1234 }
 */
export function fileHasher(input: InputSource, signal?: AbortSignal): FileHasher {
  const hash = runningSha256();
  let bytes = 0;
  let digest: FileDigest | undefined;
  return {
    async *chunks() {
      for await (const chunk of toByteChunks(input, signal)) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    digest() {
      digest ??= { sha256: hash.digest(), bytes };
      return digest;
    },
  };
}

/** A SHA-256 fed a chunk at a time, whose digest is lowercase hex. */
export interface RunningSha256 {
  update(chunk: Uint8Array): void;
  digest(): string;
}

/** How `node:crypto` is reached without importing it: `process.getBuiltinModule` (Node 20.16 and later). */
interface NodeProcess {
  readonly getBuiltinModule?: (id: 'node:crypto') => typeof import('node:crypto') | undefined;
}

/**
 * A running SHA-256: on Node, `node:crypto`'s (native, about eight times as fast on a large file), reached
 * through `process.getBuiltinModule` so that browsers and other runtimes never load it; elsewhere, or with
 * `portable`, \@noble/hashes'. Both give the same digest for the same bytes.
 */
export function runningSha256(portable = false): RunningSha256 {
  const crypto = portable ? undefined : (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:crypto');
  if (crypto !== undefined) {
    const hash = crypto.createHash('sha256');
    return {
      update: (chunk) => {
        hash.update(chunk);
      },
      digest: () => hash.digest('hex'),
    };
  }
  const hash = sha256.create();
  return {
    update: (chunk) => {
      hash.update(chunk);
    },
    digest: () => bytesToHex(hash.digest()),
  };
}

/**
 * Reads a whole file and returns its digest.
 *
 * @example
 * await digestFile(new TextEncoder().encode('Email\r\n')); // { sha256: '…', bytes: 7 }
 */
export async function digestFile(input: InputSource, signal?: AbortSignal): Promise<FileDigest> {
  const hasher = fileHasher(input, signal);
  const chunks = hasher.chunks()[Symbol.asyncIterator]();
  while ((await chunks.next()).done !== true);
  return hasher.digest();
}

/**
 * The fingerprint of a plan: one SHA-256 over the file's digest, the schema's columns and the settings
 * that change which rows are created. Equal fingerprints mean the same file planned the same way.
 *
 * @example
 * planFingerprint(digest, plan.columns, plan.settings); // 'sha256:3a7b…'
 */
export function planFingerprint(file: FileDigest, columns: readonly PlanColumn[], settings: PlanSettings): string {
  // Arrays, not objects: their JSON has one fixed order whatever order the properties were set in.
  const parts: unknown[] = [
    'rollcall-plan/1',
    file.sha256,
    file.bytes,
    columns.map((c) => [c.key, c.label, c.required]),
    [settings.onExisting, settings.mode, settings.maxRows, settings.maxBytes, settings.maxCellLength],
  ];
  // Another sheet is other rows; a plan with no sheet named keeps the fingerprint it always had.
  if (settings.sheet !== undefined) parts.push(['sheet', settings.sheet]);
  return `sha256:${bytesToHex(sha256(utf8ToBytes(JSON.stringify(parts))))}`;
}
