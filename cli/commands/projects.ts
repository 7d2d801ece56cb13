/** `steward project add|list`: flaky-test projects from the shell (same rules as the web). */
import type { Command } from 'commander';
import { cliActor } from '@/lib/services/actor';
import { createProject, listProjects } from '@/lib/services/flaky/projects';
import { withDb, type Out } from '../context';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export function registerProjectCommands(program: Command, run: Run): void {
  const project = program.command('project').description('flaky-test projects');
  project
    .command('add')
    .description('create a project that CI uploads test results to')
    .argument('<key>', 'lowercase letters, digits, . _ - (what CI passes as --project)')
    .option('--name <name>', 'display name (default: the key)')
    .action((key: string, o: { name?: string }) =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const p = await createProject(db, cliActor(), { key, name: o.name ?? key });
          out.result(p, `Created project ${p.key} (${p.name})`);
        });
      }),
    );
  project
    .command('list')
    .description('list projects')
    .action(() =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const ps = await listProjects(db, 'all');
          out.result(ps, ps.length ? ps.map((p) => `${p.key}\t${p.name}`).join('\n') : 'No projects yet: steward project add <key>');
        });
      }),
    );
}
