/**
 * actOn (execute-entry.ts), the resume rules of one journal entry, which StrykerJS found checked
 * only through whole executions (issue #12): an entry without identities is never acted on, a
 * delete found "running" whose file is gone was done before the interruption (and freed its
 * bytes), a compression found "running" with its archive in place is accounted from the archive,
 * and the bytes freed never go negative. Run against every pinned implementation available.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actOn, type JournalEntry } from './execute-entry';
import { compressEntry } from './fs/act';
import { availablePinnedOps } from './fs/pinned';
import { PinnedRoot } from './fs/pinned-root';

const HOUR = 3_600_000;
const OPS = availablePinnedOps();

let base: string;
let root: string;
let now: number;

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-actOn-')));
  root = path.join(base, 'root');
  fs.mkdirSync(root);
  now = Date.now();
});
afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

/** Writes a file an hour old and returns its journal entry (pending, with identity). */
function put(rel: string, content: string, kind: 'delete' | 'compress' = 'delete'): JournalEntry {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  const t = (now - HOUR) / 1000;
  fs.utimesSync(abs, t, t);
  const st = fs.lstatSync(abs, { bigint: false });
  return { id: 7n, kind, path: rel, size: BigInt(st.size), mtimeMs: BigInt(Math.round(st.mtimeMs)), ino: st.ino, ctimeMs: BigInt(Math.round(st.ctimeMs)), status: 'pending' };
}
const exists = (rel: string) => fs.existsSync(path.join(root, rel));

