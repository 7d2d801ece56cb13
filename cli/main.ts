/** `steward`: the CLI for operators and CI pipelines. Commands call lib/services, like the web app. */
import { Command, CommanderError } from 'commander';
import { version } from '@/package.json';
import { registerAdminCommands } from './commands/admin';
import { registerDemoCommand } from './commands/demo';
import { registerPerfCommands } from './commands/perf';
import { registerProjectCommands } from './commands/projects';
import { registerQuarantineCommand } from './commands/quarantine';
import { registerReportCommand } from './commands/report';
import { registerRootCommands } from './commands/roots';
import { registerRotateCommand } from './commands/rotate';
import { registerSentinelCommand } from './commands/sentinel';
import { registerSoakCommands } from './commands/soak';
import { registerTestCommand } from './commands/test';
import { registerWorkerCommand } from './commands/worker';
import { makeOut, toExit, type Out } from './context';
import { EXIT } from './exit-codes';

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = new Command('steward')
    .description('Steward: operations console for CI and soak-test hygiene')
    .version(version, '-V, --version')
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError()
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 failure (quarantine check / test: red), 2 over size threshold (rotate), 64 bad usage or input, 75 database in use.
Environment: DATABASE_URL (PostgreSQL) or the embedded database in STEWARD_DATA_DIR (default .data).`,
  );

  const run = async (fn: (out: Out) => Promise<void>) => {
    const out = makeOut(Boolean(program.opts<{ json?: boolean }>().json));
    try {
      await fn(out);
    } catch (e) {
      const { message, code } = toExit(e);
      if (out.json) process.stdout.write(`${JSON.stringify({ error: { message, exitCode: code } })}\n`);
      process.stderr.write(`steward: ${message}\n`);
      exitCode = code;
    }
  };

  registerAdminCommands(program, run);
  registerWorkerCommand(program, run);
  registerDemoCommand(program, run);
  registerRootCommands(program, run);
  const setExit = (code: number) => {
    exitCode = code;
  };
  registerRotateCommand(program, run, setExit);
  registerProjectCommands(program, run);
  registerReportCommand(program, run, setExit);
  registerQuarantineCommand(program, run, setExit);
  registerTestCommand(program, run, setExit);
  registerPerfCommands(program, run, setExit);
  registerSoakCommands(program, run, setExit);
  registerSentinelCommand(program, run, setExit);

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.OK : EXIT.USAGE;
    }
    throw e;
  }
  return exitCode;
}
