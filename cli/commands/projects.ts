/** `steward project add|list|reparse`: flaky-test projects from the shell (same rules as the web). */
import type { Command } from 'commander';
import { cliActor } from '@/lib/services/actor';
import { createProject, listProjects } from '@/lib/services/flaky/projects';
import { reparseCandidates, reparseUpload, type ReparseResult } from '@/lib/services/flaky/reparse';
import { withDb, type Out } from '../context';
import { CliError, EXIT } from '../exit-codes';

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
  project
    .command('reparse')
    .description('re-parse stored raw uploads with the current parser (after a parser fix); replaces their results')
    .argument('<key>', 'the project')
    .option('--upload <id>', 'one upload (its id, from the uploads page or the API)')
    .option('--since <date>', 'every upload received at or after this date (ISO) whose raw copy is still kept')
    .action((key: string, o: { upload?: string; since?: string }) =>
      run(async (out) => {
        if (Boolean(o.upload) === Boolean(o.since)) throw new CliError('Give exactly one of --upload ID or --since DATE.', EXIT.USAGE);
        const since = o.since ? new Date(o.since) : undefined;
        if (since && Number.isNaN(since.getTime())) throw new CliError(`--since: "${o.since}" is not a date (use ISO, e.g. 2026-05-01).`, EXIT.USAGE);
        await withDb(async ({ db }) => {
          const actor = cliActor();
          const targets = o.upload ? [{ id: o.upload, fileName: o.upload }] : await reparseCandidates(db, 'all', key, since);
          if (o.upload) {
            const u = await db.testUpload.findUnique({ where: { id: o.upload }, select: { project: { select: { key: true } } } }).catch(() => null);
            if (u?.project.key !== key) throw new CliError(`No upload ${o.upload} in project ${key}.`, EXIT.USAGE);
          }
          const done: ReparseResult[] = [];
          const failed: { id: string; file: string; error: string }[] = [];
          // Each upload is replaced atomically on its own: one that fails leaves the others done.
          for (const t of targets) {
            try {
              const r = await reparseUpload(db, actor, t.id);
              done.push(r);
              out.info(`${r.file} (${r.uploadId}): ${r.changed ? `${r.before.tests} → ${r.after.tests} tests, ${r.before.failed + r.before.errors} → ${r.after.failed + r.after.errors} failed, ${r.before.flaky} → ${r.after.flaky} flaky` : 'unchanged'}`);
            } catch (e) {
              failed.push({ id: t.id, file: t.fileName, error: (e as Error).message });
              out.info(`${t.fileName} (${t.id}): FAILED: ${(e as Error).message}`);
            }
          }
          const changed = done.filter((r) => r.changed).length;
          out.result({ reparsed: done, failed }, targets.length ? `Re-parsed ${done.length} of ${targets.length} upload(s): ${changed} changed.` : 'No upload with a kept raw copy matches.');
          if (failed.length) throw new CliError(`${failed.length} upload(s) could not be re-parsed; nothing changed for them.`, EXIT.FAILED);
        });
      }),
    );
}
