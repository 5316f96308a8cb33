/** What a contender reports on its last line of standard output. */
export interface ContenderResult {
  /** The data rows read (the header row not counted). */
  readonly rows: number;
  /** Rows refused (invalid or duplicate), for the contenders that validate. */
  readonly refused?: number;
}

/** Prints a contender's result as one JSON line, the last line of its standard output. */
export function finish(result: ContenderResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
