/**
 * CODEOWNERS (GitHub / GitLab syntax) → the owners of a test. Pure.
 *
 * Lines are `<pattern> <owner>…`; `#` starts a comment; GitLab `[Section]` headers are ignored
 * (their rules still apply); the LAST matching line wins, as on GitHub. Patterns follow
 * gitignore rules: a leading `/` anchors at the repository root, a pattern with no `/` except a
 * trailing one matches at any depth, a trailing `/` means everything under that directory, `*`
 * stops at `/`, `**` crosses it, and `docs/*` does not reach docs/deep/a.md (GitHub's rule). A test is matched by its `file`, else by its classname read as a
 * path (`com.acme.FooTest` → `com/acme/FooTest`).
 */
import picomatch from 'picomatch';

export interface OwnerRule {
  pattern: string;
  owners: string[];
  test: (path: string) => boolean;
}

function compile(pattern: string): (path: string) => boolean {
  let p = pattern;
  const dir = p.endsWith('/');
  if (dir) p = p.slice(0, -1);
  const anchored = p.startsWith('/') || p.slice(0, -1).includes('/');
  p = p.replace(/^\//, '');
  const globs = [anchored ? p : `**/${p}`];
  // A directory (or a name that is one) owns everything below it; GitHub does not recurse from a
  // last segment with a wildcard (`docs/*` owns docs/a.md, not docs/deep/a.md).
  if (dir || !p.split('/').pop()!.includes('*')) globs.push(`${globs[0]}/**`);
  if (dir) globs.shift();
  const m = picomatch(globs, { dot: true });
  return (path) => m(path.replace(/^\.?\//, ''));
}

/** Parses CODEOWNERS text; lines without an owner (which unset ownership on GitHub) keep owners []. */
export function parseCodeowners(text: string): OwnerRule[] {
  const rules: OwnerRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || /^\^?\[[^\]]*\](\[\d+\])?(\s|$)/.test(line)) continue;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern) continue;
    rules.push({ pattern, owners, test: compile(pattern) });
  }
  return rules;
}

/** The path a test is matched by: its file, else its classname as a path. */
export function testPath(t: { file: string | null; classname: string }): string | null {
  if (t.file) return t.file.replace(/\\/g, '/');
  if (!t.classname) return null;
  return t.classname.replace(/\./g, '/');
}

/** Owners of a test: those of the last matching rule, or [] when none matches. */
export function ownersFor(codeowners: string | null | undefined, t: { file: string | null; classname: string }, rules = codeowners ? parseCodeowners(codeowners) : []): string[] {
  const path = testPath(t);
  if (!path) return [];
  let owners: string[] = [];
  for (const r of rules) if (r.test(path)) owners = r.owners;
  return owners;
}
