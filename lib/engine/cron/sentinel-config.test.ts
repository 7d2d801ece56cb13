import { describe, expect, it } from 'vitest';
import { formatSentinelConfigError, parseSentinelConfig, type SentinelConfigResult } from './sentinel-config';

/** Wall time of `fn` in ms: the test times a hostile input; engine code never reads the clock. */
function elapsed(fn: () => void): number {
  // eslint-disable-next-line no-restricted-syntax -- the test times a hostile input; engine code never reads the clock
  const t = performance.now();
  fn();
  // eslint-disable-next-line no-restricted-syntax -- as above
  return performance.now() - t;
}

const SEED_JSON = `{
  "tasks": [
    {
      "name": "nightly_tests",
      "artifact": "artifacts/reports/nightly_results.json",
      "max_age": "36h"
    }
  ]
}
`;
const SEED_YAML = `# deploy/cron/sentinel.yaml
tasks:
  - name: nightly_tests
    artifact: artifacts/reports/nightly_results.json
    max_age: 36h
`;
const SEED_TASK = { name: 'nightly_tests', artifact: 'artifacts/reports/nightly_results.json', maxAgeSeconds: 36 * 3600 };

function errorsOf(r: SentinelConfigResult) {
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.config)}`);
  return r.errors;
}
const lines = (text: string, file = 'sentinel.yaml') => errorsOf(parseSentinelConfig(text, file)).map(formatSentinelConfigError);
const yamlTask = (body: string) => `tasks:\n  - name: a\n    artifact: x.json\n${body}`;

describe('parseSentinelConfig: the seed format', () => {
  it('reads the seed JSON', () => {
    expect(parseSentinelConfig(SEED_JSON, 'sentinel.json')).toEqual({ ok: true, config: { tasks: [SEED_TASK] } });
  });
  it('reads the same config as YAML', () => {
    expect(parseSentinelConfig(SEED_YAML, 'sentinel.yaml')).toEqual({ ok: true, config: { tasks: [SEED_TASK] } });
  });
  it('reads JSON indented with tabs, a BOM, CRLF line ends and flow YAML', () => {
    expect(parseSentinelConfig('\uFEFF{\r\n\t"tasks": [\r\n\t\t{"name": "a", "artifact": "x", "max_age": "1d"}\r\n\t]\r\n}\r\n', 'c.json').ok).toBe(true);
    expect(parseSentinelConfig('tasks: [{name: a, artifact: x, max_age: 90m}]', 'c.yaml')).toEqual({ ok: true, config: { tasks: [{ name: 'a', artifact: 'x', maxAgeSeconds: 5400 }] } });
  });
  it.each([
    ['36h', 129_600], ['90m', 5400], ['1d 12h', 129_600], ['1s', 1], ['3650d', 3650 * 86_400], ['"3600"', 3600], ['3600', 3600], ['1.5h', 5400], ['1e3', 1000],
  ] as const)('max_age %s → %d s (a bare number means seconds)', (v, s) => {
    const r = parseSentinelConfig(yamlTask(`    max_age: ${v}\n`), 'c.yaml');
    expect(r).toEqual({ ok: true, config: { tasks: [{ name: 'a', artifact: 'x.json', maxAgeSeconds: s }] } });
  });
  it('a JSON number is seconds too', () => {
    expect(parseSentinelConfig('{"tasks":[{"name":"a","artifact":"x","max_age":86400}]}', 'c.json')).toMatchObject({ ok: true, config: { tasks: [{ maxAgeSeconds: 86_400 }] } });
  });
  it('trims names and keeps artifacts as written; allows aliases for shared values', () => {
    const r = parseSentinelConfig('defaults: &d 36h\ntasks: []\n', 'c.yaml');
    expect(r.ok).toBe(false); // "defaults" is not a key; aliases are tested below with a valid file
    const ok = parseSentinelConfig('tasks:\n  - {name: " a ", artifact: " x.json", max_age: &d 36h}\n  - {name: b, artifact: y, max_age: *d}\n', 'c.yaml');
    expect(ok).toEqual({ ok: true, config: { tasks: [{ name: 'a', artifact: ' x.json', maxAgeSeconds: 129_600 }, { name: 'b', artifact: 'y', maxAgeSeconds: 129_600 }] } });
  });
  it('accepts a glob in the file name', () => {
    expect(parseSentinelConfig('tasks: [{name: a, artifact: "reports/nightly_*.json", max_age: 36h}]', 'c.yaml').ok).toBe(true);
  });
});

describe('parseSentinelConfig: errors name the file, line, column and field', () => {
  it('a bad max_age', () => {
    expect(lines('tasks:\n  - name: a\n    artifact: x\n    max_age: 36x\n')).toEqual([
      'sentinel.yaml line 4, column 14: tasks[0].max_age: "36x" is not a duration (use 30m, 36h, 7d or seconds)',
    ]);
  });
  it('several problems at once, in several tasks', () => {
    const text = `tasks:
  - name: a
    artifact: x
    max_age: 0
  - name: a
    artifact: ""
    max_age: 6M
  - artifact: y
    maxage: 1h
