/**
 * `steward quarantine check <files…> --project K`: exit 0 when every failing test in the results
 * is quarantined (printing the ignored ones), 1 otherwise (lib/engine/flaky/quarantine-check.ts).
 * Fail-safe: when the server cannot be reached, the quarantine list is taken as empty (so any
 * failure keeps the run red) and the command says so.
 */
import type { Command } from 'commander';
import { checkAgainstQuarantine, type QuarantineVerdict } from '@/lib/engine/flaky/quarantine-check';
import type { Out } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { fetchQuarantine, resolveServer } from '../flaky/client';
import { cliCheckoutRoot, failureText, readResultsFile } from '../flaky/read-files';
import { expandArgs } from '../report/check-junit';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export function describeVerdict(v: QuarantineVerdict): string {
  const lines: string[] = [];
  for (const f of v.ignored) lines.push(`ignored (quarantined): ${f.classname ? `${f.classname} › ` : ''}${f.name}`);
  for (const f of v.blocking.slice(0, 50)) lines.push(`${f.synthetic ? 'build error' : 'failing'}: ${f.classname ? `${f.classname} › ` : ''}${f.name}`);
  if (v.blocking.length > 50) lines.push(`… and ${v.blocking.length - 50} more failing`);
  lines.push(v.green ? `green: ${v.executed} executed, ${v.ignored.length} quarantined failure(s) ignored` : `red: ${v.problem}`);
  return lines.join('\n');
}

export function registerQuarantineCommand(program: Command, run: Run, setExit: (code: number) => void): void {
  const q = program.command('quarantine').description('flaky-test quarantine for CI');
  q.command('check')
    .description('exit 0 when every failure in the JUnit/TRX files is a quarantined test')
    .argument('<files...>', 'files or glob patterns')
    .requiredOption('--project <key>', 'Steward project key')
    .option('--server <url>', 'Steward server (default: $STEWARD_URL)')
    .option('--token <token>', 'API token with the read scope (default: $STEWARD_TOKEN)')
    .option('--root <dir>', 'checkout directory: absolute test file paths under it are compared relative, as `report junit` stores them (default: the CI workspace, else the working directory)')
    .addHelpText('after', '\nExit codes: 0 green (no failures, or only quarantined ones), 1 red or a file could not be read, 64 bad usage.')
    .action((args: string[], o: { project: string; server?: string; token?: string; root?: string }) =>
      run(async (out) => {
        const srv = resolveServer(o);
        if ('error' in srv) throw new CliError(srv.error, EXIT.USAGE);
        const { files, unmatched } = await expandArgs(args);
        for (const u of unmatched) out.info(`warning: ${u} matched no file`);
        const root = cliCheckoutRoot(o.root);
        const read = await Promise.all(files.map((f) => readResultsFile(f, root)));
        const bad = read.filter((r) => !r.ok);
        const list = await fetchQuarantine(srv, o.project);
        if (!list.ok) {
          if (list.status !== null && list.status !== 502 && list.status !== 503 && list.status !== 504) throw new CliError(`quarantine list: ${list.error}`, list.status === 401 || list.status === 403 || list.status === 404 ? EXIT.USAGE : EXIT.FAILED);
          out.info(`warning: ${list.error}; checking against an empty quarantine list (every failure counts)`);
        }
        const keys = new Set((list.ok ? list.data : []).map((t) => t.key));
        const verdict = checkAgainstQuarantine(read.flatMap((r) => (r.ok ? [r.report] : [])), keys);
        const green = verdict.green && bad.length === 0;
        out.result(
          { green, verdict, unreadable: bad.map((b) => (b.ok ? null : b.error)), serverReachable: list.ok },
          [...bad.map((b) => (b.ok ? '' : `unreadable: ${failureText(b.error)}`)), describeVerdict(verdict)].filter(Boolean).join('\n'),
        );
        setExit(green ? EXIT.OK : EXIT.FAILED);
      }),
    );
}
