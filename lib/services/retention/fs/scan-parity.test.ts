/**
 * The native and JavaScript walkers must agree entry for entry on the same tree; the native one
 * must also list entries in path order (what makes the planner's sort a linear check).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRetention, presetPolicy, scanEntryList, TYPE_DIR } from '@/lib/engine/retention';
import { scanRoot } from './scan';
import { nativeUnavailable } from './scan-native';

let root: string;
let outside: string;

// Names chosen for ordering traps: "a" (a directory) against "a-b" and "a.b" ('-' and '.' sort
// before '/'), a prefix file "ab" against the directory "ab", spaces, accents, CJK, a character
// above U+FFFF and one in U+E000..U+FFFF.
const NAMES = ['a', 'a-b', 'a.b', 'a0', 'ab', 'A', 'b c', 'é', 'z', '日本', 'x\u{1F600}', 'x\uFF01', '.hidden', '~tilde'];

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-parity-')));
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-parity-out-')));
  fs.writeFileSync(path.join(outside, 'secret'), 'x');
  let k = 0;
  const fill = (dir: string, depth: number): void => {
    for (const name of NAMES) {
      const p = path.join(dir, name);
      if (depth < 2 && (name === 'a' || name === 'b c' || name === '日本' || name === 'x\u{1F600}')) {
        fs.mkdirSync(p);
        fill(p, depth + 1);
      } else {
        fs.writeFileSync(p, 'x'.repeat(k % 7));
        const t = new Date(Date.UTC(2026, 0, 1) + (k * 7_919_000 + 123));
        fs.utimesSync(p, t, t);
      }
      k++;
    }
  };
  fill(root, 0);
  fs.mkdirSync(path.join(root, 'empty'));
  fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'a', 'link-to-file'));
  fs.symlinkSync(outside, path.join(root, 'link-to-dir'));
  execFileSync('mkfifo', [path.join(root, 'a', 'fifo')]);
});

afterAll(() => {
  for (const d of [root, outside]) fs.rmSync(d, { recursive: true, force: true });
});

const missing = nativeUnavailable();

describe.skipIf(missing !== null)('native walker against the JavaScript walker', () => {
  it('lists the same entries with the same sizes, mtimes and types', async () => {
    const js = await scanRoot(root, { scanner: 'js' });
    const native = await scanRoot(root, { scanner: 'native' });
    const rows = (s: typeof js) => scanEntryList(s.scan.entries).sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    expect(rows(native)).toEqual(rows(js));
    expect(rows(js).length).toBeGreaterThan(100);
    expect(native.scan.errors).toEqual(js.scan.errors);
    expect(native.stats).toEqual({ ...js.stats, scanner: 'native', fsFree: native.stats.fsFree });
    expect(rows(native).find((e) => e.path === 'link-to-dir')?.type).toBe('symlink');
    expect(rows(native).some((e) => e.path.startsWith('link-to-dir/'))).toBe(false);
  });

  it('gives path order, so the same plan as the JavaScript walker', async () => {
    const native = await scanRoot(root, { scanner: 'native' });
    const e = native.scan.entries;
    const files: string[] = [];
    for (let i = 0; i < e.length; i++) if (e.type[i] !== TYPE_DIR) files.push(e.path[i] as string);
    // Byte order equals UTF-16 order except for characters above U+FFFF against U+E000..U+FFFF:
    // compare in code-point order, which is what the native walker promises.
    const byCodePoint = [...files].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(files).toEqual(byCodePoint);
    expect(files.indexOf('a-b')).toBeLessThan(files.indexOf('a/A'));
    expect(files.indexOf('a.b')).toBeLessThan(files.indexOf('a/A'));
    const js = await scanRoot(root, { scanner: 'js' });
    const policy = { ...presetPolicy('local-dev'), maxSizeBytes: 40, sizeCapAction: 'evict-oldest' as const };
    const now = Date.UTC(2026, 6, 1);
    expect(planRetention(native.scan, policy, now)).toEqual(planRetention(js.scan, policy, now));
  });

  it('stops when aborted while walking', async () => {
    const ac = new AbortController();
    const p = scanRoot(root, { scanner: 'native', signal: ac.signal });
    ac.abort(new Error('stop now'));
    await expect(p).rejects.toThrow('stop now');
  });

  it('names a missing root', async () => {
    await expect(scanRoot(path.join(root, 'nope'), { scanner: 'native' })).rejects.toThrow(/does not exist/);
  });
});

describe('scanner choice', () => {
  it('STEWARD_SCANNER=native fails loudly when the native walker is not built', async () => {
    if (missing === null) expect((await scanRoot(root, { scanner: 'native' })).stats.scanner).toBe('native');
    else await expect(scanRoot(root, { scanner: 'native' })).rejects.toThrow(/native scanner is unavailable/);
  });
});