`;
    expect(lines(text)).toEqual([
      'sentinel.yaml line 4, column 14: tasks[0].max_age: must be greater than 0',
      'sentinel.yaml line 6, column 15: tasks[1].artifact: is empty',
      'sentinel.yaml line 7, column 14: tasks[1].max_age: "6M" is ambiguous (minutes or months?); write 30m for minutes or 180d for months',
      'sentinel.yaml line 9, column 5: tasks[2].maxage: unknown key "maxage" (did you mean "max_age"?); expected name, artifact, max_age',
      'sentinel.yaml line 8, column 5: tasks[2].name: is missing',
      'sentinel.yaml line 8, column 5: tasks[2].max_age: is missing',
    ]);
  });
  it('duplicate names', () => {
    expect(lines('tasks:\n  - {name: a, artifact: x, max_age: 1h}\n  - {name: " a", artifact: y, max_age: 1h}\n')).toEqual([
      'sentinel.yaml line 3, column 5: tasks[1].name: "a" is already the name of tasks[0]; names must be unique',
    ]);
  });
  it.each([
    ['max_age: 1500ms', 'tasks[0].max_age: "1500ms" is not a whole number of seconds'],
    ['max_age: 3651d', 'tasks[0].max_age: must be at most 3650d'],
    ['max_age: -1h', 'tasks[0].max_age: "-1h" is not a duration (use 30m, 36h, 7d or seconds)'],
    ['max_age: true', 'tasks[0].max_age: must be a duration like "36h" or a number of seconds (got true)'],
    ['max_age:', 'tasks[0].max_age: must be a duration like "36h" or a number of seconds (got nothing)'],
    ['max_age: .inf', 'tasks[0].max_age: Infinity is not a duration (use 30m, 36h, 7d or seconds); it must be a number of seconds >= 0'],
    ['max_age: [1h]', 'tasks[0].max_age: must be a duration like "36h" or a number of seconds'],
  ])('%s', (line, msg) => {
    expect(lines(yamlTask(`    ${line}\n`))[0]).toContain(msg);
  });
  it.each([
    ['tasks[0].name: must be a string (quote it: "123")', 'name: 123'],
    ['tasks[0].name: is empty', 'name: ""'],
    ['tasks[0].name: is empty', 'name:'],
    ['tasks[0].name: contains control characters', 'name: "a\\u001b[31mred"'],
    ['tasks[0].name: is longer than 200 characters', `name: ${'n'.repeat(201)}`],
    ['tasks[0].name: must be a string', 'name: {a: 1}'],
  ])('%s', (msg, line) => {
    expect(lines(`tasks:\n  - ${line}\n    artifact: x\n    max_age: 1h\n`)[0]).toContain(msg);
  });
  it.each([
    ['tasks[0].artifact: contains a NUL character', 'artifact: "a\\u0000b"'],
    ['tasks[0].artifact: contains control characters (a line break?)', 'artifact: "a\\nb"'],
    ['tasks[0].artifact: is longer than 4096 characters', `artifact: ${'a'.repeat(4097)}`],
    ['tasks[0].artifact: a glob is allowed only in the file name', 'artifact: reports/*/x.json'],
    ['tasks[0].artifact: the artifact path ends with "/"', 'artifact: reports/'],
    ['tasks[0].artifact: must be a string', 'artifact: 5'],
  ])('%s', (msg, line) => {
    expect(lines(`tasks:\n  - name: a\n    ${line}\n    max_age: 1h\n`)[0]).toContain(msg);
  });
  it('an artifact of exactly 4096 characters is fine', () => {
    expect(parseSentinelConfig(`tasks:\n  - name: a\n    artifact: ${'a'.repeat(4096)}\n    max_age: 1h\n`, 'c.yaml').ok).toBe(true);
  });
  it('the shape of the document', () => {
    expect(lines('')).toEqual(['sentinel.yaml line 1, column 1: the file is empty; expected {"tasks": [{"name": …, "artifact": …, "max_age": "36h"}]}']);
    expect(lines('# only a comment\n')[0]).toContain('the file is empty');
    expect(lines('[1, 2]')[0]).toContain('the top level must be a mapping');
    expect(lines('{}')).toEqual(['sentinel.yaml line 1, column 1: tasks: is missing; expected {"tasks": [{"name": …, "artifact": …, "max_age": "36h"}]}']);
    expect(lines('tasks:\n')).toEqual(['sentinel.yaml line 1, column 1: tasks: is empty; list at least one task']);
    expect(lines('tasks: []')).toEqual(['sentinel.yaml line 1, column 8: tasks: is empty; list at least one task']);
    expect(lines('tasks: {a: 1}')[0]).toContain('tasks: must be a list of tasks');
    expect(lines('tasks: [5]')[0]).toBe('sentinel.yaml line 1, column 9: tasks[0]: must be a mapping with name, artifact and max_age');
    expect(lines('task: []\n')).toEqual(['sentinel.yaml line 1, column 1: task: unknown key "task" (did you mean "tasks"?); expected tasks', 'sentinel.yaml line 1, column 1: tasks: is missing; expected {"tasks": [{"name": …, "artifact": …, "max_age": "36h"}]}']);
  });
  it('at most 1000 tasks', () => {
    const many = (n: number) => `tasks:\n${Array.from({ length: n }, (_, i) => `  - {name: t${i}, artifact: x, max_age: 1h}\n`).join('')}`;
    expect(parseSentinelConfig(many(1000), 'c.yaml').ok).toBe(true);
    expect(lines(many(1001))).toEqual(['sentinel.yaml line 2, column 3: tasks: has 1001 tasks; at most 1000 are allowed']);
  });
  it('formats errors without a position', () => {
    expect(formatSentinelConfigError({ file: 'c.yaml', line: null, column: null, field: '', message: 'm' })).toBe('c.yaml: m');
    expect(formatSentinelConfigError({ file: 'c.yaml', line: 3, column: null, field: 'tasks', message: 'm' })).toBe('c.yaml line 3: tasks: m');
  });
});

describe('parseSentinelConfig: hostile input', () => {
  it('duplicate keys, in YAML and in JSON', () => {
    expect(lines('tasks:\n  - name: a\n    name: b\n    artifact: x\n    max_age: 1h\n')).toEqual(['sentinel.yaml line 3, column 5: duplicate key "name"']);
    expect(lines('{"tasks": [], "tasks": []}', 'c.json')).toEqual(['c.json line 1, column 15: duplicate key "tasks"']);
    expect(lines("{'a b': 1, 'a b': 2}")[0]).toContain('duplicate key "a b"');
  });
  it('tags such as !!js/function and custom tags', () => {
    const e = lines('tasks:\n  - name: !!js/function "function () { return 1 }"\n    artifact: !foo x\n    max_age: 1h\n');
    expect(e).toEqual([
      'sentinel.yaml line 2, column 11: Unresolved tag: tag:yaml.org,2002:js/function: only plain YAML is read (no !!js/function, !!binary or custom tags)',
      'sentinel.yaml line 3, column 15: Unresolved tag: !foo: only plain YAML is read (no !!js/function, !!binary or custom tags)',
    ]);
    expect(lines('tasks: !!binary aGVsbG8=\n')).toEqual(['sentinel.yaml line 1, column 17: tag "!!binary" is not allowed: only plain YAML is read (no !!js/function, !!binary or custom tags)']);
    expect(lines('tasks: !!set {a}\n')[0]).toContain('tag "!!set" is not allowed');
    // Tags that mean what the plain value would are fine.
    expect(parseSentinelConfig('tasks: !!seq [!!map {name: !!str 1, artifact: x, max_age: !!int 60}]', 'c.yaml')).toEqual({ ok: true, config: { tasks: [{ name: '1', artifact: 'x', maxAgeSeconds: 60 }] } });
  });
  it('a billion-laughs alias bomb is refused without expanding it', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    const L = 'abcdefghi';
    for (let i = 1; i < 9; i++) bomb += `${L[i]}: &${L[i]} [${Array(9).fill(`*${L[i - 1]}`).join(',')}]\n`;
    bomb += 'tasks: *i\n';
    expect(elapsed(() => expect(lines(bomb)).toEqual(['sentinel.yaml: its aliases expand too much (a "billion laughs" document)']))).toBeLessThan(2000);
  });
  it('more than 100 aliases', () => {
    const text = `x: &x 1\ntasks: [${Array.from({ length: 101 }, () => '*x').join(', ')}]\n`;
    expect(lines(text)).toEqual(['sentinel.yaml: uses more than 100 aliases']);
  });
  it('an unknown alias is a YAML error', () => {
    expect(lines(yamlTask('    max_age: *nope\n'))).toEqual(['sentinel.yaml line 4, column 14: alias *nope has no anchor &nope before it']);
    expect(lines('tasks: [*later]\nx: &later 1\n')[0]).toContain('alias *later has no anchor');
  });
  it('deep nesting is refused before the composer recurses (flow, flow maps and compact block sequences)', () => {
    const bombs = ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), `tasks:\n  - ${'- '.repeat(100_000)}x\n`];
    const ms = elapsed(() => {
      for (const text of bombs) expect(lines(text)).toEqual(['sentinel.yaml: nested more than 64 levels deep']);
    });
    // Linear work: ~1 s here when idle. The bound only catches a quadratic (or recursing) scan,
    // loose enough for a machine loaded many times over (it took 10.4 s at load average 11).
    expect(ms).toBeLessThan(60_000);
    // 64 levels are fine as far as nesting goes (then "defaults" is an unknown key).
    expect(lines(`defaults: ${'['.repeat(63)}${']'.repeat(63)}\ntasks: [{name: a, artifact: x, max_age: 1h}]\n`)[0]).toContain('unknown key "defaults"');
  }, 120_000);
  it('a file over 1 MB is refused before parsing; exactly 1 MB is parsed', () => {
    const pad = (n: number) => `${SEED_YAML}#${'x'.repeat(n - SEED_YAML.length - 1)}`;
    expect(lines(pad(1024 * 1024 + 1))).toEqual(['sentinel.yaml: the file is larger than 1 MB']);
    expect(parseSentinelConfig(pad(1024 * 1024), 'c.yaml').ok).toBe(true);
    // Bytes, not characters: 400k three-byte characters are 1.2 MB.
    expect(lines(`${SEED_YAML}#${'€'.repeat(400_000)}`)).toEqual(['sentinel.yaml: the file is larger than 1 MB']);
  });
  it('YAML syntax errors carry their position', () => {
    const e = errorsOf(parseSentinelConfig('tasks:\n  - name: a\n   artifact: [\n', 'c.yaml'));
    expect(e.length).toBeGreaterThan(0);
    expect(e[0]!.line).toBeGreaterThanOrEqual(2);
    expect(e[0]!.field).toBe('');
  });
  it('two documents are refused', () => {
    expect(lines(`${SEED_YAML}---\n${SEED_YAML}`)[0]).toContain('multiple documents');
  });
  it('merge keys are not special (YAML 1.2): "<<" is an unknown key', () => {
    expect(lines('base: &b {artifact: x, max_age: 1h}\ntasks:\n  - <<: *b\n    name: a\n').some((l) => l.includes('unknown key "<<"'))).toBe(true);
  });
  it('caps the number of errors at 100', () => {
    const text = `tasks:\n${Array.from({ length: 500 }, (_, i) => `  - {name: t${i}, artifact: x, max_age: nope}\n`).join('')}`;
    expect(errorsOf(parseSentinelConfig(text, 'c.yaml'))).toHaveLength(100);
  });
  it('a very long unknown key is shortened in the message', () => {
    const e = lines(`tasks:\n  - {name: a, artifact: x, max_age: 1h, ${'k'.repeat(5000)}: 1}\n`)[0]!;
    expect(e.length).toBeLessThan(300);
  });
});
