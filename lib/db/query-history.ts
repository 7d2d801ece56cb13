/**
 * Prisma's debug module keeps the arguments of its last 100 debug calls for its error reports,
 * whether or not debugging is on, and the pg driver adapter logs every query with its parameters
 * (`@prisma/debug`, MAX_ARGS_HISTORY). A bulk write's parameters are arrays of thousands of
 * values, so that history held tens of MB of already-sent rows for as long as the process ran on.
 * Bulk writers call this after each batch; a Prisma error report then shows fewer recent calls.
 * The version is pinned to @prisma/adapter-pg's, so this is the one module instance the adapter
 * logs into (tests/integration/query-history.int.test.ts checks it).
 */
import { clearLogs, getLogs } from '@prisma/debug';

export function forgetQueryHistory(): void {
  clearLogs();
}

/** The history's text (for the test that checks the adapter writes into this instance). */
export function queryHistoryText(): string {
  return getLogs(1_000_000);
}
