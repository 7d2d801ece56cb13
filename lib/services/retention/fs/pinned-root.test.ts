// A root is pinned by identity: a directory put in its place (even under the same path, even with
// the same name and contents) is refused before anything is touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availablePinnedOps } from './pinned';
import { PinnedRoot, RootPinError } from './pinned-root';

let base: string;
beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-pin-')));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

describe.each(availablePinnedOps().map((o) => [o.kind, o] as const))('PinnedRoot.open through %s descriptors', (_kind, ops) => {
  it('opens the registered directory; refuses another one put under its path, naming both identities', () => {
    const root = path.join(base, 'root');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'a.log'), 'x');
    const st = fs.statSync(root);
    const first = PinnedRoot.open(root, { ops, expect: { dev: st.dev, ino: st.ino } });
    first.close();
    // The same name and contents, but another directory: kept alive beside it so the inode differs.
    fs.renameSync(root, path.join(base, 'old-root'));
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'a.log'), 'x');
    const now = fs.statSync(root);
    expect(now.ino).not.toBe(st.ino);
    let err: unknown;
    try {
      PinnedRoot.open(root, { ops, expect: { dev: st.dev, ino: st.ino } }).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RootPinError);
    expect((err as RootPinError).code).toBe('identity');
    expect((err as Error).message).toContain(`inode ${st.ino}; the path now leads to device ${now.dev}, inode ${now.ino}`);
    expect(fs.readFileSync(path.join(root, 'a.log'), 'utf8')).toBe('x');
  });
  it('a symlink in place of the root is refused', () => {
    fs.mkdirSync(path.join(base, 'real'));
    fs.symlinkSync(path.join(base, 'real'), path.join(base, 'link'));
    expect(() => PinnedRoot.open(path.join(base, 'link'), { ops })).toThrow(/is a symlink/);
  });
});