describe.each(OPS.map((o) => [o.kind, o] as const))('actOn through %s descriptors', (_kind, ops) => {
  let pinned: PinnedRoot;
  beforeEach(() => {
    pinned = PinnedRoot.open(root, { ops });
  });
  afterEach(() => pinned.close());

  describe('an entry journalled without identities is skipped, file untouched', () => {
    it.each([
      ['no inode', { ino: null }],
      ['no ctime', { ctimeMs: null }],
      ['neither', { ino: null, ctimeMs: null }],
    ])('%s', async (_label, missing) => {
      for (const kind of ['delete', 'compress'] as const) {
        const e = { ...put(`${kind}/a.log`, 'data', kind), ...missing };
        expect(await actOn(pinned, e, now, 0)).toEqual({ id: 7n, status: 'skipped', outcome: 'planned before Steward recorded file identities; preview again', bytesFreed: 0n });
        expect(exists(`${kind}/a.log`)).toBe(true);
      }
    });
  });

  describe('delete', () => {
    it('a pending entry deletes the file and frees its size; the plan\'s ctime is compared', async () => {
      const e = put('d/a.log', 'twelve bytes');
      // Another ctime than the file's is another file (or a rewrite): refused.
      expect(await actOn(pinned, { ...e, ctimeMs: 1n }, now, 0)).toMatchObject({ status: 'skipped', bytesFreed: 0n });
      expect(exists('d/a.log')).toBe(true);
      expect(await actOn(pinned, e, now, 0)).toEqual({ id: 7n, status: 'done', outcome: null, bytesFreed: 12n });
      expect(exists('d/a.log')).toBe(false);
    });

    it('a pending entry whose file is gone is skipped as vanished, freeing nothing', async () => {
      const e = put('d/a.log', 'data');
      fs.rmSync(path.join(root, 'd/a.log'));
      expect(await actOn(pinned, e, now, 0)).toEqual({ id: 7n, status: 'skipped', outcome: 'vanished', bytesFreed: 0n });
    });

    it('a running entry whose file is gone was deleted before the interruption: done, its size freed', async () => {
      const e = { ...put('d/a.log', 'data'), status: 'running' };
      fs.rmSync(path.join(root, 'd/a.log'));
      expect(await actOn(pinned, e, now, 0)).toEqual({ id: 7n, status: 'done', outcome: 'deleted before the run was interrupted', bytesFreed: 4n });
    });

    it('a running entry whose file is still there is deleted as usual', async () => {
      const e = { ...put('d/a.log', 'data'), status: 'running' };
      expect(await actOn(pinned, e, now, 0)).toEqual({ id: 7n, status: 'done', outcome: null, bytesFreed: 4n });
      expect(exists('d/a.log')).toBe(false);
    });

    it('a running entry whose file changed is skipped, not counted as done', async () => {
      const e = { ...put('d/a.log', 'data'), status: 'running' };
      fs.appendFileSync(path.join(root, 'd/a.log'), 'more');
      expect(await actOn(pinned, e, now, 0)).toMatchObject({ status: 'skipped', outcome: expect.stringMatching(/size 4 → 8 bytes/), bytesFreed: 0n });
      expect(exists('d/a.log')).toBe(true);
    });

    it('minQuietMs is passed on: a file quieter than an hour is left alone with two hours asked', async () => {
      const e = put('d/a.log', 'data');
      expect(await actOn(pinned, e, now, 2 * HOUR)).toMatchObject({ status: 'skipped', outcome: expect.stringMatching(/may still be written/), bytesFreed: 0n });
      expect(exists('d/a.log')).toBe(true);
    });

    it('a delete entry never compresses', async () => {
      const e = put('d/a.log', 'x'.repeat(1000));
      await actOn(pinned, e, now, 0);
      expect(exists('d/a.log.tar.gz')).toBe(false);
    });
  });

  describe('compress', () => {
    it('a pending entry archives the file and frees size minus the archive', async () => {
      const e = put('c/big.log', 'x'.repeat(10_000), 'compress');
      const r = await actOn(pinned, e, now, 0);
      const archive = fs.statSync(path.join(root, 'c/big.log.tar.gz')).size;
      expect(r).toEqual({ id: 7n, status: 'done', outcome: null, bytesFreed: BigInt(10_000 - archive) });
      expect(exists('c/big.log')).toBe(false);
    });

    it('a tiny file whose archive is larger frees 0, never a negative number (fresh and resumed)', async () => {
      const e = put('c/tiny.log', 'x', 'compress');
      expect(await actOn(pinned, e, now, 0)).toEqual({ id: 7n, status: 'done', outcome: null, bytesFreed: 0n });
      expect(await actOn(pinned, { ...e, status: 'running' }, now, 0)).toEqual({ id: 7n, status: 'done', outcome: 'original already removed (resumed)', bytesFreed: 0n });
    });

    it('a running entry with the archive in place and the original gone is done from the archive (resumed)', async () => {
      const e = put('c/big.log', 'y'.repeat(10_000), 'compress');
      expect((await compressEntry(pinned, { path: e.path, size: 10_000, mtimeMs: Number(e.mtimeMs), ino: e.ino, ctimeMs: Number(e.ctimeMs) }, now, { minQuietMs: 0 })).status).toBe('done');
      const archive = fs.statSync(path.join(root, 'c/big.log.tar.gz')).size;
      expect(await actOn(pinned, { ...e, status: 'running' }, now, 0)).toEqual({ id: 7n, status: 'done', outcome: 'original already removed (resumed)', bytesFreed: BigInt(10_000 - archive) });
      // The same journal entry when not running: the original is gone, so it is skipped.
      expect(await actOn(pinned, e, now, 0)).toEqual({ id: 7n, status: 'skipped', outcome: 'vanished', bytesFreed: 0n });
    });

    it('a running entry whose original is still there compresses it (the resume finds nothing to account)', async () => {
      const e = { ...put('c/big.log', 'z'.repeat(10_000), 'compress'), status: 'running' };
      const r = await actOn(pinned, e, now, 0);
      expect(r).toMatchObject({ status: 'done', outcome: null });
      expect(r.bytesFreed).toBeGreaterThan(0n);
      expect(exists('c/big.log')).toBe(false);
      expect(exists('c/big.log.tar.gz')).toBe(true);
    });

    it('a compression refused frees nothing and passes the reason on', async () => {
      const e = put('c/big.log', 'w'.repeat(10_000), 'compress');
      expect(await actOn(pinned, e, now, 2 * HOUR)).toMatchObject({ status: 'skipped', outcome: expect.stringMatching(/may still be written/), bytesFreed: 0n });
      expect(exists('c/big.log')).toBe(true);
      expect(exists('c/big.log.tar.gz')).toBe(false);
    });

    it('a failed compression frees nothing, with its outcome', async () => {
      const e = put('c/app.log', 'v'.repeat(10_000), 'compress');
      fs.mkdirSync(path.join(root, 'c/.app.log.steward-tmp'));
      expect(await actOn(pinned, e, now, 0)).toEqual({ id: 7n, status: 'failed', outcome: '.app.log.steward-tmp exists and is not a file; left alone', bytesFreed: 0n });
    });
  });
});
