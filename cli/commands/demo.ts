/** `steward demo`: load the synthetic demo dataset, on purpose only. */
import type { Command } from 'commander';
import { cliActor } from '@/lib/services/actor';
import { getEnv } from '@/lib/env';
import { DEMO_DAYS, loadDemo } from '@/lib/services/demo';
import { withDb, type Out } from '../context';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export function registerDemoCommand(program: Command, run: Run): void {
  program
    .command('demo')
    .description('load a realistic synthetic dataset so a new install has something to show')
    .action(() =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          out.info(`Replaying ${DEMO_DAYS} days of operations through Steward's services (about a minute)…`);
          const r = await loadDemo(db, cliActor(), new Date(), { dataDir: getEnv().dataDir });
          if (r.alreadyLoaded) {
            out.result(r, 'Demo data is already loaded; nothing to do.');
            return;
          }
          const lines = [
            `Loaded demo data: ${DEMO_DAYS} days of history replayed through Steward's own services: ${r.users.length} users, ${r.tokens.length} tokens, ${r.auditEvents} audit events.`,
            ...(r.artifacts ? [`Artifact root "soak-demo": ${r.artifacts.files} files (${(r.artifacts.bytes / 1048576).toFixed(1)} MB) in ${r.artifacts.rootPath}, ${r.artifacts.rotationRuns} rotation runs.`] : []),
            ...(r.users.length ? ['', 'Demo accounts (passwords are shown once):', ...r.users.map((u) => `  ${u.email.padEnd(32)} ${u.role.padEnd(9)} ${u.password}`)] : []),
          ];
          out.result(r, lines.join('\n'));
        });
      }),
    );
}
