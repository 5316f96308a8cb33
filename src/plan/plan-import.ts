import type { UserStore } from '../adapters/store/types.js';
import type { InputSource } from '../input/source.js';
import { issueCatalogue } from '../report/codes.js';
import type { Issue, Messages } from '../report/issue.js';
import { RollcallError } from '../rollcall-error.js';
import type { Schema } from '../schema/define-schema.js';
import { usersSchema } from '../schema/users.js';
import { resolveLimits, type Limits } from '../validate/limits.js';
import { validateRows } from '../validate/validate-rows.js';
import { addIssues } from './add-issues.js';
import { alreadyExistsIssue } from './already-exists.js';
import { oneOf, positiveOption } from './option-checks.js';
import { readStore } from './store-call.js';
import { requireAuthorized, type ActorOptions } from './authorize.js';
import { fileHasher, planFingerprint } from './fingerprint.js';
import type { ImportMode, ImportPlan, OnExisting, PlanAction, PlanColumn, PlannedRow, PlanSettings } from './import-plan.js';

/** Options of {@link planImport}. */
export interface PlanOptions<S extends Schema = typeof usersSchema, A = unknown> extends ActorOptions<A>, Partial<Limits> {
  /** Where existing users are looked up; planning only reads. */
  readonly store: Pick<UserStore, 'findExistingEmails'>;
  /** The columns to expect: the built-in users schema, or an extension of it. */
  readonly schema?: S;
  /** `error` (default): a row whose email exists is an `already_exists` error; `skip`: it is skipped. */
  readonly onExisting?: OnExisting;
  /** `all-or-nothing` (default) or `valid-rows-only`. */
  readonly mode?: ImportMode;
  /** The sheet of a workbook (.xlsx or .ods) to read, by name; by default the first visible worksheet. */
  readonly sheet?: string;
  /** Replacement messages by issue code (for another language). */
  readonly messages?: Messages;
  /** Stops reading; planning then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Valid rows looked up per store query; default 5,000. */
  readonly batchSize?: number;
  /** Called after each batch of rows read, for a progress display. */
  readonly onProgress?: (progress: { readonly rowsRead: number }) => void;
}

/** The schema keys every import needs; the other columns become attributes. */
const userKeys = ['firstName', 'lastName', 'email'] as const;

/**
 * Plans an import without writing anything: validates the file as it streams in, looks the valid rows up
 * in the store a batch at a time (never a query per row), and returns the {@link ImportPlan}: what each
 * row would do, the error summary, and a fingerprint of the file, schema and settings.
 *
 * `authorize(actor)` must resolve `true` before any byte of `input` is read; otherwise it throws a
 * `RollcallError` with code `unauthorized`. Problems in the file never throw: they are in `plan.summary`. A
 * lookup the store fails throws `RollcallError('store_error')` with the store's error as `cause`.
 *
 * @example
 * const plan = await planImport(file, { store, actor: session.user, authorize: (u) => u.isProgramAdmin });
 * if (!plan.executable) return showErrors(plan.summary);
 */
