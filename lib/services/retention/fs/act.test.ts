import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compressToArchive, deleteEntry, finishCompression, recheck, type ActEntry } from './act';
import { scanEntryList } from '@/lib/engine/retention';
import { scanRoot } from './scan';

const HOUR = 3_600_000;
let root: string;
let outside: string;
let now: number;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-act-')));
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-outside-')));
  now = Date.now();
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

/** Writes a file with an mtime `ageMs` before `now` and returns its planned entry. */
function put(rel: string, content: string | Buffer, ageMs = HOUR, base = root): ActEntry {
  const abs = path.join(base, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  const t = (now - ageMs) / 1000;
  fs.utimesSync(abs, t, t);
  const st = fs.lstatSync(abs);
  return { path: rel, size: st.size, mtimeMs: st.mtimeMs };
}

const exists = (rel: string, base = root) => fs.existsSync(path.join(base, rel));
const tempsIn = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.tar.gz.tmp-'));

async function listArchive(file: string): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  await tar.t({ file, onReadEntry: (e) => out.push({ path: e.path, size: e.size }) });
  return out;
}

describe('recheck and deleteEntry', () => {
  it('allows an unchanged quiet file and deletes it; a second delete is skipped as vanished', () => {
    const e = put('a/old.log', 'data');
    expect(recheck(root, e, now)).toEqual({ ok: true });
    expect(deleteEntry(root, e)).toEqual({ status: 'done' });
    expect(exists('a/old.log')).toBe(false);
    expect(recheck(root, e, now)).toEqual({ ok: false, code: 'vanished', reason: 'vanished' });
    expect(deleteEntry(root, e)).toEqual({ status: 'skipped', outcome: 'vanished' });
  });

  it('refuses a symlink to a file outside the root; the target is untouched', async () => {
    put('secret.txt', 'keep me', HOUR, outside);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    const entry = scanEntryList((await scanRoot(root)).scan.entries).find((x) => x.path === 'link.txt');
    expect(entry?.type).toBe('symlink');
    const r = recheck(root, { path: 'link.txt', size: entry?.size ?? 0, mtimeMs: entry?.mtimeMs ?? 0 }, now + HOUR);
    expect(r).toMatchObject({ ok: false, code: 'not-a-file', reason: 'is now a symlink' });
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('keep me');
  });

  it('refuses a path through a symlink to a directory outside the root', () => {
    const target = put('secret.txt', 'keep me', HOUR, outside);
    fs.symlinkSync(outside, path.join(root, 'dir-link'));
    const r = recheck(root, { ...target, path: 'dir-link/secret.txt' }, now);
    expect(r).toMatchObject({ ok: false, code: 'unsafe', reason: 'parent directory "dir-link" is a symlink' });
    expect(exists('secret.txt', outside)).toBe(true);
  });

  it('refuses a file whose parent directory was replaced by a symlink after the scan', async () => {
    const e = put('runs/r1/ITER_SUMMARY_1.json', '{"i":1}');
    const { scan } = await scanRoot(root);
    expect(scanEntryList(scan.entries).some((x) => x.path === e.path)).toBe(true);
    // Attacker: same file, same size and mtime, but outside; parent swapped for a link to it.
    const decoy = put('r1/ITER_SUMMARY_1.json', '{"i":1}', HOUR, outside);
    expect(decoy.mtimeMs).toBe(e.mtimeMs);
    fs.renameSync(path.join(root, 'runs/r1'), path.join(root, 'runs/r1.moved'));
    fs.symlinkSync(path.join(outside, 'r1'), path.join(root, 'runs/r1'));
    expect(recheck(root, e, now)).toMatchObject({ ok: false, code: 'unsafe', reason: 'parent directory "runs/r1" is a symlink' });
    expect(exists('r1/ITER_SUMMARY_1.json', outside)).toBe(true);
  });

  it('refuses a file modified after the plan (size or mtime)', () => {
    const e = put('a.log', 'abc');
    fs.appendFileSync(path.join(root, 'a.log'), 'd');
    expect(recheck(root, e, now)).toMatchObject({ ok: false, code: 'changed', reason: 'changed since the plan (size 3 → 4 bytes)' });
    const f = put('b.log', 'abc');
    const t = (f.mtimeMs + 5) / 1000;
    fs.utimesSync(path.join(root, 'b.log'), t, t);
    expect(recheck(root, f, now)).toMatchObject({ ok: false, code: 'changed' });
    // Sub-millisecond noise is not a change.
    expect(recheck(root, { ...f, mtimeMs: fs.lstatSync(path.join(root, 'b.log')).mtimeMs + 0.4 }, now)).toEqual({ ok: true });
  });

  it('leaves a file modified 59 s ago alone and allows one quiet for exactly 60 s', () => {
    const e = put('busy.log', 'x', 0);
    expect(recheck(root, e, e.mtimeMs + 59_000)).toMatchObject({ ok: false, code: 'busy', reason: 'modified 59 s ago (less than 60 s): may still be written' });
    expect(recheck(root, e, e.mtimeMs + 59_999)).toMatchObject({ ok: false, code: 'busy' });
    expect(recheck(root, e, e.mtimeMs + 60_000)).toEqual({ ok: true });
    expect(recheck(root, e, e.mtimeMs, { minQuietMs: 0 })).toEqual({ ok: true });
  });

  it('refuses directories and unsafe plan paths without touching anything', () => {
    fs.mkdirSync(path.join(root, 'dir'));
    expect(recheck(root, { path: 'dir', size: 4096, mtimeMs: 0 }, now)).toMatchObject({ ok: false, code: 'not-a-file' });
    put('victim.txt', 'x', HOUR, outside);
    const escape = `../${path.basename(outside)}/victim.txt`;
    expect(recheck(root, { path: escape, size: 1, mtimeMs: 0 }, now)).toMatchObject({ ok: false, code: 'unsafe' });
    expect(deleteEntry(root, { path: escape })).toMatchObject({ status: 'failed' });
    expect(deleteEntry(root, { path: path.join(outside, 'victim.txt') })).toMatchObject({ status: 'failed' });
    expect(exists('victim.txt', outside)).toBe(true);
  });
});

