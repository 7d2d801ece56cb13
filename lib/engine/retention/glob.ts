/**
 * Glob handling for retention rules. Patterns are picomatch globs relative to the root, matched
 * against POSIX paths with dotfiles included. Each pattern is compiled once into a plain predicate.
 */
import picomatch from 'picomatch';

/**
 * Options every retention glob is compiled with: dotfiles match, POSIX paths on every platform,
 * and the RegExp's `s` flag. Without it picomatch's `.` (inside `*`, `?` and `**`) does not match
 * "\n", "\r", U+2028 or U+2029, all legal in file names: `protect keep/**` then failed to protect
 * `keep/a\nb.txt`. With it matching is total over every string a scan can produce (names that are
 * not valid UTF-8 are never scanned, so never planned).
 */
const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true, windows: false, flags: 's' };

/**
 * Normalizes a user pattern: trims it, drops a leading "./", and turns a trailing "/" into "/**"
 * ("logs/" means everything under logs). Returns the pattern that is compiled.
 */
export function normalizeGlob(pattern: string): string {
  let p = pattern.trim();
  while (p.startsWith('./')) p = p.slice(2);
  if (p.endsWith('/') && p.length > 1) p = `${p.replace(/\/+$/, '')}/**`;
  return p;
}

/**
 * Checks a pattern as written by a user. Returns null when usable, else a message saying why:
 * empty, absolute ("/..."), containing a ".." segment (patterns never leave the root), or not a glob
 * picomatch can compile.
 */
export function checkGlob(pattern: string): string | null {
  const p = normalizeGlob(pattern);
  if (p === '') return 'must be a non-empty glob such as "**/*.log" or "snapshots/**"';
  if (p.startsWith('/')) return `${JSON.stringify(pattern)} is absolute; patterns are relative to the root (drop the leading "/")`;
  if (p.split('/').includes('..')) return `${JSON.stringify(pattern)} contains "..": patterns cannot leave the root`;
  try {
    picomatch.makeRe(p, GLOB_OPTIONS);
  } catch (err) {
    return `${JSON.stringify(pattern)} is not a valid glob: ${err instanceof Error ? err.message : String(err)}`;
  }
  return null;
}

/** True when picomatch sees no glob syntax in the pattern (and it has no escapes). */
function isLiteral(p: string): boolean {
  return !p.includes('\\') && !picomatch.scan(p, GLOB_OPTIONS).isGlob;
}

/**
 * Compiles a pattern into a predicate over root-relative POSIX paths.
 * - "**" matches every path (fast path, no regex).
 * - A literal pattern without glob syntax ("logs", "rotation/ROTATION_LOG.jsonl") matches that
 *   path itself and everything under it, so a bare directory name means "logs/**".
 * - Anything else is compiled once by picomatch with { dot: true } and tested with its RegExp.
 */
export function compileGlob(pattern: string): (path: string) => boolean {
  const p = normalizeGlob(pattern);
  // Stryker disable next-line ConditionalExpression,StringLiteral: a fast path; picomatch's "**" with { dot: true } matches every path too
  if (p === '**') return () => true;
  if (isLiteral(p)) {
    const prefix = `${p}/`;
    return (path) => path === p || path.startsWith(prefix);
  }
  const re = picomatch.makeRe(p, GLOB_OPTIONS);
  return (path) => re.test(path);
}
