/**
 * Test identity: the same test gets the same identity in every upload, whatever the shard, host,
 * run id or timestamp (none of those is read), and a renamed test gets a new one.
 *
 * Rules (documented in README "Flaky tests: checking JUnit files"):
 * - every part is normalised: control characters become spaces, runs of whitespace collapse to one
 *   space, ends are trimmed (so `"a\n  b"` and `"a b"` are one test);
 * - `classname` equal to `name` is dropped (jest-junit's default templates write the title into
 *   both); a classname equal to the suite is kept (Vitest, Playwright write the file there);
 * - `file`: `\` → `/`, leading `./` removed; null when the producer gave none. An absolute path
 *   under the upload's checkout root (`root`: the CI workspace, `--root`) is made relative to it:
 *   PHPUnit, jest-junit and others write `/home/runner/work/app/app/tests/a.php`, and the checkout
 *   path differs between runners (a Jenkins workspace `app@2`, a Buildkite agent's build dir), which
 *   would split one test in two. A path outside the root, or any path when no root is given, is
 *   kept as the producer wrote it;
 * - `suite`: the enclosing `<testsuite>` names, outermost first, joined with ` › `; unnamed suites and
 *   a suite whose name is just the test's file are left out (the file is already part of identity);
 * - `key`: `JSON.stringify([suite, classname, name, file ?? ""])`, a deterministic string to store
 *   under a unique index. Parameters stay in the name (`test_x[param]`).
 * A variant (Playwright project) is not part of identity: see `ParsedCase.variant`.
 */
import type { TestIdentity } from '../types';

export const SUITE_SEPARATOR = ' › ';

// Control characters (C0, DEL, C1) and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Trims, turns control characters into spaces and collapses whitespace runs. */
export function normaliseText(s: string): string {
  return s.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** An absolute path: `/…` or a drive letter (`C:/…`, after `\` → `/`). */
const ABSOLUTE = /^(\/|[A-Za-z]:\/)/;
const DRIVE = /^[A-Za-z]:\//;

/**
 * A checkout root as `normaliseFile` compares it: `\` → `/`, trailing slashes removed, a drive
 * letter upper-cased. Null when absent, not absolute, or the file system root (which would make
 * every absolute path relative to nothing).
 */
export function normaliseRoot(root: string | null | undefined): string | null {
  if (root === null || root === undefined) return null;
  let r = normaliseText(root).replace(/\\/g, '/').replace(/\/+$/, '');
  if (DRIVE.test(`${r}/`)) r = r[0]!.toUpperCase() + r.slice(1);
  return ABSOLUTE.test(`${r}/`) && r !== '' && !/^[A-Za-z]:$/.test(r) ? r : null;
}

/**
 * Normalises a source path: `\` → `/`, leading `./` removed, empty → null; an absolute path under
 * `root` (already normalised by `normaliseRoot`) made relative to it.
 */
export function normaliseFile(file: string | null | undefined, root: string | null = null): string | null {
  if (file === null || file === undefined) return null;
  let f = normaliseText(file).replace(/\\/g, '/');
  if (root !== null && ABSOLUTE.test(f)) {
    const drive = DRIVE.test(f) ? f[0]!.toUpperCase() + f.slice(1) : f;
    if (drive.startsWith(`${root}/`)) f = drive.slice(root.length + 1).replace(/^\/+/, '');
  }
  while (f.startsWith('./')) f = f.slice(2);
  return f === '' ? null : f;
}

export interface RawIdentity {
  /** Enclosing suite names, outermost first, as written. */
  suites: readonly string[];
  classname: string | null | undefined;
  name: string;
  file: string | null | undefined;
  /** The upload's checkout root, normalised (`normaliseRoot`); absolute files under it become relative. */
  root?: string | null;
}

/** Builds the normalised identity and its key. Pure and deterministic. */
export function makeIdentity(raw: RawIdentity): TestIdentity {
  const name = normaliseText(raw.name);
  let classname = normaliseText(raw.classname ?? '');
  if (classname === name) classname = '';
  const root = raw.root ?? null;
  const file = normaliseFile(raw.file, root);
  const suite = raw.suites
    .map(normaliseText)
    .filter((s) => s !== '' && (file === null || normaliseFile(s, root) !== file))
    .join(SUITE_SEPARATOR);
  const key = identityKey(suite, classname, name, file);
  // The parts are read back from the key: fresh strings, so a stored identity never pins the
  // (much larger) XML chunk that V8 may have sliced the attribute values from.
  const [s, c, n] = JSON.parse(key) as [string, string, string, string];
  return { suite: s, classname: c, name: n, file: file === null ? null : ownString(file), key };
}

/**
 * A copy of `s` that does not share memory with a larger string. V8 represents `big.slice(a, b)`
 * as a view into `big`; a parser that keeps such views keeps every chunk they came from.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The stored key of an identity: a JSON array, so no separator can be forged by a test name. */
export function identityKey(suite: string, classname: string, name: string, file: string | null): string {
  return JSON.stringify([suite, classname, name, file ?? '']);
}
