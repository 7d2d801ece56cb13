/** `steward root add|list`: register artifact roots from the shell (same rules as the web form). */
import fs from 'node:fs';
import type { Command } from 'commander';
import { getEnv } from '@/lib/env';
import { cliActor } from '@/lib/services/actor';
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
}
