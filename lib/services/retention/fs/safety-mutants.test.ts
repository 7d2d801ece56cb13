/**
 * fs/safety.ts where StrykerJS found safety.test.ts blind (issue #12): the exact refusal messages
 * of resolveInside and checkAllowedRoot (each names its path and its reason), fsErrorMessage for
 * every code it knows, the "/" root and base, several bases, relative bases ignored, and the
 * lexical system-directory check's edges (a shared prefix is not containment).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAllowedRoot, fsErrorMessage, PathSafetyError, resolveInside, systemRefusal } from './safety';

let tmp: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-safetym-')));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function refusal(fn: () => unknown): PathSafetyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PathSafetyError) return err;
    throw err;
  }
  throw new Error('not refused');
}
const reason = (r: ReturnType<typeof checkAllowedRoot>) => (r.ok ? 'ok' : r.reason);

describe('fsErrorMessage', () => {
  it.each([
    ['EACCES', 'permission denied'],
    ['EPERM', 'operation not permitted'],
    ['ENOENT', 'does not exist'],
    ['ENOTDIR', 'not a directory'],
    ['ELOOP', 'too many levels of symbolic links'],
    ['EROFS', 'read-only file system'],
    ['ENOSPC', 'no space left on device'],
    ['EIO', 'input/output error'],
  ])('%s → %s', (code, text) => {
    expect(fsErrorMessage(Object.assign(new Error('raw'), { code }))).toBe(text);
    expect(fsErrorMessage({ code, message: code })).toBe(text);
  });

  it('anything else: an Error\'s message, or the value as text (undefined too)', () => {
    expect(fsErrorMessage(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }))).toBe('EMFILE: too many open files');
    expect(fsErrorMessage(new Error('plain'))).toBe('plain');
    // What act.ts, pinned-root.ts and rotation-log-io.ts pass for an errno without a text of its own.
    expect(fsErrorMessage({ code: 'ENOSYS', message: 'ENOSYS' })).toBe('ENOSYS');
    expect(fsErrorMessage({ code: 'E123' })).toBe('[object Object]');
    expect(fsErrorMessage('text')).toBe('text');
    expect(fsErrorMessage(undefined)).toBe('undefined');
    expect(fsErrorMessage(null)).toBe('null');
  });
});

describe('resolveInside: each refusal names its path and reason', () => {
  it.each([
    ['data/root', 'a', 'root "data/root" is not an absolute path'],
    ['/data/root', '', 'empty path'],
    ['/data/root', 'a\0b', 'path "a\\u0000b" contains a NUL byte'],
    ['/data/root', '/etc/passwd', 'path "/etc/passwd" is absolute'],
    ['/data/root', '//etc', 'path "//etc" is absolute'],
    ['/data/root', 'a/../b', 'path "a/../b" contains ".."'],
    ['/data/root', '..', 'path ".." contains ".."'],
    ['/data/root', 'a//b', 'path "a//b" is not normalized'],
    ['/data/root', './a', 'path "./a" is not normalized'],
    ['/data/root', 'a/', 'path "a/" is not normalized'],
  ])('root %j, path %j', (root, rel, message) => {
    const e = refusal(() => resolveInside(root, rel));
    expect([e.name, e.code, e.message]).toEqual(['PathSafetyError', 'unsafe-path', message]);
  });

  it('a path that is not a string is refused as empty', () => {
    expect(refusal(() => resolveInside('/data/root', 42 as unknown as string)).message).toBe('empty path');
    expect(refusal(() => resolveInside('/data/root', undefined as unknown as string)).message).toBe('empty path');
  });

  it('under "/" the path is joined with one slash; a root is normalized first', () => {
    expect(resolveInside('/', 'srv/a.log')).toBe('/srv/a.log');
    expect(resolveInside('/data//root/../root2', 'a')).toBe('/data/root2/a');
    expect(resolveInside('/data/root', 'a.b/c..d/...')).toBe('/data/root/a.b/c..d/...');
  });
});

describe('systemRefusal', () => {
  it('a shared prefix is not a system directory; a directory beside them is fine', () => {
    for (const p of ['/etcetera', '/usrlocal', '/var/libx', '/srv/artifacts', '/home/ci', '/var/tmp', '/data']) expect(systemRefusal(p)).toBeNull();
    expect(systemRefusal('/usr')).toBe('is a system directory (/usr)');
    expect(systemRefusal('/run/user/0')).toBe('is a system directory (/run)');
    expect(systemRefusal('/var')).toBe('contains the system directory /var/lib');
    expect(systemRefusal('/')).toBe('is the filesystem root');
    expect(systemRefusal('/home')).toBe('is the home-directory root /home');
  });
});

describe('checkAllowedRoot: exact reasons and the bases', () => {
  it('an empty, blank, non-string or NUL path', () => {
    expect(checkAllowedRoot('', [tmp])).toEqual({ ok: false, reason: 'root path is empty' });
    expect(checkAllowedRoot('   ', [tmp])).toEqual({ ok: false, reason: 'root path is empty' });
    expect(checkAllowedRoot(7 as unknown as string, [tmp])).toEqual({ ok: false, reason: 'root path is empty' });
    expect(checkAllowedRoot(`${tmp}/a\0b`, [tmp])).toEqual({ ok: false, reason: 'root path contains a NUL byte' });
    expect(checkAllowedRoot('rel/dir', [tmp])).toEqual({ ok: false, reason: '"rel/dir" is not an absolute path' });
  });

  it('a system path is named after normalization; a missing one says so', () => {
    expect(reason(checkAllowedRoot('/etc/../etc/ssh', ['/']))).toBe('"/etc/ssh" is a system directory (/etc)');
    expect(reason(checkAllowedRoot(path.join(tmp, 'missing'), [tmp]))).toBe(`"${path.join(tmp, 'missing')}" does not exist`);
    fs.writeFileSync(path.join(tmp, 'file'), 'x');
    expect(reason(checkAllowedRoot(path.join(tmp, 'file'), [tmp]))).toBe(`"${path.join(tmp, 'file')}" is not a directory`);
  });

  it('outside every base: the path and the bases are named (the real path only when it differs)', () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    const c = path.join(tmp, 'c');
    for (const d of [a, b, c]) fs.mkdirSync(d);
    expect(reason(checkAllowedRoot(c, [a, b]))).toBe(`"${c}" is not inside an allowed base (${a}, ${b})`);
    fs.symlinkSync(c, path.join(a, 'to-c'));
    expect(reason(checkAllowedRoot(path.join(a, 'to-c'), [a]))).toBe(`"${path.join(a, 'to-c')}" (real path "${c}") is not inside an allowed base (${a})`);
  });

  it('inside any one of several bases is allowed; relative and missing bases are ignored', () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    fs.mkdirSync(path.join(b, 'inner'), { recursive: true });
    fs.mkdirSync(a);
    expect(checkAllowedRoot(path.join(b, 'inner'), [a, 'relative/base', path.join(tmp, 'gone'), b])).toMatchObject({ ok: true, realPath: path.join(b, 'inner') });
    expect(checkAllowedRoot(path.join(b, 'inner'), ['relative/base'])).toEqual({ ok: false, reason: 'no allowed base directory exists (configured: relative/base)' });
    expect(checkAllowedRoot(path.join(b, 'inner'), [])).toEqual({ ok: false, reason: 'no allowed base directory exists (configured: none)' });
    expect(checkAllowedRoot(path.join(b, 'inner'), [path.join(tmp, 'x'), path.join(tmp, 'y')])).toEqual({ ok: false, reason: `no allowed base directory exists (configured: ${path.join(tmp, 'x')}, ${path.join(tmp, 'y')})` });
  });

  it('a relative base is ignored even when it exists relative to the working directory', () => {
    const rel = path.relative(process.cwd(), tmp);
    expect(path.isAbsolute(rel)).toBe(false);
    expect(fs.existsSync(rel)).toBe(true);
    expect(checkAllowedRoot(tmp, [rel])).toEqual({ ok: false, reason: `no allowed base directory exists (configured: ${rel})` });
  });

  it('the base "/" allows any directory that is not a system one', () => {
    const st = fs.lstatSync(tmp);
    expect(checkAllowedRoot(tmp, ['/'])).toEqual({ ok: true, realPath: tmp, dev: st.dev, ino: st.ino });
  });

  it('a base given through a symlink is compared by its real path', () => {
    fs.mkdirSync(path.join(tmp, 'real/inner'), { recursive: true });
    fs.symlinkSync(path.join(tmp, 'real'), path.join(tmp, 'alias'));
    expect(checkAllowedRoot(path.join(tmp, 'real/inner'), [path.join(tmp, 'alias')])).toMatchObject({ ok: true, realPath: path.join(tmp, 'real/inner') });
  });
});
