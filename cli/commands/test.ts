/**
 * `steward test --project K --junit '<glob>' -- <command…>`: runs the command, uploads the JUnit
 * files it wrote, and exits 0 when its only failures are quarantined tests.
 *
 * The rules, strictest first:
 * - the command passed → its exit code (0), after a best-effort upload;
 * - no results file written since the command started → the command's own code (a run that
 *   produced no JUnit file never turns green; an old file from an earlier run does not count);
 * - the server is unreachable, refuses the upload, or cannot say for every failure whether it is
 *   quarantined → the command's own code, and a line saying why;
 * - otherwise 0 when every failure is a quarantined test (listed as ignored), else the command's code.
 * A command killed by a signal keeps 128 + the signal number and never turns green.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { ciRunFromEnv } from '@/lib/engine/flaky/ci-env';
import { checkAgainstQuarantine } from '@/lib/engine/flaky/quarantine-check';
import type { Out } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { resolveServer, uploadResults } from '../flaky/client';
import { cliCheckoutRoot, failureText, readResultsFile } from '../flaky/read-files';
import { expandArgs } from '../report/check-junit';
import { describeVerdict } from './quarantine';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

function runCommand(argv: string[]): Promise<{ code: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code: code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0), signal }));
  });
}

export function registerTestCommand(program: Command, run: Run, setExit: (code: number) => void): void {
  program
    .command('test')
    .description('run a test command; exit 0 when its only failures are quarantined tests')
    .argument('<command...>', 'the test command, after --')
    .requiredOption('--project <key>', 'Steward project key')
    .requiredOption('--junit <glob...>', 'where the command writes its JUnit/TRX files (files older than the run are ignored)')
    .option('--server <url>', 'Steward server (default: $STEWARD_URL)')
    .option('--token <token>', 'API token with the ingest scope (default: $STEWARD_TOKEN)')
    .option('--commit <sha>').option('--branch <name>').option('--run-id <id>').option('--run-url <url>').option('--job <name>').option('--variant <name>')
    .option('--root <dir>', 'checkout directory: absolute test file paths under it are made relative (default: the CI workspace, else the working directory)')
    .addHelpText('after', '\nExample: steward test --project web --junit "reports/*.xml" -- npx vitest run --reporter=junit --outputFile=reports/junit.xml')
    .action((argv: string[], o: { project: string; junit: string[]; server?: string; token?: string; commit?: string; branch?: string; runId?: string; runUrl?: string; job?: string; variant?: string; root?: string }) =>
      run(async (out) => {
        if (!argv.length) throw new CliError('give the test command after --', EXIT.USAGE);
        const srv = resolveServer(o);
        const started = Date.now() - 1000; // mtime granularity
        let result: { code: number; signal: NodeJS.Signals | null };
        try {
          result = await runCommand(argv);
        } catch (e) {
          throw new CliError(`cannot run ${argv[0]}: ${(e as Error).message}`, 127);
        }
        const keep = (why: string) => {
          out.info(`steward test: ${why}; keeping the command's exit code ${result.code}`);
          setExit(result.code);
        };
        const { files: all } = await expandArgs(o.junit);
        const files = all.filter((f) => {
          try {
            return fs.statSync(f).mtimeMs >= started;
          } catch {
            return false;
          }
        });
        if (!files.length) return keep(`no JUnit file matching ${o.junit.join(', ')} was written by this run`);
        const env = ciRunFromEnv(process.env);
        const meta = { commit: o.commit ?? env.commit, branch: o.branch ?? env.branch, runId: o.runId ?? env.runId, runUrl: o.runUrl ?? env.runUrl, job: o.job ?? env.job, attempt: env.attempt, variant: o.variant ?? null, root: cliCheckoutRoot(o.root) };
        if ('error' in srv) return keep(srv.error);
        const up = await uploadResults(srv, o.project, meta, files);
        if (result.code === 0 && !result.signal) {
          if (!up.ok) out.info(`steward test: upload failed: ${up.error}`);
          setExit(0);
          return;
        }
        if (result.signal) return keep(`the command was killed by ${result.signal}`);
        if (!up.ok) return keep(up.status === null ? `the server is unreachable (${up.error})` : `the upload was refused (${up.error})`);
        if (up.data.failingTotal > up.data.failing.length) return keep(`${up.data.failingTotal} failures are more than the server reported states for`);
        const read = await Promise.all(files.map((f) => readResultsFile(f, meta.root)));
        const bad = read.find((r) => !r.ok);
        if (bad && !bad.ok) return keep(`cannot read ${failureText(bad.error)}`);
        const quarantined = new Set(up.data.failing.filter((f) => f.quarantined).map((f) => f.key));
        const verdict = checkAgainstQuarantine(read.flatMap((r) => (r.ok ? [r.report] : [])), quarantined);
        out.info(describeVerdict(verdict));
        if (verdict.green) setExit(0);
        else setExit(result.code);
      }),
    );
}
