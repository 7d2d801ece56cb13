import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanEntryList } from '@/lib/engine/retention';
import { nativeUnavailable } from './scan-native';
import { type ScannerChoice, ScanRootError, scanRoot as scanWith, type ScanOptions } from './scan';
import { giveToNobody, scanUnprivileged, unprivilegedSkipReason } from '@/tests/support/unprivileged';

let root: string;
let outside: string;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-scan-')));
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-outside-')));
});
afterEach(() => {
  for (const d of [root, outside]) {
    fs.chmodSync(d, 0o755);
    for (const sub of ['locked']) if (fs.existsSync(path.join(d, sub))) fs.chmodSync(path.join(d, sub), 0o755);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

function write(rel: string, content: string, base = root): void {
  fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
  fs.writeFileSync(path.join(base, rel), content);
}

// The native walker must be tested wherever it is built; CI sets STEWARD_REQUIRE_NATIVE=1 so that a
// build that silently failed cannot skip these.
const nativeMissing = nativeUnavailable();
if (nativeMissing && process.env.STEWARD_REQUIRE_NATIVE === '1') throw new Error(`native scanner required but unavailable: ${nativeMissing}`);
const scanners: ScannerChoice[] = nativeMissing ? ['js'] : ['js', 'native'];

describe.each(scanners)('scanRoot (%s walker)', (scanner) => {
  const scanRoot = (r: string, o: ScanOptions = {}) => scanWith(r, { ...o, scanner });

  it('reports which walker ran', async () => {
    expect((await scanRoot(root)).stats.scanner).toBe(scanner);
  });

  it('lists files and directories with POSIX relative paths, sizes and mtimes', async () => {
    write('a/ITER_SUMMARY_1.json', '12345');
    write('a/b/c.log', 'xy');
    write('top.txt', '');
    const t = new Date('2025-10-01T00:00:00.250Z');
    fs.utimesSync(path.join(root, 'a/b/c.log'), t, t);
    const { scan, stats } = await scanRoot(root);
    const byPath = new Map(scanEntryList(scan.entries).map((e) => [e.path, e]));
    expect([...byPath.keys()].sort()).toEqual(['a', 'a/ITER_SUMMARY_1.json', 'a/b', 'a/b/c.log', 'top.txt']);
    expect(byPath.get('a/ITER_SUMMARY_1.json')).toMatchObject({ size: 5, type: 'file' });
    expect(byPath.get('a/b')?.type).toBe('dir');
    expect(byPath.get('a/b/c.log')?.mtimeMs).toBe(t.getTime());
    expect(scan.root).toBe(root);
    expect(scan.errors).toEqual([]);
    expect(stats.fileCount).toBe(3);
    expect(stats.rootBytes).toBe(7);
    expect(stats.fsBytes).toBeGreaterThan(0);
    expect(stats.fsFree).toBeGreaterThan(0);
    expect(stats.fsFree).toBeLessThanOrEqual(stats.fsBytes);
  });

  it('never follows symlinks to a file or a directory outside the root', async () => {
    write('secret.txt', 'do not touch', outside);
    write('deep/inner.txt', 'nor this', outside);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'file-link'));
    fs.symlinkSync(outside, path.join(root, 'dir-link'));
    const { scan, stats } = await scanRoot(root);
    const types = Object.fromEntries(scanEntryList(scan.entries).map((e) => [e.path, e.type]));
    expect(types).toEqual({ 'file-link': 'symlink', 'dir-link': 'symlink' });
    const link = scanEntryList(scan.entries).find((e) => e.path === 'dir-link');
    expect(link?.size).toBe(fs.lstatSync(path.join(root, 'dir-link')).size); // the link's own size
    expect(stats.fileCount).toBe(0);
    expect(stats.rootBytes).toBe(0);
  });

  it('reports special files as type other', async () => {
    const sock = path.join(root, 's.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const { scan } = await scanRoot(root);
      expect(scanEntryList(scan.entries)).toEqual([expect.objectContaining({ path: 's.sock', type: 'other' })]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  // Root reads a 0o000 directory anyway: these two scan in a child process as nobody (see tests/support/unprivileged.ts).
  it('reports an unreadable directory and goes on', async ({ skip }) => {
    if (unprivilegedSkipReason) skip(unprivilegedSkipReason);
    write('locked/hidden.txt', 'x');
    write('open/visible.txt', 'y');
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    giveToNobody(root);
    expect(scanUnprivileged(root, scanner)).toEqual({ errors: [{ path: 'locked', message: 'permission denied' }], onError: ['locked'], paths: ['locked', 'open', 'open/visible.txt'] });
  });

  it('reports an unaddressable (non-UTF-8) name and goes on', async () => {
    fs.mkdirSync(path.join(root, 'd'));
    fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/d/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.log')]), 'x');
    write('d/good.log', 'ok');
    const { scan } = await scanRoot(root);
    expect(scan.errors).toEqual([{ path: 'd/bad-\uFFFD\uFFFD.log', message: 'file name is not valid UTF-8, not scanned' }]);
    expect(scanEntryList(scan.entries).map((e) => e.path).sort()).toEqual(['d', 'd/good.log']);
  });

  const devDiffers = (() => {
    try {
      return fs.lstatSync('/dev/shm').dev !== fs.lstatSync('/dev').dev;
    } catch {
      return false;
    }
  })();
  it.skipIf(!devDiffers)('does not cross into another filesystem', async () => {
    const { scan } = await scanRoot('/dev');
    expect(scan.errors).toContainEqual({ path: 'shm', message: 'other filesystem, not scanned' });
    expect(scanEntryList(scan.entries).some((e) => e.path.startsWith('shm/') || e.path === 'shm')).toBe(false);
  });

  it('throws a clear error naming a bad root', async () => {
    write('file.txt', 'x');
    fs.symlinkSync(outside, path.join(root, 'link'));
    await expect(scanRoot('relative/dir')).rejects.toThrow('cannot scan root "relative/dir": not an absolute path');
    await expect(scanRoot(path.join(root, 'missing'))).rejects.toThrow(`cannot scan root "${root}/missing": does not exist`);
    await expect(scanRoot(path.join(root, 'file.txt'))).rejects.toThrow(/file.txt": is not a directory/);
    await expect(scanRoot(path.join(root, 'link'))).rejects.toThrow(/link": is a symlink/);
    await expect(scanRoot(path.join(root, 'missing'))).rejects.toBeInstanceOf(ScanRootError);
  });

  it('throws when the root itself is unreadable', async ({ skip }) => {
    if (unprivilegedSkipReason) skip(unprivilegedSkipReason);
    fs.mkdirSync(path.join(root, 'locked'));
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    giveToNobody(root);
    expect(scanUnprivileged(path.join(root, 'locked'), scanner)).toEqual({ thrown: expect.stringMatching(/permission denied/) });
  });

  it('stops when aborted', async () => {
    write('a/b.txt', 'x');
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(scanRoot(root, { signal: ac.signal })).rejects.toThrow('stop');
  });
});