export async function planImport<S extends Schema = typeof usersSchema, A = unknown>(
  input: InputSource,
  options: PlanOptions<S, A>,
): Promise<ImportPlan> {
  const schema: Schema = options.schema ?? usersSchema;
  const columns = planColumns(schema);
  const limits = resolveLimits(options);
  const settings = planSettings(options, limits);
  const batchSize = positiveOption('batchSize', options.batchSize ?? 5000);
  await requireAuthorized(options);

  const hasher = fileHasher(input, options.signal);
  const validation = validateRows(hasher.chunks(), {
    schema,
    ...limits,
    ...(options.messages === undefined ? {} : { messages: options.messages }),
    ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const emailColumn = (schema.columns.email as { label: string }).label;
  const attributeKeys = schema.keys.filter((key) => !(userKeys as readonly string[]).includes(key));
  const rows: { -readonly [K in keyof PlannedRow]: PlannedRow[K] }[] = [];
  const conflicts: Issue[] = [];
  let looked = 0;
  let rowsRead = 0;
  let invalid = 0;

  async function lookUp(end: number): Promise<void> {
    const batch = rows.slice(looked, end);
    looked = end;
    const found = await readStore(
      () => options.store.findExistingEmails(batch.map((r) => r.emailKey)),
      'Looking up existing users in the store',
      options.signal,
    );
    options.signal?.throwIfAborted();
    for (const row of batch) {
      const existing = found.get(row.emailKey);
      if (existing === undefined) continue;
      row.existingId = existing.id;
      row.action = settings.onExisting === 'skip' ? 'skip' : 'conflict';
      if (row.action === 'conflict') conflicts.push(alreadyExistsIssue(row.row, emailColumn, row.email, options.messages));
    }
  }

  // One lookup runs while the next rows are validated: the store's round trip overlaps the parsing.
  let inflight: Promise<void> | undefined;
  for await (const batch of validation.batches()) {
    for (const result of batch) {
      rowsRead++;
      if (result.valid) rows.push(plannedRow(result.row, result.value, schema, attributeKeys));
      else invalid++;
    }
    while (rows.length - looked >= batchSize) {
      await inflight;
      inflight = lookUp(looked + batchSize);
      // Handled here so a failure waits for the next await instead of being reported as unhandled.
      inflight.catch(() => undefined);
    }
    options.onProgress?.({ rowsRead });
  }
  await inflight;
  if (rows.length > looked) await lookUp(rows.length);

  const summary = addIssues(await validation.summary(), conflicts, limits.maxIssues);
  const file = hasher.digest();
  const counts = {
    rows: summary.rowCount,
    create: count(rows, 'create'),
    skip: count(rows, 'skip'),
    conflict: count(rows, 'conflict'),
    invalid,
  };
  const fileProblem = summary.errors.some((issue) => {
    const { level } = issueCatalogue[issue.code];
    return level === 'file' || level === 'header';
  });
  const executable =
    !fileProblem && (settings.mode === 'all-or-nothing' ? summary.valid : counts.create + counts.skip > 0);
  return {
    version: 1,
    fingerprint: planFingerprint(file, columns, settings),
    file,
    columns,
    settings,
    summary,
    maxIssues: limits.maxIssues,
    rows,
    counts,
    executable,
  };
}

function plannedRow(
  row: number,
  value: Record<string, unknown>,
  schema: Schema,
  attributeKeys: readonly string[],
): PlannedRow & { action: PlanAction; existingId?: string } {
  const email = cellText(value.email);
  const attributes: Record<string, string> = {};
  for (const key of attributeKeys) {
    const text = cellText(value[key]);
    if (text !== '') attributes[key] = text;
  }
  return {
    row,
    action: 'create',
    email,
    emailKey: (schema.columns.email as { uniqueKey: (value: unknown) => string }).uniqueKey(value.email),
    firstName: cellText(value.firstName),
    lastName: cellText(value.lastName),
    attributes,
  };
}

/** A validated value as text for the store: strings as they are, dates in ISO form, other values as JSON. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function planColumns(schema: Schema): PlanColumn[] {
  for (const key of userKeys) {
    if (!Object.hasOwn(schema.columns, key)) {
      throw new RollcallError(
        'invalid_schema',
        `An import schema needs the column "${key}": extend the built-in usersSchema rather than defining one from scratch.`,
      );
    }
  }
  return schema.keys.map((key) => {
    const column = schema.columns[key] as { label: string; required: boolean };
    return { key, label: column.label, required: column.required };
  });
}

function planSettings(
  options: { readonly onExisting?: OnExisting; readonly mode?: ImportMode; readonly sheet?: string },
  limits: Limits,
): PlanSettings {
  const onExisting = oneOf('onExisting', options.onExisting ?? 'error', ['error', 'skip']);
  const mode = oneOf('mode', options.mode ?? 'all-or-nothing', ['all-or-nothing', 'valid-rows-only']);
  const settings = { onExisting, mode, maxRows: limits.maxRows, maxBytes: limits.maxBytes, maxCellLength: limits.maxCellLength };
  return options.sheet === undefined ? settings : { ...settings, sheet: options.sheet };
}

function count(rows: readonly PlannedRow[], action: PlanAction): number {
  let n = 0;
  for (const row of rows) if (row.action === action) n++;
  return n;
}
