import { toByteChunks, type InputSource } from '../input/source.js';
import type { Messages } from '../report/issue.js';
import type { ErrorSummary } from '../report/summary.js';
import type { InferRow, Schema } from '../schema/define-schema.js';
import { usersSchema } from '../schema/users.js';
import { FileValidator, type RowResult } from './file-validator.js';
import { resolveLimits, type Limits } from './limits.js';

/** Options of {@link validateRows} and {@link validateFile}. */
export interface ValidateOptions<S extends Schema = typeof usersSchema> extends Partial<Limits> {
  /** The columns to expect. Defaults to the built-in {@link usersSchema}. */
  readonly schema?: S;
  /**
   * The sheet of a workbook (.xlsx or .ods) to read, by name. By default, the first visible worksheet; a CSV file
   * ignores it.
   */
  readonly sheet?: string;
  /** Replacement messages by issue code (for another language). */
  readonly messages?: Messages;
  /** Stops reading; the iteration then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The rows of a file as they are validated, and the summary once they are all read. */
export interface ValidationStream<R> extends AsyncIterable<RowResult<R>> {
  /** The rows in batches (one per chunk read), cheaper than one promise per row for large files. */
  batches(): AsyncIterable<readonly RowResult<R>[]>;
  /** Reads whatever rows are left and resolves with the summary of the whole file. */
  summary(): Promise<ErrorSummary>;
}

/**
 * The largest slice of input validated at a time, so that one huge buffer still streams in small batches.
 * Small, because the slice's decoded text stays alive while its rows are checked: 64 KiB of it alive at each
 * young-generation collection made V8 grow the young generation to its maximum (32 MiB more resident memory
 * on a million-row file); 16 KiB keeps it small at no cost in time.
 */
const SLICE_BYTES = 16 * 1024;

/**
 * Validates a file as it is read: rows come out as an async iterable while the input streams in, and
 * {@link ValidationStream.summary} gives the {@link ErrorSummary} at the end. Memory stays flat in the number
 * of rows (apart from the in-file duplicate index); the input is read only as fast as rows are taken.
 *
 * Bad input never throws: it becomes issues. The stream rejects only when `signal` aborts it.
 *
 * @example
 * const rows = validateRows(request.body, { schema: usersSchema });
 * for await (const row of rows) {
 *   if (row.valid) console.log(row.row, row.value.email);
 * }
 * const summary = await rows.summary();
 */
export function validateRows<S extends Schema = typeof usersSchema>(
  input: InputSource,
  options: ValidateOptions<S> = {},
): ValidationStream<InferRow<S>> {
  const limits = resolveLimits(options);
  const validator = new FileValidator(options.schema ?? usersSchema, limits, options.messages, options.sheet);
  const signal = options.signal;
  async function* run(): AsyncGenerator<RowResult[]> {
    const chunks = toByteChunks(input, signal)[Symbol.asyncIterator]();
    // Whether the input was read to its end; otherwise (a refused file, a limit, an early stop) it is closed.
    let exhausted = false;
    try {
      while (!validator.isStopped()) {
        const next = await chunks.next();
        signal?.throwIfAborted();
        if (next.done === true) {
          exhausted = true;
          validator.end();
          // A workbook's sheet is read after its end (a zip is read from its directory), a piece at a time.
          while (validator.more()) {
            const batch = validator.take();
            if (batch.length > 0) yield batch;
            signal?.throwIfAborted();
          }
          break;
        }
        const chunk = next.value;
        for (let at = 0; at < chunk.length && !validator.isStopped(); at += SLICE_BYTES) {
          validator.write(chunk.length <= SLICE_BYTES ? chunk : chunk.subarray(at, at + SLICE_BYTES));
          const batch = validator.take();
          if (batch.length > 0) yield batch;
        }
      }
      const last = validator.take();
      if (last.length > 0) yield last;
    } finally {
      if (!exhausted) await chunks.return?.();
    }
  }

  const batches = run() as AsyncGenerator<RowResult<InferRow<S>>[]>;
  let started = false;
  const claim = (): AsyncGenerator<RowResult<InferRow<S>>[]> => {
    if (started) throw new TypeError('A ValidationStream can be iterated only once.');
    started = true;
    return batches;
  };

  return {
    batches: claim,
    async *[Symbol.asyncIterator]() {
      for await (const batch of claim()) yield* batch;
    },
    async summary() {
      if (!started) started = true;
      // Rows read from here on are seen by no one: only their issues and counts matter.
      validator.dropRows();
      // Reads what the caller did not; a generator that already finished is done at once.
      while ((await batches.next()).done !== true);
      return validator.summary();
    },
  };
}

/**
 * Validates a whole file and resolves with its {@link ErrorSummary}, without keeping the rows.
 *
 * @example
 * const summary = await validateFile(await readFile('users.csv'));
 * if (!summary.valid) console.log(renderText(summary));
 */
export async function validateFile<S extends Schema = typeof usersSchema>(
  input: InputSource,
  options: ValidateOptions<S> = {},
): Promise<ErrorSummary> {
  return validateRows(input, options).summary();
}
