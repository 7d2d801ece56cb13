/**
 * Artifact globs (`reports/nightly_*.json`): the newest match is the file judged.
 *
 * Deliberately small, and never a RegExp built from the pattern: the pattern comes from a
 * config file or a form. Supported, within ONE path segment: `*` (any run of characters), `?`
 * (one character), `[abc]`, `[a-z]`, `[!x]` / `[^x]` (a class; `]` first in it is literal; an
 * unclosed `[` is a literal "["). No escapes, no `**`, no braces. Case-sensitive, as on Linux.
 * As in a shell, a leading "." in a name is matched only by a literal "." (so `*.json` does not
 * pick `.hidden.json`), "." and ".." never match, and nothing matches across "/".
 * Globs are allowed in the last segment only: the directory part is literal, so resolving a
 * pattern is one directory listing and can never walk the tree.
 */

type Token = { kind: 'star' } | { kind: 'char'; ch: string } | { kind: 'any' } | { kind: 'class'; negated: boolean; items: [string, string][] };

export const MAX_GLOB_SEGMENT_CHARS = 255;

export function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Parses a class starting after `[` at i; null when it is not closed (then "[" is literal). */
function parseClass(cps: string[], i: number): { token: Token; next: number } | null {
  let j = i;
  let negated = false;
  if (cps[j] === '!' || cps[j] === '^') {
    negated = true;
    j++;
  }
  const items: [string, string][] = [];
  let first = true;
  while (j < cps.length && (cps[j] !== ']' || first)) {
    const c = cps[j]!;
    if (cps[j + 1] === '-' && cps[j + 2] !== undefined && cps[j + 2] !== ']') {
      items.push([c, cps[j + 2]!]);
      j += 3;
    } else {
      items.push([c, c]);
      j++;
    }
    first = false;
  }
  if (j >= cps.length) return null;
  return { token: { kind: 'class', negated, items }, next: j + 1 };
}

function tokenize(segment: string): Token[] {
  const cps = Array.from(segment);
  const out: Token[] = [];
  for (let i = 0; i < cps.length; ) {
    const c = cps[i]!;
    const cls = c === '[' ? parseClass(cps, i + 1) : null;
    if (c === '*') {
      // `**` is the same as `*` within one segment; collapsing keeps matching linear.
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      out.push({ kind: 'any' });
      i++;
    } else if (cls) {
      out.push(cls.token);
      i = cls.next;
    } else {
      out.push({ kind: 'char', ch: c });
      i++;
    }
  }
  return out;
}

function accepts(t: Token, c: string): boolean {
  if (t.kind === 'char') return t.ch === c;
  if (t.kind === 'any') return true;
  if (t.kind === 'class') {
    const cp = c.codePointAt(0)!;
    const hit = t.items.some(([lo, hi]) => cp >= lo.codePointAt(0)! && cp <= hi.codePointAt(0)!);
    return hit !== t.negated;
  }
  return false;
}

/**
 * A matcher for one path segment. Throws Error for an empty pattern, one containing "/" or NUL,
 * or one longer than 255 characters. Matching is the classic greedy wildcard walk that only
 * ever backtracks to the last `*`: at most (name length × pattern length) steps, never
 * exponential (`*a*a*a*a*a*b` against 100 000 "a"s is a few million steps).
 */
export function compileSegmentGlob(segment: string): (name: string) => boolean {
  if (segment === '') throw new Error('the glob is empty');
  if (segment.includes('/')) throw new Error('a glob segment cannot contain "/"');
  if (segment.includes('\u0000')) throw new Error('a glob cannot contain NUL');
  if (segment.length > MAX_GLOB_SEGMENT_CHARS) throw new Error(`a glob segment is at most ${MAX_GLOB_SEGMENT_CHARS} characters`);
  const toks = tokenize(segment);
  const leadingDot = toks[0]?.kind === 'char' && toks[0].ch === '.';
  return (name: string) => {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\u0000')) return false;
    if (name.startsWith('.') && !leadingDot) return false;
    const cs = Array.from(name);
    let p = 0;
    let n = 0;
    let starP = -1;
    let starN = 0;
    while (n < cs.length) {
      const t = toks[p];
      if (t?.kind === 'star') {
        starP = p++;
        starN = n;
      } else if (t && accepts(t, cs[n]!)) {
        p++;
        n++;
      } else if (starP >= 0) {
        p = starP + 1;
        n = ++starN;
      } else return false;
    }
    while (toks[p]?.kind === 'star') p++;
    return p === toks.length;
  };
}

export interface ArtifactPattern {
  /** The literal directory part: "." when none, "/" for the root. */
  dir: string;
  /** The last segment: a file name, or a glob when `glob` is true. */
  name: string;
  glob: boolean;
}

/**
 * Splits an artifact path on its last "/": `reports/nightly_*.json` → dir `reports`, name
 * `nightly_*.json`, glob true. Errors: empty, NUL, a trailing "/", a last segment "." or "..",
 * or a glob character in the directory part. ".." inside the directory is left to the caller,
 * which must check that the resolved path stays under its allowed base.
 */
export function splitArtifactPattern(p: string): ArtifactPattern | { error: string } {
  if (p === '') return { error: 'the artifact path is empty' };
  if (p.includes('\u0000')) return { error: 'the artifact path contains a NUL character' };
  if (p.endsWith('/')) return { error: 'the artifact path ends with "/": name a file or a glob of files' };
  const i = p.lastIndexOf('/');
  const dir = i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
  const name = p.slice(i + 1);
  if (name === '.' || name === '..') return { error: 'the artifact path must end in a file name, not "." or ".."' };
  if (isGlob(dir)) return { error: 'a glob is allowed only in the file name (the last path segment), e.g. reports/nightly_*.json' };
  const glob = isGlob(name);
  if (glob) {
    try {
      compileSegmentGlob(name);
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
  return { dir, name, glob };
}

export interface DirEntry {
  name: string;
  mtimeMs: number;
  isFile: boolean;
}

/**
 * The newest regular file whose name matches, or null. Ties on mtime go to the greatest name
 * (code-unit order), so dated names like nightly_2026-12-02.json win over older ones and the
 * answer never depends on directory order. Entries with a non-finite mtime are skipped.
 */
export function newestMatch<E extends DirEntry>(entries: readonly E[], matcher: (name: string) => boolean): E | null {
  let best: E | null = null;
  for (const e of entries) {
    if (!e.isFile || !Number.isFinite(e.mtimeMs) || !matcher(e.name)) continue;
    if (!best || e.mtimeMs > best.mtimeMs || (e.mtimeMs === best.mtimeMs && e.name > best.name)) best = e;
  }
  return best;
}
