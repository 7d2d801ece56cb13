/** `steward report junit`: check JUnit/TRX files locally (`--dry-run`); the upload comes later. */
import type { Command } from 'commander';
import { checkJunitFiles, type CheckResult } from '../report/check-junit';
import type { Out } from '../context';
import { CliError, EXIT } from '../exit-codes';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export function registerReportCommand(program: Command, run: Run, setExit: (code: number) => void): void {
  const report = program.command('report').description('report test results to Steward');
  report
    .command('junit')
    .description('parse JUnit XML / TRX files (gzip allowed); with --dry-run, only check them locally')
    .argument('<files...>', 'files or glob patterns (quote globs to let steward expand them)')
    .option('--dry-run', 'parse locally and send nothing')
    .addHelpText('after', '\nExit codes: 0 every file parsed, 1 some file was rejected or unreadable, 64 bad usage.')
    .action((files: string[], o: { dryRun?: boolean }) =>
      run(async (out) => {
        if (!o.dryRun) throw new CliError('upload is not available in this build yet; use --dry-run to check files locally', EXIT.USAGE);
        const result = await checkJunitFiles(files);
        out.result(result, humanTable(result));
        setExit(result.files.every((f) => f.error === null) ? EXIT.OK : EXIT.FAILED);
      }),
    );
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
