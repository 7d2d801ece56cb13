/** `steward rotate`: artifact rotation on a CI runner, with the seeds' flags and exit codes. */
import type { Command } from 'commander';
import { runRotate, type RotateOptions } from '../rotate/run';
import type { Out } from '../context';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export function registerRotateCommand(program: Command, run: Run, setExit: (code: number) => void): void {
  program
    .command('rotate')
    .description('rotate an artifacts directory on this machine (TTL, keep-latest, compression, size cap)')
    .option('--path <dir>', 'the artifacts directory', 'artifacts')
    .option('--ttl-days <n>', 'artifact manager: delete files older than N days (default 7)')
    .option('--max-size-mb <n>', 'artifact manager: warn above N MB (default 900)')
    .option('--keep-latest <n>', 'artifact manager: keep the newest N ITER_SUMMARY files (default 100)')
    .option('--days <n>', 'rotate_artifacts: delete files older than N days')
    .option('--max-size <size>', 'rotate_artifacts: evict oldest files above this size, e.g. 2G')
    .option('--keep <n>', 'rotate_artifacts: keep only the newest N files')
    .option('--config <retention.json>', "donna's retention.json: seconds per data type (subdirectory)")
    .option('--policy <policy.json>', 'a Steward policy document')
    .option('--preset <id>', 'local-dev, ci-pr, ci-main or production')
    .option('--dry-run', 'report what would happen; change nothing')
    .option('--verbose', 'list every action')
    .option('--no-log', 'do not append to <path>/rotation/ROTATION_LOG.jsonl')
    .option('--min-quiet <seconds>', 'skip files modified in the last N seconds (default 60)')
    .option('--report-to <url>', 'send the run to a Steward server (needs a token with the ingest scope)')
    .option('--token <token>', 'API token for --report-to (default: $STEWARD_TOKEN)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 failure (missing path, permission denied, corrupt log), 2 still over the size threshold, 64 bad flags.')
    .action((o: RotateOptions) =>
      run(async (out) => {
        const print = out.json ? () => undefined : (line: string) => void process.stdout.write(`${line}\n`);
        const r = await runRotate({ ...o, token: o.token ?? process.env.STEWARD_TOKEN }, print);
        if (out.json) out.result(r, '');
        else if (r.report?.sent) print(`Reported to ${o.reportTo} (run ${r.report.id}).`);
        setExit(r.exitCode);
      }),
    );
}
