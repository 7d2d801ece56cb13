/** Documented exit codes of `steward` (README, "CLI"). */
export const EXIT = {
  OK: 0,
  /** Runtime failure: missing path, permission denied, database error, corrupt log. */
  FAILED: 1,
  /** `steward rotate`: finished, but the root is still over its size threshold. */
  OVER_THRESHOLD: 2,
  /** Bad flags or invalid input (EX_USAGE). */
  USAGE: 64,
  /** The embedded database is held by another process (EX_TEMPFAIL). */
  LOCKED: 75,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
  ) {
    super(message);
  }
}
