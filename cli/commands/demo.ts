/** `steward demo`: load the synthetic demo dataset, on purpose only. */
import type { Command } from 'commander';
import { cliActor } from '@/lib/services/actor';
import { getEnv } from '@/lib/env';
import { DEMO_CI_DAYS, DEMO_DAYS, loadDemo } from '@/lib/services/demo';
import { withDb, type Out } from '../context';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export function registerDemoCommand(program: Command, run: Run): void {
  program
    .command('demo')
    .description('load a realistic synthetic dataset so a new install has something to show')
    .action(() =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          out.info(`Replaying ${DEMO_CI_DAYS} days of CI and ${DEMO_DAYS} days of operations through Steward's services (a minute or two)…`);
          const r = await loadDemo(db, cliActor(), new Date(), { dataDir: getEnv().dataDir });
          if (r.alreadyLoaded) {
            out.result(r, 'Demo data is already loaded; nothing to do.');
            return;
          }
          const lines = [
            `Loaded demo data: ${DEMO_DAYS} days of history replayed through Steward's own services: ${r.users.length} users, ${r.tokens.length} tokens, ${r.auditEvents} audit events.`,
            ...(r.artifacts ? [`Artifact root "soak-demo": ${r.artifacts.files} files (${(r.artifacts.bytes / 1048576).toFixed(1)} MB) in ${r.artifacts.rootPath}, ${r.artifacts.rotationRuns} rotation runs.`] : []),
            ...(r.flaky ? [`Flaky tests: ${r.flaky.projects} projects (hologram, mm-bot), ${r.flaky.tests} tests, ${r.flaky.uploads} uploads, ${r.flaky.results} results over ${DEMO_CI_DAYS} days; ${r.flaky.quarantined} quarantined, ${r.flaky.eligible} eligible to unquarantine.`] : []),
            ...(r.perf ? [`Performance: ${r.perf.runs} runs of ${r.perf.metrics} hologram metrics on ${r.perf.testbeds} testbeds over 90 days; ${r.perf.baselines} baseline versions, ${r.perf.regressions} regression(s), ${r.perf.rollbacks} rollback(s).`] : []),
            ...(r.soak ? [`Soak: ${r.soak.soakRuns} soak runs (${r.soak.leaks} leaking), ${r.soak.e2eRuns} E2E runs, ${r.soak.chaosUploads} chaos uploads.`] : []),
            ...(r.cron ? [`Cron: ${r.cron.checks} checks (${Object.entries(r.cron.byState).sort().map(([k, v]) => `${v} ${k}`).join(', ')}), ${r.cron.pings} pings, ${r.cron.flips} state changes.`] : []),
            ...(r.users.length ? ['', 'Demo accounts (passwords are shown once):', ...r.users.map((u) => `  ${u.email.padEnd(32)} ${u.role.padEnd(9)} ${u.password}`)] : []),
          ];
          out.result(r, lines.join('\n'));
        });
      }),
    );
}
