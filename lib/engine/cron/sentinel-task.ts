/**
 * One task of the sentinel config, validated field by field with the node's position, so every
 * message names its place: `tasks[2].max_age: "36x" is not a duration (…)`. Helpers shared
 * with sentinel-config.ts.
 */
import { isAlias, isMap, isScalar, type Document, type Node } from 'yaml';
import { parseDuration, UnitParseError } from '@/lib/engine/units';
import { splitArtifactPattern } from './glob';
import type { SentinelTask } from './types';

export const TASK_KEYS = ['name', 'artifact', 'max_age'] as const;
export const TASK_LIMITS = { maxNameChars: 200, maxArtifactChars: 4096, maxAgeSeconds: 3650 * 86_400 } as const;
// eslint-disable-next-line no-control-regex -- refusing control characters in names is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export type Add = (field: string, message: string, offset?: number | null) => void;
export const at = (n: Node | null | undefined): number | null => n?.range?.[0] ?? null;

/** The node an alias points at (the library finds the anchor), or the node itself. */
export function resolve(doc: Document, n: unknown): Node | null {
  if (isAlias(n)) return (n.resolve(doc) as Node | undefined) ?? null;
  return (n as Node | null) ?? null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** `unknown key "maxage" (did you mean "max_age"?); expected name, artifact, max_age`. */
export function unknownKey(key: string, known: readonly string[]): string {
  const shown = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
  const close = key.length <= 40 ? known.find((k) => editDistance(key.toLowerCase().replace(/-/g, '_'), k) <= 2) : undefined;
  return `unknown key ${shown}${close ? ` (did you mean "${close}"?)` : ''}; expected ${known.join(', ')}`;
}

type Check<T> = { value: T } | { error: string };

function checkName(v: unknown): Check<string> {
  if (v === null) return { error: 'is empty' };
  if (typeof v !== 'string') return { error: `must be a string (quote it: "${String(v)}")` };
  const name = v.trim();
  if (name === '') return { error: 'is empty' };
  if (name.length > TASK_LIMITS.maxNameChars) return { error: `is longer than ${TASK_LIMITS.maxNameChars} characters` };
  if (CONTROL.test(name)) return { error: 'contains control characters' };
  return { value: name };
}

function checkArtifact(v: unknown): Check<string> {
  if (v === null) return { error: 'is empty' };
  if (typeof v !== 'string') return { error: 'must be a string (a path, or a glob like reports/nightly_*.json)' };
  if (v.trim() === '') return { error: 'is empty' };
  if (v.includes('\u0000')) return { error: 'contains a NUL character' };
  if (CONTROL.test(v)) return { error: 'contains control characters (a line break?)' };
  if (v.length > TASK_LIMITS.maxArtifactChars) return { error: `is longer than ${TASK_LIMITS.maxArtifactChars} characters` };
  const split = splitArtifactPattern(v);
  return 'error' in split ? split : { value: v };
}

/** A number is seconds (parseDuration's rule); the result is whole seconds in 1 s .. 3650 d. */
function checkMaxAge(v: unknown, field: string): Check<number> {
  if (typeof v !== 'string' && typeof v !== 'number') return { error: `must be a duration like "36h" or a number of seconds (got ${v === null ? 'nothing' : String(v)})` };
  let ms: number;
  try {
    ms = parseDuration(v, field);
  } catch (e) {
    if (e instanceof UnitParseError) return { error: e.detail };
    throw e;
  }
  if (ms <= 0) return { error: 'must be greater than 0' };
  if (ms % 1000 !== 0) return { error: `${JSON.stringify(v)} is not a whole number of seconds` };
  if (ms / 1000 > TASK_LIMITS.maxAgeSeconds) return { error: 'must be at most 3650d' };
  return { value: ms / 1000 };
}

/**
 * One task: a mapping with exactly name, artifact and max_age. Reports every problem through
 * `add` (unknown keys with a "did you mean"), and returns the task only when all are fine.
 */
export function readTask(doc: Document, node: Node | null, path: string, add: Add, fallback: number | null): SentinelTask | null {
  if (!isMap(node)) {
    add(path, 'must be a mapping with name, artifact and max_age', at(node) ?? fallback);
    return null;
  }
  const values = new Map<string, { node: Node | null; keyAt: number | null }>();
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string') add(path, 'keys must be plain strings', at(pair.key as Node));
    else if ((TASK_KEYS as readonly string[]).includes(key)) values.set(key, { node: resolve(doc, pair.value), keyAt: at(pair.key as Node) });
    else add(`${path}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`, unknownKey(key, TASK_KEYS), at(pair.key as Node));
  }
  const read = <T>(key: (typeof TASK_KEYS)[number], check: (v: unknown) => Check<T>): T | undefined => {
    const v = values.get(key);
    if (!v) return void add(`${path}.${key}`, 'is missing', at(node));
    const offset = at(v.node) ?? v.keyAt;
    if (v.node !== null && !isScalar(v.node)) return void add(`${path}.${key}`, key === 'max_age' ? 'must be a duration like "36h" or a number of seconds' : 'must be a string', offset);
    const r = check(v.node ? v.node.value : null);
    if ('error' in r) return void add(`${path}.${key}`, r.error, offset);
    return r.value;
  };
  const name = read('name', checkName);
  const artifact = read('artifact', checkArtifact);
  const maxAgeSeconds = read('max_age', (v) => checkMaxAge(v, `${path}.max_age`));
  return name !== undefined && artifact !== undefined && maxAgeSeconds !== undefined ? { name, artifact, maxAgeSeconds } : null;
}
