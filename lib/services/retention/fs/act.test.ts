import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compressEntry, deleteEntry, recheck, resumedCompression, tempArchiveName, type ActEntry } from './act';
import { matchArchive, readArchive } from './archive';
import { availablePinnedOps } from './pinned';
import { PinnedRoot } from './pinned-root';

const HOUR = 3_600_000;
const OPS = availablePinnedOps();
const isRoot = process.getuid?.() === 0;

let base: string;
let root: string;
let outside: string;
let now: number;

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-act-')));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  now = Date.now();
});
afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

/** Writes a file with an mtime `ageMs` before `now` and returns its planned entry (with identity). */
function put(rel: string, content: string | Buffer, ageMs = HOUR, dir = root, mode = 0o644): ActEntry {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content, { mode });
  fs.chmodSync(abs, mode);
  const t = (now - ageMs) / 1000;
  fs.utimesSync(abs, t, t);
  const st = fs.lstatSync(abs);
  return { path: rel, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, ctimeMs: st.ctimeMs };
}

const exists = (rel: string, dir = root) => fs.existsSync(path.join(dir, rel));
const sha = (abs: string) => crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex');

async function members(file: string): Promise<{ path: string; size: number; content: string }[]> {
  const out: { path: string; size: number; content: string }[] = [];
  await tar.t({
    file,
    onReadEntry: (e) => {
      const chunks: Buffer[] = [];
      e.on('data', (c: Buffer) => chunks.push(c));
      e.on('end', () => out.push({ path: e.path, size: e.size, content: Buffer.concat(chunks).toString('utf8') }));
    },
  });
  return out;
}

