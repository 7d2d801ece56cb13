/** Shared plumbing for commands: the database, output in text or JSON, and error mapping. */
import { openDatabase, type DbHandle } from '@/lib/db/client';
import { DataDirLockedError } from '@/lib/db/lock';
import { MigrationError } from '@/lib/db/migrate';
import { getEnv, EnvError } from '@/lib/env';
import { ServiceError } from '@/lib/services/errors';
import { CliError, EXIT } from './exit-codes';

export async function withDb<T>(fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const env = getEnv();
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir, poolSize: 2 });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

export interface Out {
  json: boolean;
  /** Prints `human` as text, or `data` as JSON with --json. */
  result(data: unknown, human: string): void;
  info(line: string): void;
}

export function makeOut(json: boolean): Out {
  return {
    json,
    result: (data, human) => {
      process.stdout.write(json ? `${JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n` : `${human}\n`);
    },
    info: (line) => {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}

/** Maps any error to a message and an exit code. */
export function toExit(e: unknown): { message: string; code: number } {
  if (e instanceof CliError) return { message: e.message, code: e.exitCode };
  if (e instanceof DataDirLockedError) return { message: e.message, code: EXIT.LOCKED };
  if (e instanceof EnvError) return { message: e.message, code: EXIT.USAGE };
  if (e instanceof MigrationError) return { message: e.message, code: EXIT.FAILED };
  if (e instanceof ServiceError) return { message: e.message, code: e.code === 'invalid' || e.code === 'conflict' ? EXIT.USAGE : EXIT.FAILED };
  return { message: (e as Error)?.message ?? String(e), code: EXIT.FAILED };
}
