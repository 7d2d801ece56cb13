/**
 * Start-up of the web server process (called from instrumentation.ts): open and migrate the
 * database, create the first admin from STEWARD_ADMIN_* when there are no users (else print the
 * one-time setup code that /setup asks for), start the job worker unless STEWARD_WORKER=off, and
 * close everything cleanly on SIGTERM/SIGINT.
 */
import { closeDb, getDbHandle } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { announceSetupCode } from '@/lib/services/setup-code';
import { createFirstAdmin } from '@/lib/services/users';
import { JOBS } from '@/jobs/registry';
import { JobRunner } from '@/jobs/runner';

const g = globalThis as unknown as { __stewardBooted?: boolean };

export async function bootstrap(): Promise<void> {
  if (g.__stewardBooted) return;
  g.__stewardBooted = true;
  const env = getEnv();
  let handle;
  try {
    handle = await getDbHandle();
  } catch (e) {
    console.error(`[steward] cannot open the database: ${(e as Error).message}`);
    process.exit(1);
  }
  const { db } = handle;
  console.log(`[steward] database: ${handle.describe}` + (handle.migration?.applied.length ? ` (applied ${handle.migration.applied.join(', ')})` : ''));

  if (env.STEWARD_ADMIN_EMAIL && env.STEWARD_ADMIN_PASSWORD) {
    const created = await createFirstAdmin(db, { type: 'system', id: null, label: 'env:STEWARD_ADMIN_EMAIL', origin: 'startup' }, {
      email: env.STEWARD_ADMIN_EMAIL,
      name: 'Administrator',
      password: env.STEWARD_ADMIN_PASSWORD,
    });
    if (created) console.log(`[steward] created admin ${created.email} from STEWARD_ADMIN_EMAIL`);
  }
  // No admin yet: /setup will ask for the one-time code printed here.
  await announceSetupCode(db, { envCode: env.STEWARD_SETUP_CODE, log: (line) => console.log(line) });

  const runner = env.STEWARD_WORKER ? new JobRunner({ db, jobs: JOBS }) : null;
  runner?.start();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[steward] ${signal}: stopping worker and closing the database`);
    void (async () => {
      await runner?.stop(5_000);
      await closeDb();
      process.exit(0);
    })();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
