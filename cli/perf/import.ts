/**
 * `steward perf import <data.js> --project KEY`: move a github-action-benchmark history
 * (`gh-pages` → `dev/bench/data.js`) into this machine's database (admin CLI, like `perf budgets`).
 * See lib/services/perf/import-history.ts for what is stored: runs at their own dates and commits,
 * budget verdicts, no baseline comparison, no regression, no notification. Re-importing a newer
 * data.js adds only the new entries. Exit codes: 0 imported (or nothing new), 64 bad file or flags.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { cliActor } from '@/lib/services/actor';
import { importPerfHistory, type HistoryImportResult } from '@/lib/services/perf/import-history';
import { MAX_PERF_FILE_CHARS } from '@/lib/services/perf/run-input';
import { withDb, type Out } from '../context';
import { CliError, EXIT } from '../exit-codes';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

interface ImportFlags { project: string; suite?: string; branch: string; profile: string; testbed: string[] }

function readFileChecked(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new CliError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, EXIT.USAGE);
  }
  if (!st.isFile()) throw new CliError(`${file}: not a regular file`, EXIT.USAGE);
  if (st.size > MAX_PERF_FILE_CHARS) throw new CliError(`${file}: ${st.size} bytes; at most ${MAX_PERF_FILE_CHARS} are read`, EXIT.USAGE);
  return fs.readFileSync(file, 'utf8');
}

export function describeImport(r: HistoryImportResult): string {
  if (!r.imported) return `Nothing new: all ${r.entries} "${r.suite}" entries are already in ${r.project} (profile ${r.profile}, branch ${r.branch}, testbed ${r.testbed}).`;
  const range = r.from ? `, ${r.from.slice(0, 10)} to ${r.to!.slice(0, 10)}` : '';
  const lines = [
    `Imported ${r.imported} of ${r.entries} "${r.suite}" entries into ${r.project} (profile ${r.profile}, branch ${r.branch}, testbed ${r.testbed})${range}; ${r.metrics} metric(s).`,
    ...(r.skipped ? [`${r.skipped} entr${r.skipped === 1 ? 'y was' : 'ies were'} already imported.`] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
    'History is stored, not judged: pick a baseline with `steward perf baseline status|refresh`.',
  ];
  return lines.join('\n');
}

export function registerPerfImportCommand(perf: Command, run: Run): void {
  perf.command('import').description("import a github-action-benchmark history (gh-pages dev/bench/data.js) into this machine's database")
    .argument('<data.js>', 'the data.js file')
    .requiredOption('--project <key>', 'project key')
    .option('--suite <name>', 'the benchmark suite to import (needed when the file holds several)')
    .option('--branch <name>', 'the branch the history was measured on', 'main')
    .option('--profile <name>', 'the profile the runs belong to', 'main')
    .option('--testbed <key=value>', 'testbed attribute of the runners (repeatable; default runner=github-action-benchmark)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .addHelpText('after', '\nExit codes: 0 imported (or nothing new), 64 a bad file or flag (nothing is stored), 75 database in use.')
    .action((file: string, o: ImportFlags) => run(async (out) => {
      const testbed: Record<string, string> = {};
      for (const kv of o.testbed) {
        const i = kv.indexOf('=');
        if (i <= 0) throw new CliError(`--testbed takes key=value, got ${JSON.stringify(kv)}`, EXIT.USAGE);
        testbed[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
      }
      const content = readFileChecked(file);
      await withDb(async ({ db }) => {
        const r = await importPerfHistory(db, cliActor(), { project: o.project, suite: o.suite, branch: o.branch, profile: o.profile, testbed, file: { name: file, content } });
        out.result(r, describeImport(r));
      });
    }));
}
