/**
 * Running a piece of a test as an unprivileged user. Root ignores file modes, so a test of
 * "permission denied" proves nothing when the suite runs as root (as CI does): such a test runs
 * its subject in a child process as nobody (uid 65534) instead, on a tree chowned to nobody.
 * Not a test file itself.
 *
 * Nobody must be able to read the checkout (node_modules/tsx, the sources) and reach os.tmpdir();
 * a checkout or TMPDIR under a 0700 directory is not, and the tests then skip with
 * `unprivilegedSkipReason` saying so.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NOBODY = 65534;
export const HOME = fileURLToPath(new URL('../..', import.meta.url));
export const isRoot = process.getuid?.() === 0;

export interface ChildRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx <script> ...args` from the checkout, as nobody when this process is root. */
export function runUnprivileged(script: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env, timeout = 60_000): ChildRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: HOME,
    env,
    encoding: 'utf8',
    timeout,
    ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Gives `dir` and everything under it to nobody (when root; a no-op otherwise). */
export function giveToNobody(dir: string): void {
  if (!isRoot) return;
  fs.chownSync(dir, NOBODY, NOBODY);
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) fs.lchownSync(path.join(e.parentPath, e.name), NOBODY, NOBODY);
}

const PROBE = path.join(HOME, 'tests/support/probe-child.ts');

function probe(): string | null {
  if (process.platform === 'win32') return 'needs POSIX file modes';
  if (!isRoot) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-nobody-probe-'));
  try {
    giveToNobody(dir);
    const r = spawnSync(process.execPath, ['--import', 'tsx', PROBE, dir], { cwd: HOME, encoding: 'utf8', timeout: 30_000, uid: NOBODY, gid: NOBODY });
    if (r.status === 0 && r.stdout.trim() === 'ok') return null;
    const why = (r.error?.message ?? r.stderr.trim().split('\n').find((l) => /EACCES|denied|Error/.test(l)) ?? `exit ${r.status}`).slice(0, 200);
    return `running as root, and uid ${NOBODY} cannot run tsx from ${HOME} on a temp dir in ${os.tmpdir()} (${why}); a file-mode test would prove nothing as root`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** null when an unprivileged child can run here; otherwise why not (the test's skip note). */
export const unprivilegedSkipReason: string | null = probe();

export type ChildScan = { errors: { path: string; message: string }[]; onError: string[]; paths: string[] } | { thrown: string };

/** scanRoot(root, { scanner }) in an unprivileged child (tests/support/scan-child.ts). */
export function scanUnprivileged(root: string, scanner: string): ChildScan {
  const r = runUnprivileged(path.join(HOME, 'tests/support/scan-child.ts'), [root, scanner]);
  if (r.status !== 0) throw new Error(`scan child exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildScan;
}
