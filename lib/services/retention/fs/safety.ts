/**
 * Path rules for artifact retention: which directories may be roots (checkAllowedRoot,
 * systemRefusal), and the lexical check of a root-relative path taken from a stored plan
 * (resolveInside: the plan is data, maybe stale or tampered with, so a planned path is never
 * trusted to be normalized). Acting on a path is never done by path: see pinned-root.ts and act.ts,
 * which resolve every planned path beneath the root's descriptor.
 */
import fs from 'node:fs';
import path from 'node:path';

export type PathSafetyCode = 'unsafe-path' | 'vanished' | 'symlink' | 'not-a-directory' | 'io';

/** A path refused by resolveInside; `code` says why, the message names the path. */
export class PathSafetyError extends Error {
  constructor(
    readonly code: PathSafetyCode,
    message: string,
  ) {
    super(message);
    this.name = 'PathSafetyError';
  }
}

/** Short human text for a Node fs error ("permission denied"), falling back to its message. */
export function fsErrorMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  switch (e?.code) {
    case 'EACCES':
      return 'permission denied';
    case 'EPERM':
      return 'operation not permitted';
    case 'ENOENT':
      return 'does not exist';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EIO':
      return 'input/output error';
    default:
      // Callers that only have an errno pass { code, message } (not an Error): their message is the errno's name.
      // Stryker disable next-line ConditionalExpression: `false` is equivalent: an Error's message is a string, which the line below returns too
      if (e instanceof Error) return e.message;
      return typeof (err as { message?: unknown } | null)?.message === 'string' ? (err as { message: string }).message : String(err);
  }
}

/**
 * Absolute path of `rel` under `root`. Throws PathSafetyError('unsafe-path') when `rel` is empty,
 * absolute, contains a NUL byte or a ".." segment, or is not normalized ("./a", "a//b", "a/").
 * Scans only ever produce normalized paths, so anything else in a plan is tampering or a bug:
 * refusing it is simpler and safer than normalizing it. Purely lexical: no fs access.
 */
export function resolveInside(root: string, rel: string): string {
  if (!path.isAbsolute(root)) throw new PathSafetyError('unsafe-path', `root "${root}" is not an absolute path`);
  if (typeof rel !== 'string' || rel === '') throw new PathSafetyError('unsafe-path', 'empty path');
  if (rel.includes('\0')) throw new PathSafetyError('unsafe-path', `path ${JSON.stringify(rel)} contains a NUL byte`);
  if (rel.startsWith('/')) throw new PathSafetyError('unsafe-path', `path "${rel}" is absolute`);
  for (const seg of rel.split('/')) {
    if (seg === '..') throw new PathSafetyError('unsafe-path', `path "${rel}" contains ".."`);
    if (seg === '' || seg === '.') throw new PathSafetyError('unsafe-path', `path "${rel}" is not normalized`);
  }
  const base = path.resolve(root);
  const abs = base === '/' ? `/${rel}` : `${base}/${rel}`;
  // Belt and braces: the checks above already guarantee this.
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable: a relative path without "..", "." or empty segments always stays below the root
  if (!abs.startsWith(base === '/' ? '/' : `${base}/`)) throw new PathSafetyError('unsafe-path', `path "${rel}" escapes the root`);
  return abs;
}

/** Directories that can never be a root, nor contain one (also checked on the real path). */
export const REFUSED_SYSTEM_DIRS: readonly string[] = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/proc', '/root', '/run', '/sbin', '/sys', '/usr', '/var/lib', '/var/run'];

/** Why `p` (absolute, normalized) may not be a root, or null. Also refuses ancestors of system dirs ("/var" holds "/var/lib"). */
export function systemRefusal(p: string): string | null {
  if (p === '/') return 'is the filesystem root';
  if (p === '/home') return 'is the home-directory root /home';
  for (const s of REFUSED_SYSTEM_DIRS) {
    if (p === s || p.startsWith(`${s}/`)) return `is a system directory (${s})`;
  }
  for (const s of REFUSED_SYSTEM_DIRS) {
    if (s.startsWith(`${p}/`)) return `contains the system directory ${s}`;
  }
  return null;
}

export type AllowedRootResult = { ok: true; realPath: string; dev: number; ino: number } | { ok: false; reason: string };

/**
 * Decides whether `candidate` may be configured as a retention root. Refuses (ok:false with a
 * reason naming the path): a relative path, "/", "/home", the system directories above, anything
 * under them or containing them, a path that does not exist or is not a directory, and a path whose
 * realpath is not inside the realpath of one of `allowedBases` (a base itself is allowed unless
 * refused above; bases that do not exist are ignored). System checks run on both the given and the
 * real path, so a symlink cannot smuggle /etc in. On success returns the realpath, which is what
 * must be stored and scanned: the symlinks along the configured path are resolved once, here.
 */
export function checkAllowedRoot(candidate: string, allowedBases: string[]): AllowedRootResult {
  if (typeof candidate !== 'string' || candidate.trim() === '') return { ok: false, reason: 'root path is empty' };
  if (candidate.includes('\0')) return { ok: false, reason: 'root path contains a NUL byte' };
  if (!path.isAbsolute(candidate)) return { ok: false, reason: `"${candidate}" is not an absolute path` };
  const given = path.resolve(candidate);
  const lexical = systemRefusal(given);
  if (lexical) return { ok: false, reason: `"${given}" ${lexical}` };
  let realPath: string;
  try {
    if (!fs.statSync(given).isDirectory()) return { ok: false, reason: `"${given}" is not a directory` };
    realPath = fs.realpathSync.native(given);
  } catch (err) {
    return { ok: false, reason: `"${given}" ${fsErrorMessage(err)}` };
  }
  const real = systemRefusal(realPath);
  if (real) return { ok: false, reason: `"${given}" resolves to "${realPath}", which ${real}` };
  const bases: string[] = [];
  for (const b of allowedBases) {
    if (!path.isAbsolute(b)) continue;
    try {
      bases.push(fs.realpathSync.native(path.resolve(b)));
    } catch {
      // A missing base allows nothing.
    }
  }
  if (bases.length === 0) return { ok: false, reason: `no allowed base directory exists (configured: ${allowedBases.join(', ') || 'none'})` };
  // Stryker disable next-line StringLiteral: for base "/", '' instead of '/' is equivalent: every real path starts with both
  const inside = bases.some((b) => realPath === b || realPath.startsWith(b === '/' ? '/' : `${b}/`));
  if (!inside) {
    const shown = realPath === given ? `"${given}"` : `"${given}" (real path "${realPath}")`;
    return { ok: false, reason: `${shown} is not inside an allowed base (${bases.join(', ')})` };
  }
  // The directory's identity, to be stored with the root: later runs refuse a path that leads elsewhere.
  let st: fs.Stats;
  try {
    st = fs.lstatSync(realPath);
    // Mutation note: the catch below is not covered (its BlockStatement mutant shows as "no coverage"): it is reached only if
    // the directory is removed between the realpath above and this lstat, a race no test can time.
  } catch (err) {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral,StringLiteral: as above, unreachable without that race
    return { ok: false, reason: `"${given}" ${fsErrorMessage(err)}` };
  }
  return { ok: true, realPath, dev: st.dev, ino: st.ino };
}