describe('compression', () => {
  it('round trip: archive first, original removed only by finishCompression; resume is idempotent', async () => {
    const e = put('snapshots/freeze_1.json', 'x'.repeat(10_000));
    const arch = await compressToArchive(root, e, 'act42');
    expect(arch).toMatchObject({ status: 'archived', archivePath: 'snapshots/freeze_1.json.tar.gz' });
    expect(arch.archiveBytes).toBe(fs.statSync(path.join(root, 'snapshots/freeze_1.json.tar.gz')).size);
    expect(arch.archiveBytes).toBeLessThan(e.size);
    expect(exists(e.path)).toBe(true);
    expect(tempsIn(path.join(root, 'snapshots'))).toEqual([]);
    expect(await listArchive(path.join(root, 'snapshots/freeze_1.json.tar.gz'))).toEqual([{ path: 'freeze_1.json', size: 10_000 }]);

    // A crash before the journal noted "archived": compressing again recognises its own archive.
    expect(await compressToArchive(root, e, 'act43')).toMatchObject({ status: 'archived', outcome: 'archive already in place' });

    expect(await finishCompression(root, e, 'snapshots/freeze_1.json.tar.gz')).toEqual({ status: 'done', archiveBytes: arch.archiveBytes });
    expect(exists(e.path)).toBe(false);
    expect(await finishCompression(root, e, 'snapshots/freeze_1.json.tar.gz')).toMatchObject({ status: 'done', outcome: 'original already removed' });
    expect(exists('snapshots/freeze_1.json.tar.gz')).toBe(true);
  });

  it('handles names tar.c would misread ("@..." is an archive reference to it)', async () => {
    const e = put('@weird name.json', 'payload');
    expect(await compressToArchive(root, e, 't1')).toMatchObject({ status: 'archived' });
    expect(await listArchive(path.join(root, '@weird name.json.tar.gz'))).toEqual([{ path: '@weird name.json', size: 7 }]);
  });

  it('a failing compression leaves the original untouched and no temp file behind', async () => {
    const e = put('logs/app.log', 'important');
    fs.mkdirSync(path.join(root, 'logs/.app.log.tar.gz.tmp-boom')); // the temp name is taken by a directory
    const r = await compressToArchive(root, e, 'boom');
    expect(r.status).toBe('failed');
    expect(fs.readFileSync(path.join(root, 'logs/app.log'), 'utf8')).toBe('important');
    expect(fs.lstatSync(path.join(root, 'logs/app.log')).mtimeMs).toBe(e.mtimeMs);
    expect(exists('logs/app.log.tar.gz')).toBe(false);
    expect(fs.statSync(path.join(root, 'logs/.app.log.tar.gz.tmp-boom')).isDirectory()).toBe(true); // not ours: left alone
    expect(await compressToArchive(root, e, '../../evil')).toMatchObject({ status: 'failed', outcome: 'invalid temp tag "../../evil"' });
    expect(fs.readdirSync(path.join(root, 'logs')).sort()).toEqual(['.app.log.tar.gz.tmp-boom', 'app.log']);
  });

  it('removes a stale temp of its own tag and never writes through a planted symlink', async () => {
    const e = put('s/f.json', 'abc');
    put('target.txt', 'untouched', HOUR, outside);
    fs.symlinkSync(path.join(outside, 'target.txt'), path.join(root, 's/.f.json.tar.gz.tmp-t9'));
    expect(await compressToArchive(root, e, 't9')).toMatchObject({ status: 'archived' });
    expect(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8')).toBe('untouched');
    expect(tempsIn(path.join(root, 's'))).toEqual([]);
  });

  it('skips when an archive that is not ours already exists, and leaves it alone', async () => {
    const e = put('s/f.json', 'current version');
    fs.writeFileSync(path.join(root, 's/f.json.tar.gz'), 'someone else');
    expect(await compressToArchive(root, e, 't1')).toEqual({ status: 'skipped', outcome: 'archive already exists' });
    expect(fs.readFileSync(path.join(root, 's/f.json.tar.gz'), 'utf8')).toBe('someone else');
    expect(await finishCompression(root, e, 's/f.json.tar.gz')).toMatchObject({ status: 'failed' });
    expect(exists('s/f.json')).toBe(true);
  });

  it('keeps the original when the archive is corrupt, missing or the original changed', async () => {
    const e = put('s/f.json', 'y'.repeat(5000));
    await compressToArchive(root, e, 't1');
    const archive = path.join(root, 's/f.json.tar.gz');
    const good = fs.readFileSync(archive);
    fs.writeFileSync(archive, good.subarray(0, good.length - 12)); // truncated: gzip trailer gone
    expect(await finishCompression(root, e, 's/f.json.tar.gz')).toMatchObject({ status: 'failed', outcome: expect.stringMatching(/^original kept: archive does not verify/) });
    expect(exists('s/f.json')).toBe(true);

    fs.rmSync(archive);
    expect(await finishCompression(root, e, 's/f.json.tar.gz')).toEqual({ status: 'failed', outcome: 'original kept: archive is missing' });

    fs.writeFileSync(archive, good);
    fs.appendFileSync(path.join(root, 's/f.json'), 'late write');
    expect(await finishCompression(root, e, 's/f.json.tar.gz')).toEqual({ status: 'failed', outcome: 'original kept: it changed since it was archived' });
    expect(exists('s/f.json')).toBe(true);
  });

  it('refuses an archive path outside the original directory or root', async () => {
    const e = put('s/f.json', 'abc');
    expect(await finishCompression(root, e, 'other.tar.gz')).toMatchObject({ status: 'failed', outcome: 'original kept: archive is not next to the original' });
    expect(await finishCompression(root, e, '../x.tar.gz')).toMatchObject({ status: 'failed' });
    expect(exists('s/f.json')).toBe(true);
  });
});
