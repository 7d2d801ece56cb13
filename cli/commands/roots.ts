/** `steward root add|list|remove`: manage artifact roots from the shell (same rules as the web). */
import fs from 'node:fs';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { getEnv } from '@/lib/env';
import { cliActor } from '@/lib/services/actor';
import { removalConsequences, removeRoot, rootRemovalImpact } from '@/lib/services/retention/remove-root';
import { allowedBases, registerRoot } from '@/lib/services/retention/roots';
import { withDb, type Out } from '../context';
import { CliError, EXIT } from '../exit-codes';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export function registerRootCommands(program: Command, run: Run): void {
  const root = program.command('root').description('manage artifact roots on this host');
  root
    .command('add')
    .description('register a directory (under STEWARD_ARTIFACT_BASES) as an artifact root')
    .requiredOption('--name <name>')
    .requiredOption('--path <dir>', 'absolute path')
    .option('--preset <id>', 'local-dev, ci-pr, ci-main or production', 'ci-main')
    .option('--policy <policy.json>', 'a policy document instead of a preset')
    .option('--schedule <cron>', 'cron expression for scheduled previews')
    .option('--mode <mode>', 'approve (plan and wait) or auto (plan and execute)', 'approve')
    .action((o: { name: string; path: string; preset: string; policy?: string; schedule?: string; mode: string }) =>
      run(async (out) => {
        let policy: unknown;
        if (o.policy) {
          try {
            policy = JSON.parse(fs.readFileSync(o.policy, 'utf8'));
          } catch (e) {
            throw new CliError(`--policy ${o.policy}: ${(e as Error).message}`, EXIT.USAGE);
          }
        }
        await withDb(async ({ db }) => {
          const r = await registerRoot(
            db,
            cliActor(),
            { name: o.name, path: o.path, presetId: policy === undefined ? o.preset : undefined, policy, schedule: o.schedule ?? null, scheduleMode: o.mode as 'approve' | 'auto' },
            { allowedBases: allowedBases(getEnv()) },
          );
          out.result({ id: r.id, name: r.name, path: r.path }, `Registered root "${r.name}" at ${r.path} (id ${r.id}).`);
        });
      }),
    );
  root
    .command('list')
    .description('list artifact roots')
    .action(() =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const roots = await db.artifactRoot.findMany({ orderBy: { name: 'asc' } });
          const rows = roots.map((r) => ({ id: r.id, name: r.name, path: r.path, policyVersion: r.policyVersion, schedule: r.schedule, scheduleMode: r.scheduleMode }));
          out.result(rows, rows.length ? rows.map((r) => `${r.name.padEnd(24)} ${r.path}  ${r.schedule ? `${r.schedule} (${r.scheduleMode})` : 'manual'}`).join('\n') : 'No artifact roots yet.');
        });
      }),
    );
  root
    .command('remove')
    .description('unregister a root: its schedule stops, its plans and samples are deleted, its rotation runs are kept; no file is touched')
    .argument('<root>', 'name or id of the root')
    .option('--yes', 'do not ask for confirmation')
    .action((ref: string, o: { yes?: boolean }) =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const impact = await rootRemovalImpact(db, ref);
          const what = `Removing root "${impact.name}" (${impact.path}):\n${removalConsequences(impact).map((l) => `  - ${l}`).join('\n')}`;
          if (impact.executingPlanId) throw new CliError(`Root "${impact.name}" has a cleanup in progress (plan ${impact.executingPlanId}); remove it when that plan has finished.`, EXIT.USAGE);
          if (!o.yes) {
            // Ask only a person at a terminal; a script must say --yes.
            if (out.json || !process.stdin.isTTY) throw new CliError(`${what}\nPass --yes to remove it.`, EXIT.USAGE);
            const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
            const answer = await rl.question(`${what}\nRemove it? [y/N] `).finally(() => rl.close());
            if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Not removed.', EXIT.FAILED);
          }
          const done = await removeRoot(db, cliActor(), impact.id);
          out.result(
            { removed: { id: done.id, name: done.name, path: done.path }, plansDeleted: done.plans, samplesDeleted: done.samples, runsKept: done.runs },
            `Removed root "${done.name}": ${done.plans} plan(s) and ${done.samples} sample(s) deleted, ${done.runs} rotation run(s) kept. No file in ${done.path} was touched.`,
          );
        });
      }),
    );
}
