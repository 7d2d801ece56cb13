import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAllowedRoot, PathSafetyError, resolveInside } from './safety';

let tmp: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-safety-')));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof PathSafetyError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('resolveInside', () => {
  it('joins normalized relative paths', () => {
    expect(resolveInside('/data/root', 'a/b.json')).toBe('/data/root/a/b.json');
    expect(resolveInside('/data/root/', 'x')).toBe('/data/root/x');
    expect(resolveInside('/data/root', '..hidden/...')).toBe('/data/root/..hidden/...');
  });

  it.each([
    ['absolute', '/etc/passwd'],
    ['escaping ..', '../outside'],
    ['deep escape', 'a/../../outside'],
    ['inner ..', 'a/../b'],
    ['NUL', 'a\0b'],
    ['empty', ''],
    ['dot prefix', './a'],
    ['double slash', 'a//b'],
    ['trailing slash', 'a/'],
    ['lone dot', '.'],
  ])('refuses %s', (_label, rel) => {
    expect(codeOf(() => resolveInside('/data/root', rel))).toBe('unsafe-path');
  });

  it('refuses a relative root', () => {
    expect(codeOf(() => resolveInside('data/root', 'a'))).toBe('unsafe-path');
  });
});

describe('checkAllowedRoot', () => {
  const reason = (r: ReturnType<typeof checkAllowedRoot>) => (r.ok ? 'ok' : r.reason);

  it('allows a base itself and a directory inside it, returning the real path', () => {
    fs.mkdirSync(path.join(tmp, 'artifacts/soak'), { recursive: true });
    const st = fs.lstatSync(tmp);
    expect(checkAllowedRoot(tmp, [tmp])).toEqual({ ok: true, realPath: tmp, dev: st.dev, ino: st.ino });
    // The identity is the directory's own (device, inode), stored with the root.
    const soak = fs.lstatSync(path.join(tmp, 'artifacts/soak'));
    expect(checkAllowedRoot(path.join(tmp, 'artifacts/soak/'), [tmp])).toEqual({ ok: true, realPath: path.join(tmp, 'artifacts/soak'), dev: soak.dev, ino: soak.ino });
  });

  it.each([
    ['/', /filesystem root/],
    ['/etc', /system directory \(\/etc\)/],
    ['/usr/local', /system directory \(\/usr\)/],
    ['/var/lib/postgresql', /system directory \(\/var\/lib\)/],
    ['/var', /contains the system directory \/var\/lib/],
    ['/home', /home-directory root/],
    ['/proc/self', /system directory \(\/proc\)/],
  ])('refuses %s even when the bases allow everything', (p, re) => {
    expect(reason(checkAllowedRoot(p, ['/']))).toMatch(re);
  });

  it('refuses relative, missing and non-directory paths', () => {
    fs.writeFileSync(path.join(tmp, 'file'), 'x');
    expect(reason(checkAllowedRoot('artifacts', [tmp]))).toMatch(/not an absolute path/);
    expect(reason(checkAllowedRoot(path.join(tmp, 'missing'), [tmp]))).toMatch(/does not exist/);
    expect(reason(checkAllowedRoot(path.join(tmp, 'file'), [tmp]))).toMatch(/is not a directory/);
  });

  it('refuses a path outside the bases', () => {
    fs.mkdirSync(path.join(tmp, 'base'));
    fs.mkdirSync(path.join(tmp, 'elsewhere'));
    fs.mkdirSync(path.join(tmp, 'base-sibling'));
    expect(reason(checkAllowedRoot(path.join(tmp, 'elsewhere'), [path.join(tmp, 'base')]))).toMatch(/not inside an allowed base/);
    // A shared prefix is not containment.
    expect(reason(checkAllowedRoot(path.join(tmp, 'base-sibling'), [path.join(tmp, 'base')]))).toMatch(/not inside an allowed base/);
  });

  it('refuses a symlink inside a base that points outside it, and resolves one that stays inside', () => {
    fs.mkdirSync(path.join(tmp, 'base/real'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'outside'));
    fs.symlinkSync(path.join(tmp, 'outside'), path.join(tmp, 'base/escape'));
    fs.symlinkSync(path.join(tmp, 'base/real'), path.join(tmp, 'base/alias'));
    const base = path.join(tmp, 'base');
    expect(reason(checkAllowedRoot(path.join(base, 'escape'), [base]))).toMatch(/real path ".*outside"\) is not inside an allowed base/);
    expect(checkAllowedRoot(path.join(base, 'alias'), [base])).toMatchObject({ ok: true, realPath: path.join(base, 'real'), ino: fs.lstatSync(path.join(base, 'real')).ino });
  });

  it('refuses a symlink that leads into a system directory', () => {
    fs.symlinkSync('/etc', path.join(tmp, 'etc-link'));
    expect(reason(checkAllowedRoot(path.join(tmp, 'etc-link'), [tmp, '/']))).toMatch(/resolves to "\/etc", which is a system directory/);
  });

  it('refuses when no base exists', () => {
    expect(reason(checkAllowedRoot(tmp, [path.join(tmp, 'nope')]))).toMatch(/no allowed base directory exists/);
  });
});
