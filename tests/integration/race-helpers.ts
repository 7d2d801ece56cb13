/**
 * The hostile writer for the retention race tests: a C helper (fixtures/race/swapper.c, built here
 * with the system compiler) that exchanges names with renameat2(RENAME_EXCHANGE) in a tight loop,
 * and a manifest of a tree (type, mode, size, sha256 of every entry) to prove that nothing outside
 * a root changed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let built: { bin: string | null; why: string } | undefined;

/** Path of the compiled swapper, or null with the reason (no compiler, not Linux). */
export function swapperBinary(): { bin: string | null; why: string } {
  if (built) return built;
  if (process.platform !== 'linux') return (built = { bin: null, why: 'renameat2 needs Linux' });
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-swapper-')), 'swapper');
  const cc = spawnSync('cc', ['-O2', '-o', out, path.join(import.meta.dirname, 'fixtures/race/swapper.c')], { encoding: 'utf8' });
  built = cc.status === 0 ? { bin: out, why: '' } : { bin: null, why: `no C compiler to build the race helper (${cc.error?.message ?? cc.stderr})` };
  return built;
}

export interface Swapper {
  /** Stops the loop (SIGTERM) and resolves with the number of exchanges made. */
  stop(): Promise<number>;
}

/** Starts exchanging each [a, b] pair in a loop for at most `seconds`; resolves once it is running. */
export async function startSwapper(pairs: [string, string][], seconds = 120): Promise<Swapper> {
  const { bin, why } = swapperBinary();
  if (!bin) throw new Error(why);
  const child: ChildProcess = spawn(bin, [String(seconds), ...pairs.flat()], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  // 'close', not 'exit': 'exit' can come before the last stdout chunk (the swap count) is read.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.startsWith('ready')) {
        clearInterval(t);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(t);
        reject(new Error(`swapper exited early: ${err}`));
      }
    }, 2);
  });
  return {
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`swapper failed (exit ${code}): ${err}`);
      const count = out.split('\n')[1];
      if (!count) throw new Error(`swapper printed no count: ${JSON.stringify(out)}`);
      return Number(count);
    },
  };
}

/** Every entry under `dir` (recursive, symlinks not followed): type, mode, size, content hash. */
export function manifest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = rel ? path.join(dir, rel) : dir;
    for (const name of fs.readdirSync(abs).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isDirectory()) {
        out[r] = `dir ${(st.mode & 0o7777).toString(8)}`;
        walk(r);
      } else if (st.isSymbolicLink()) out[r] = `link -> ${fs.readlinkSync(path.join(dir, r))}`;
      else if (st.isFile()) out[r] = `file ${(st.mode & 0o7777).toString(8)} ${st.size} ${crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, r))).digest('hex')}`;
      else out[r] = `other ${st.mode.toString(8)}`;
    }
  };
  walk('');
  return out;
}

/** Writes `content` at `abs` (parents created) with both times `mtimeMs`. */
export function writeAt(abs: string, content: string | Buffer, mtimeMs: number, mode = 0o644): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content, { mode });
  fs.utimesSync(abs, mtimeMs / 1000, mtimeMs / 1000);
}
