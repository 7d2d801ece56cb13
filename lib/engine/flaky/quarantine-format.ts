/**
 * The quarantine list in the forms test runners take (`GET …/quarantine?format=`). Pure.
 *
 * - `json`: every field, for scripts.
 * - `text`: one test per line, `classname › name` (or just the name), for people and grep.
 * - `pytest`: one node id per line (`path/test_mod.py::TestClass::test_x[param]`), the file
 *   `pytest --deselect` lines or `--deselect-from` plugins read. The file comes from the test's
 *   `file` attribute, else from the dotted classname (`tests.test_mod.TestClass` →
 *   `tests/test_mod.py::TestClass`, the module being the last lowercase-initial part).
 * - `jest`: one regular expression matching the full names exactly, for `--testNamePattern`
 *   (jest) or `--grep-invert` (Playwright).
 * - `go`: `go test -skip` patterns: the top-level tests as one `^(?:A|B)$` on the first line; each
 *   subtest (`TestA/case`) on a line of its own as `^TestA$/^case$`, since one -skip pattern
 *   cannot name subtests of different parents without skipping their siblings.
 */
export const QUARANTINE_FORMATS = ['json', 'text', 'pytest', 'jest', 'go'] as const;
export type QuarantineFormat = (typeof QUARANTINE_FORMATS)[number];

export interface QuarantinedTest {
  id: string;
  /** The identity key (lib/engine/flaky/types.ts), what `quarantine check` matches results by. */
  key: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  since: string | null;
  reason: string | null;
  by: string | null;
  expires: string | null;
  ticket: { id: string; status: string; owner: string | null } | null;
}

/** Escapes every regular-expression metacharacter. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `classname › name`, or the name alone when there is no classname. */
export function displayName(t: Pick<QuarantinedTest, 'classname' | 'name'>): string {
  return t.classname ? `${t.classname} › ${t.name}` : t.name;
}

/** The pytest node id of a test (see the module comment for how the file is found). */
export function pytestNodeId(t: Pick<QuarantinedTest, 'classname' | 'name' | 'file'>): string {
  const parts = t.classname ? t.classname.split('.') : [];
  if (t.file) {
    const module = t.file.replace(/\.py$/, '').split('/');
    // Drop the module's dotted prefix from the classname; what is left are the classes.
    let i = 0;
    while (i < parts.length && i < module.length && parts[i] === module[i]) i++;
    const classes = i === module.length ? parts.slice(i) : parts.filter((p) => /^[A-Z]/.test(p));
    return [t.file, ...classes, t.name].join('::');
  }
  let split = parts.length;
  while (split > 0 && /^[A-Z]/.test(parts[split - 1]!)) split--;
  const mod = parts.slice(0, split);
  if (!mod.length) return [...parts, t.name].join('::');
  return [`${mod.join('/')}.py`, ...parts.slice(split), t.name].join('::');
}

function goPatterns(tests: QuarantinedTest[]): string[] {
  const top = new Set<string>();
  const sub: string[] = [];
  for (const t of tests) {
    if (t.name.includes('/')) sub.push(t.name.split('/').map((p) => `^${escapeRegExp(p)}$`).join('/'));
    else top.add(escapeRegExp(t.name));
  }
  const lines = top.size ? [`^(?:${[...top].sort().join('|')})$`] : [];
  return [...lines, ...[...new Set(sub)].sort()];
}

/**
 * The list in one format. Output ends with a newline unless empty; `jest` and the first `go` line
 * are empty strings (no pattern) when nothing is quarantined, so a runner is never told to skip all.
 */
export function formatQuarantine(tests: QuarantinedTest[], format: QuarantineFormat): string {
  const lines = (xs: string[]) => (xs.length ? `${xs.join('\n')}\n` : '');
  switch (format) {
    case 'json':
      return `${JSON.stringify({ tests }, null, 2)}\n`;
    case 'text':
      return lines(tests.map(displayName));
    case 'pytest':
      return lines([...new Set(tests.map(pytestNodeId))].sort());
    case 'jest': {
      const names = [...new Set(tests.map((t) => escapeRegExp(t.name)))].sort();
      return names.length ? `^(?:${names.join('|')})$\n` : '';
    }
    case 'go':
      return lines(goPatterns(tests));
  }
}