describe.each(OPS.map((o) => [o.kind, o] as const))('act through %s descriptors', (_kind, ops) => {
  let pinned: PinnedRoot;
  beforeEach(() => {
    pinned = PinnedRoot.open(root, { ops });
  });
  afterEach(() => pinned.close());

  describe('recheck and deleteEntry', () => {
    it('deletes an unchanged quiet file; a second delete is skipped as vanished', () => {
      const e = put('a/old.log', 'data');
      expect(recheck(pinned, e, now)).toMatchObject({ ok: true, name: 'old.log' });
      expect(deleteEntry(pinned, e, now)).toEqual({ status: 'done' });
      expect(exists('a/old.log')).toBe(false);
      expect(recheck(pinned, e, now)).toEqual({ ok: false, code: 'vanished', reason: 'vanished' });
      expect(deleteEntry(pinned, e, now)).toMatchObject({ status: 'skipped', outcome: 'vanished' });
    });

    it('never acts on a symlink, nor through a symlinked directory; outside files untouched', () => {
      const secret = put('secret.txt', 'keep me', HOUR, outside);
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
      expect(deleteEntry(pinned, { ...secret, path: 'link.txt' }, now)).toMatchObject({ status: 'skipped', code: 'not-a-file', outcome: 'is now a symlink' });
      fs.symlinkSync(outside, path.join(root, 'dir-link'));
      expect(deleteEntry(pinned, { ...secret, path: 'dir-link/secret.txt' }, now)).toMatchObject({ status: 'skipped', code: 'unsafe', outcome: 'parent directory "dir-link" is now a symlink or not a directory' });
      expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('keep me');
    });

    it('refuses a file whose parent was swapped for a symlink to an identical outside tree', () => {
      const e = put('runs/r1/ITER_SUMMARY_1.json', '{"i":1}');
      const decoy = put('r1/ITER_SUMMARY_1.json', '{"i":1}', HOUR, outside);
      expect(decoy.mtimeMs).toBe(e.mtimeMs);
      fs.renameSync(path.join(root, 'runs/r1'), path.join(root, 'runs/r1.moved'));
      fs.symlinkSync(path.join(outside, 'r1'), path.join(root, 'runs/r1'));
      expect(deleteEntry(pinned, e, now)).toMatchObject({ status: 'skipped', code: 'unsafe' });
      expect(exists('r1/ITER_SUMMARY_1.json', outside)).toBe(true);
    });

    it('a cached directory descriptor keeps acting inside the directory it opened, never in its replacement', () => {
      const a = put('d/a.log', 'a');
      const b = put('d/b.log', 'b');
      expect(deleteEntry(pinned, a, now)).toEqual({ status: 'done' });
      // The directory is renamed away inside the root and replaced by a symlink to outside.
      put('d/b.log', 'b', HOUR, outside);
      fs.renameSync(path.join(root, 'd'), path.join(root, 'd-real'));
      fs.symlinkSync(path.join(outside, 'd'), path.join(root, 'd'));
      expect(deleteEntry(pinned, b, now)).toEqual({ status: 'done' });
      expect(exists('d-real/b.log')).toBe(false);
      expect(exists('d/b.log', outside)).toBe(true);
    });

    it('refuses a file changed since the plan: size, mtime, inode, or ctime (same size, mtime restored)', () => {
      const e = put('a.log', 'abc');
      fs.appendFileSync(path.join(root, 'a.log'), 'd');
      expect(recheck(pinned, e, now)).toMatchObject({ ok: false, code: 'changed', reason: 'changed since the plan (size 3 → 4 bytes)' });

      const f = put('b.log', 'abc');
      const t = (f.mtimeMs + 5) / 1000;
      fs.utimesSync(path.join(root, 'b.log'), t, t);
      expect(recheck(pinned, { ...f, ctimeMs: null }, now)).toMatchObject({ ok: false, code: 'changed' });

      // Rewritten with the same size, then the old mtime restored: only ctime tells.
      const g = put('c.log', 'old');
      // ctime has the kernel's coarse clock (a few ms): the rewrite happens a tick later, as any real one would.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
      fs.writeFileSync(path.join(root, 'c.log'), 'new');
      const gt = g.mtimeMs / 1000;
      fs.utimesSync(path.join(root, 'c.log'), gt, gt);
      expect(Math.abs(fs.lstatSync(path.join(root, 'c.log')).mtimeMs - g.mtimeMs)).toBeLessThan(1);
      expect(deleteEntry(pinned, g, now)).toMatchObject({ status: 'skipped', code: 'changed', outcome: expect.stringMatching(/metadata changed/) });
      expect(fs.readFileSync(path.join(root, 'c.log'), 'utf8')).toBe('new');

      // Replaced by another file with the same size and mtime: the inode tells.
      const h = put('d.log', 'one');
      put('d2.log', 'two');
      fs.utimesSync(path.join(root, 'd2.log'), h.mtimeMs / 1000, h.mtimeMs / 1000);
      fs.renameSync(path.join(root, 'd2.log'), path.join(root, 'd.log'));
      expect(deleteEntry(pinned, { ...h, ctimeMs: null }, now)).toMatchObject({ status: 'skipped', code: 'changed', outcome: 'was replaced by another file since the plan' });
      expect(exists('d.log')).toBe(true);

      // Sub-millisecond noise is not a change (plans store whole milliseconds).
      const k = put('k.log', 'abc');
      expect(recheck(pinned, { ...k, mtimeMs: Math.round(k.mtimeMs), ctimeMs: Math.round(k.ctimeMs as number) }, now)).toMatchObject({ ok: true });
    });

    it('leaves a file modified 59 s ago alone and allows one quiet for exactly 60 s', () => {
      const e = put('busy.log', 'x', 0);
      expect(recheck(pinned, e, e.mtimeMs + 59_000)).toMatchObject({ ok: false, code: 'busy', reason: 'modified 59 s ago (less than 60 s): may still be written' });
      expect(recheck(pinned, e, e.mtimeMs + 59_999)).toMatchObject({ ok: false, code: 'busy' });
      expect(recheck(pinned, e, e.mtimeMs + 60_000)).toMatchObject({ ok: true });
      expect(recheck(pinned, e, e.mtimeMs, { minQuietMs: 0 })).toMatchObject({ ok: true });
    });

    it('refuses directories, FIFOs and unsafe plan paths without touching anything', () => {
      fs.mkdirSync(path.join(root, 'dir'));
      expect(deleteEntry(pinned, { path: 'dir', size: 4096, mtimeMs: 0 }, now)).toMatchObject({ status: 'skipped', code: 'not-a-file' });
      put('victim.txt', 'x', HOUR, outside);
      for (const p of ['../outside/victim.txt', path.join(outside, 'victim.txt'), 'a//b', './victim.txt', 'x/../../outside/victim.txt', 'a\0b']) {
        expect(deleteEntry(pinned, { path: p, size: 1, mtimeMs: 0 }, now)).toMatchObject({ status: 'skipped', code: 'unsafe' });
      }
      expect(exists('victim.txt', outside)).toBe(true);
    });
  });

  describe('compressEntry', () => {
    it('archives, verifies by content, keeps owner/mode, removes the original and leaves no temp', async () => {
      const e = put('snapshots/freeze_1.json', 'x'.repeat(10_000), HOUR, root, 0o640);
      const before = sha(path.join(root, e.path));
      const r = await compressEntry(pinned, e, now);
      expect(r).toMatchObject({ status: 'done', archivePath: 'snapshots/freeze_1.json.tar.gz' });
      const archive = path.join(root, 'snapshots/freeze_1.json.tar.gz');
      expect(r.archiveBytes).toBe(fs.statSync(archive).size);
      expect(exists(e.path)).toBe(false);
      expect(fs.readdirSync(path.join(root, 'snapshots'))).toEqual(['freeze_1.json.tar.gz']);
      expect(fs.statSync(archive).mode & 0o777).toBe(0o640);
      const m = await members(archive);
      expect(m).toEqual([{ path: 'freeze_1.json', size: 10_000, content: 'x'.repeat(10_000) }]);
      expect(crypto.createHash('sha256').update(m[0]!.content).digest('hex')).toBe(before);
      // Resume after the original was removed: accounted for from the archive.
      expect(await resumedCompression(pinned, e)).toMatchObject({ status: 'done', outcome: 'original already removed' });
    });

    it.skipIf(!isRoot)('as root, an archive of another user\'s file belongs to that user', async () => {
      const e = put('u/data.bin', 'owned by nobody', HOUR, root, 0o600);
      fs.chownSync(path.join(root, e.path), 65534, 65534);
      const st = fs.lstatSync(path.join(root, e.path));
      const r = await compressEntry(pinned, { ...e, ctimeMs: st.ctimeMs }, now);
      expect(r.status).toBe('done');
      const a = fs.statSync(path.join(root, 'u/data.bin.tar.gz'));
      expect([a.uid, a.gid, a.mode & 0o777]).toEqual([65534, 65534, 0o600]);
    });

    it('names with line terminators, "@", long names (pax) round-trip', async () => {
      for (const name of ['@weird name.json', 'a\nb\r\u2028c.json', `${'n'.repeat(200)}.json`]) {
        const e = put(name, `payload of ${name.length}`);
        expect(await compressEntry(pinned, e, now)).toMatchObject({ status: 'done' });
        expect(await members(path.join(root, `${name}.tar.gz`))).toEqual([{ path: name, size: e.size, content: `payload of ${name.length}` }]);
      }
    });

    it('a stale archive of an earlier version (same name, size and mtime) is never trusted', async () => {
      const e = put('s/f.json', 'version-1');
      await compressEntry(pinned, e, now);
      const stale = fs.readFileSync(path.join(root, 's/f.json.tar.gz'));
      // The file comes back with new content of the same size and the same mtime; the old archive is restored.
      const e2 = put('s/f.json', 'version-2');
      expect(e2.mtimeMs).toBe(e.mtimeMs);
      fs.writeFileSync(path.join(root, 's/f.json.tar.gz'), stale);
      const r = await compressEntry(pinned, e2, now);
      expect(r).toMatchObject({ status: 'skipped', outcome: expect.stringMatching(/already exists and is not an archive of this file/) });
      expect(fs.readFileSync(path.join(root, 's/f.json'), 'utf8')).toBe('version-2');
    });

    it('an existing archive holding exactly this content (a crash after linking) completes the compression', async () => {
      const e = put('s/g.json', 'same content');
      const copy = put('t/g.json', 'same content');
      await compressEntry(pinned, copy, now);
      fs.renameSync(path.join(root, 't/g.json.tar.gz'), path.join(root, 's/g.json.tar.gz'));
      expect(await compressEntry(pinned, e, now)).toMatchObject({ status: 'done', outcome: 'archive already in place' });
      expect(exists('s/g.json')).toBe(false);
    });

    it('removes a leftover temp (file or planted symlink) and never writes through it', async () => {
      const e = put('s/f.json', 'abc');
      put('target.txt', 'untouched', HOUR, outside);
      fs.symlinkSync(path.join(outside, 'target.txt'), path.join(root, 's', tempArchiveName('f.json')));
      expect(await compressEntry(pinned, e, now)).toMatchObject({ status: 'done' });
      expect(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8')).toBe('untouched');
      expect(fs.readdirSync(path.join(root, 's'))).toEqual(['f.json.tar.gz']);
      const f = put('s/h.json', 'def');
      fs.writeFileSync(path.join(root, 's', tempArchiveName('h.json')), 'partial archive of a crashed run');
      expect(await compressEntry(pinned, f, now)).toMatchObject({ status: 'done' });
      expect(fs.readdirSync(path.join(root, 's')).sort()).toEqual(['f.json.tar.gz', 'h.json.tar.gz']);
    });

    it('a temp name taken by a directory fails the compression, original untouched', async () => {
      const e = put('logs/app.log', 'important');
      fs.mkdirSync(path.join(root, 'logs', tempArchiveName('app.log')));
      expect(await compressEntry(pinned, e, now)).toMatchObject({ status: 'failed' });
      expect(fs.readFileSync(path.join(root, 'logs/app.log'), 'utf8')).toBe('important');
      expect(exists('logs/app.log.tar.gz')).toBe(false);
    });

    it('refuses a file swapped for a FIFO or a symlink to a secret; never blocks, never reads outside', async () => {
      const e = put('s/pipe.json', 'abc');
      fs.rmSync(path.join(root, 's/pipe.json'));
      const fifo = path.join(root, 's/pipe.json');
      execFileSync('mkfifo', [fifo]);
      expect(await compressEntry(pinned, e, now)).toMatchObject({ status: 'skipped', code: 'not-a-file' });
      put('secret', 'TOP SECRET', HOUR, outside, 0o600);
      const l = put('s/l.json', 'TOP SECRET');
      fs.rmSync(path.join(root, 's/l.json'));
      fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 's/l.json'));
      expect(await compressEntry(pinned, l, now)).toMatchObject({ status: 'skipped', code: 'not-a-file' });
      expect(exists('s/l.json.tar.gz')).toBe(false);
    });

    it('skips a file with other hard links', async () => {
      const e = put('s/shared.bin', 'shared');
      fs.linkSync(path.join(root, 's/shared.bin'), path.join(base, 'elsewhere.bin'));
      const st = fs.lstatSync(path.join(root, 's/shared.bin'));
      expect(await compressEntry(pinned, { ...e, ctimeMs: st.ctimeMs }, now)).toMatchObject({ status: 'skipped', outcome: expect.stringMatching(/2 hard links/) });
      expect(exists('s/shared.bin')).toBe(true);
    });
  });
});

