/**
 * `steward report junit <files…> --project K`: upload JUnit/TRX files to Steward (token with the
 * ingest scope); the run comes from flags, else from the CI's environment (lib/engine/flaky/ci-env.ts).
 * `--dry-run` parses locally and sends nothing (its JSON shape is documented in the README).
 */
import type { Command } from 'commander';
import { ciRunFromEnv } from '@/lib/engine/flaky/ci-env';
import type { IngestResult } from '@/lib/services/flaky/ingest';
import { checkJunitFiles, expandArgs, type CheckResult } from '../report/check-junit';
import type { Out } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { resolveServer, uploadResults } from '../flaky/client';
import { cliCheckoutRoot } from '../flaky/read-files';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

interface JunitFlags {
  dryRun?: boolean;
  project?: string;
  server?: string;
  token?: string;
  commit?: string;
  branch?: string;
  runId?: string;
  runUrl?: string;
  job?: string;
  attempt?: string;
  variant?: string;
  root?: string;
}

export function registerReportCommand(program: Command, run: Run, setExit: (code: number) => void): void {
  const report = program.command('report').description('report test results to Steward');
  report
    .command('junit')
    .description('upload JUnit XML / TRX files (gzip allowed) to a project; with --dry-run, only check them locally')
    .argument('<files...>', 'files or glob patterns (quote globs to let steward expand them)')
    .option('--dry-run', 'parse locally and send nothing')
    .option('--project <key>', 'Steward project key (required unless --dry-run)')
    .option('--server <url>', 'Steward server (default: $STEWARD_URL)')
    .option('--token <token>', 'API token with the ingest scope (default: $STEWARD_TOKEN)')
    .option('--commit <sha>', 'commit under test (default: from the CI environment)')
    .option('--branch <name>', 'branch (default: from the CI environment)')
    .option('--run-id <id>', 'CI run id (default: from the CI environment)')
    .option('--run-url <url>', 'link to the CI run')
    .option('--job <name>', 'CI job name; shards of one job share it')
    .option('--attempt <n>', 're-run attempt of the job, from 1')
    .option('--variant <name>', 'browser, OS or other dimension of the results')
    .option('--root <dir>', 'checkout directory: absolute test file paths under it are stored relative (default: the CI workspace, else the working directory)')
    .addHelpText('after', '\nReads GitHub Actions, GitLab CI, Jenkins, Buildkite and CircleCI variables when flags are absent.\nExit codes: 0 every file parsed (and stored), 1 some file was rejected or unreadable or the upload failed, 64 bad usage.')
    .action((files: string[], o: JunitFlags) =>
      run(async (out) => {
        if (o.dryRun) {
          const result = await checkJunitFiles(files, cliCheckoutRoot(o.root));
          out.result(result, humanTable(result));
          setExit(result.files.every((f) => f.error === null) ? EXIT.OK : EXIT.FAILED);
          return;
        }
        if (!o.project) throw new CliError('--project <key> is required to upload (or use --dry-run)', EXIT.USAGE);
        const srv = resolveServer(o);
        if ('error' in srv) throw new CliError(srv.error, EXIT.USAGE);
        const attempt = o.attempt === undefined ? undefined : Number(o.attempt);
        if (attempt !== undefined && (!Number.isInteger(attempt) || attempt < 1)) throw new CliError('--attempt must be a whole number from 1', EXIT.USAGE);
        const { files: paths, unmatched } = await expandArgs(files);
        if (unmatched.length) throw new CliError(`no file matches ${unmatched.join(', ')}`, EXIT.FAILED);
        const env = ciRunFromEnv(process.env);
        const meta = { commit: o.commit ?? env.commit, branch: o.branch ?? env.branch, runId: o.runId ?? env.runId, runUrl: o.runUrl ?? env.runUrl, job: o.job ?? env.job, attempt: attempt ?? env.attempt, variant: o.variant ?? null, root: cliCheckoutRoot(o.root) };
        const r = await uploadResults(srv, o.project, meta, paths);
        if (!r.ok) throw new CliError(`upload failed: ${r.error}`, EXIT.FAILED);
        out.result(r.data, humanUpload(r.data));
      }),
    );
}

function humanUpload(r: IngestResult): string {
  const t = r.totals;
  const lines = r.uploads.map((u) => `${u.file}: ${u.duplicate ? 'already stored, not counted again' : `${u.counts.tests} tests, ${u.counts.failed + u.counts.errors} failed, ${u.counts.flaky} flaky${u.infra ? ' (infrastructure failure: out of flake statistics)' : ''}`}`);
  lines.push(`stored in ${r.project}: ${t.tests} tests, ${t.passed} passed, ${t.failed + t.errors} failed, ${t.flaky} flaky, ${t.skipped} skipped`);
  if (r.evaluation.quarantined.length) lines.push(`${r.evaluation.quarantined.length} test(s) quarantined by the policy`);
  return lines.join('\n');
}

function humanTable(r: CheckResult): string {
  const head = ['tests', 'passed', 'failed', 'errors', 'skipped', 'flaky', 'attempts'] as const;
  const width = Math.min(60, Math.max(5, ...r.files.map((f) => f.file.length)));
  const row = (name: string, c: Record<(typeof head)[number], number>) => `${name.padEnd(width)} ${head.map((h) => String(c[h]).padStart(h.length)).join(' ')}`;
  const lines = [`${'file'.padEnd(width)} ${head.join(' ')}`];
  for (const f of r.files) {
    if (f.error) lines.push(`${f.file.padEnd(width)} REJECTED at ${f.error.line ?? '?'}:${f.error.column ?? '?'}: ${f.error.message}`);
    else lines.push(`${row(f.file, f)}  (${f.producer})`);
    for (const w of f.warnings.slice(0, 5)) lines.push(`  warning${w.line ? ` line ${w.line}` : ''}: ${w.message}`);
    if (f.warnings.length > 5) lines.push(`  … ${f.warnings.length - 5} more warning(s); see --json`);
  }
  lines.push(row('total', r.totals));
  return lines.join('\n');
}
