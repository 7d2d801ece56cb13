/** `steward worker`: the job runner on its own, for deployments that keep web and jobs apart. */
import type { Command } from 'commander';
import { JOBS } from '@/jobs/registry';
import { JobRunner } from '@/jobs/runner';
import { withDb, type Out } from '../context';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export function registerWorkerCommand(program: Command, run: Run): void {
  program
    .command('worker')
    .description('run scheduled jobs until SIGTERM (the web server runs them too unless STEWARD_WORKER=off)')
    .option('--once', 'run every job now, once, and exit')
    .option('--tick <seconds>', 'how often to look for due slots', '15')
    .action((o: { once?: boolean; tick: string }) =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const runner = new JobRunner({ db, jobs: JOBS, tickMs: Math.max(1, Number(o.tick)) * 1000, log: (m) => out.info(`[jobs] ${m}`) });
          if (o.once) {
            const now = new Date();
            const outcomes = [];
            // One-off runs use a key of their own so they never take a scheduled slot.
            for (const job of JOBS) outcomes.push(await runner.runSlot(job, now, `manual:${now.toISOString()}`));
            out.result(outcomes, outcomes.map((x) => `${x.job}: ${x.status}`).join('\n'));
            return;
          }
          runner.start();
          await new Promise<void>((resolve) => {
            const stop = () => resolve();
            process.once('SIGTERM', stop);
            process.once('SIGINT', stop);
          });
          out.info('[jobs] stopping…');
          await runner.stop();
        });
      }),
    );
}