describe('archive verification (matchArchive / readArchive)', () => {
  const want = { name: 'f.json', size: 3, mtimeMs: 1_700_000_000_500, sha256: crypto.createHash('sha256').update('abc').digest('hex') };
  const member = { path: 'f.json', type: 'File', size: 3, mtimeMs: 1_700_000_000_000, sha256: want.sha256 };

  it('accepts exactly one matching member and names each mismatch', () => {
    expect(matchArchive([member], want)).toEqual({ ok: true });
    expect(matchArchive([], want)).toEqual({ ok: false, reason: 'holds 0 entries, expected 1' });
    expect(matchArchive([member, member], want)).toEqual({ ok: false, reason: 'holds 2 entries, expected 1' });
    expect(matchArchive([{ ...member, path: 'g.json' }], want)).toMatchObject({ ok: false, reason: expect.stringMatching(/holds "g.json"/) });
    expect(matchArchive([{ ...member, type: 'SymbolicLink' }], want)).toMatchObject({ ok: false, reason: expect.stringMatching(/SymbolicLink/) });
    expect(matchArchive([{ ...member, size: 4 }], want)).toEqual({ ok: false, reason: 'its member is 4 bytes, expected 3' });
    expect(matchArchive([{ ...member, mtimeMs: 1_700_000_001_000 }], want)).toEqual({ ok: false, reason: 'its member has another modification time' });
    expect(matchArchive([{ ...member, mtimeMs: undefined }], want)).toMatchObject({ ok: false });
    expect(matchArchive([{ ...member, sha256: '0'.repeat(64) }], want)).toEqual({ ok: false, reason: 'its content differs from the file' });
  });

  it('readArchive rejects a truncated archive and hashes member content', async () => {
    const dir = path.join(base, 'arch');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'f.json'), 'abc');
    await tar.c({ gzip: true, cwd: dir, file: path.join(dir, 'a.tgz') }, ['f.json']);
    const fd = fs.openSync(path.join(dir, 'a.tgz'), 'r');
    const m = await readArchive(fd);
    fs.closeSync(fd);
    expect(m).toMatchObject([{ path: 'f.json', type: 'File', size: 3, sha256: want.sha256 }]);
    const good = fs.readFileSync(path.join(dir, 'a.tgz'));
    fs.writeFileSync(path.join(dir, 'b.tgz'), good.subarray(0, good.length - 12));
    const fd2 = fs.openSync(path.join(dir, 'b.tgz'), 'r');
    await expect(readArchive(fd2)).rejects.toThrow();
    fs.closeSync(fd2);
    // Not gzip at all, and gzip of garbage.
    fs.writeFileSync(path.join(dir, 'c.tgz'), zlib.gzipSync(Buffer.from('not a tar archive at all')));
    const fd3 = fs.openSync(path.join(dir, 'c.tgz'), 'r');
    const r3 = await readArchive(fd3).then((x) => x.length, () => -1);
    fs.closeSync(fd3);
    expect(r3 === -1 || r3 === 0).toBe(true);
  });
});
