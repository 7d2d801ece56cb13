/**
 * The sentinel's config: the seed's `{"tasks": [{"name", "artifact", "max_age": "36h"}]}`, in
 * JSON or YAML. Both go through the `yaml` package (YAML 1.2 core schema, of which JSON is a
 * subset), so one parser, one set of limits and one error format serve both:
 * `sentinel.yaml line 7, column 5: tasks[2].max_age: "36x" is not a duration (…)`.
 *
 * Strict on purpose: a typo must not silently pass, so unknown keys, duplicate keys, unknown
 * tags (`!!js/function`, `!foo`) and every YAML warning are errors, and all errors are reported
 * at once (up to 100). Hostile input is bounded before the composer sees it: 1 MiB per file,
 * nesting 64 deep (checked on the CST without recursion; the composer recurses, and a stack
 * overflow near V8's regexp compiler can abort the whole process), at most 100 aliases, alias
 * expansion capped by the library's maxAliasCount, and at most 1000 tasks.
 *
 * `max_age` goes through parseDuration: `36h`, `90m`, `1d 12h`, or a number, which means
 * seconds (`3600` is 1h), as everywhere in Steward. It must be whole seconds, > 0, <= 3650d.
 */
import { isMap, isScalar, isSeq, LineCounter, Parser, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import { at, readTask, resolve, TASK_LIMITS, unknownKey, type Add } from './sentinel-task';
import type { SentinelConfig, SentinelTask } from './types';

export const SENTINEL_LIMITS = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliases: 100,
  maxTasks: 1000,
  maxErrors: 100,
  ...TASK_LIMITS,
} as const;

export interface SentinelConfigError {
  file: string;
  /** 1-based; null for problems of the file as a whole (too large). */
  line: number | null;
  column: number | null;
  /** `tasks[2].max_age`, `tasks`, or '' for the document itself. */
  field: string;
  message: string;
}

export type SentinelConfigResult = { ok: true; config: SentinelConfig } | { ok: false; errors: SentinelConfigError[] };


/** `sentinel.yaml line 7, column 5: tasks[2].max_age: …`. */
export function formatSentinelConfigError(e: SentinelConfigError): string {
  const where = e.line === null ? e.file : `${e.file} line ${e.line}${e.column === null ? '' : `, column ${e.column}`}`;
  return `${where}: ${e.field ? `${e.field}: ` : ''}${e.message}`;
}

/** The deepest collection nesting, walked iteratively over the CST (no recursion, no composer). */
function cstDepth(text: string): number {
  let max = 0;
  for (const token of new Parser().parse(text)) {
    const stack: [unknown, number][] = [[token, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (depth > max) max = depth;
      if (!node || typeof node !== 'object') continue;
      const n = node as { type?: string; items?: { key?: unknown; value?: unknown }[]; value?: unknown };
      if (Array.isArray(n.items)) {
        for (const it of n.items) {
          if (it.key) stack.push([it.key, depth + 1]);
          if (it.value) stack.push([it.value, depth + 1]);
        }
      } else if (n.type === 'document' && n.value) stack.push([n.value, depth]);
    }
  }
  return max;
}

/**
 * Parses and validates a sentinel config. `fileName` only labels the errors (and is not used to
 * pick a format: JSON is YAML). Never throws for bad input.
 */
export function parseSentinelConfig(text: string, fileName: string): SentinelConfigResult {
  const errors: SentinelConfigError[] = [];
  const lc = new LineCounter();
  const add = (field: string, message: string, offset: number | null = null) => {
    if (errors.length >= SENTINEL_LIMITS.maxErrors) return;
    const p = offset === null ? null : lc.linePos(offset);
    errors.push({ file: fileName, line: p ? p.line : null, column: p ? p.col : null, field, message });
  };
  const fail = (): SentinelConfigResult => ({ ok: false, errors });
  // Cheap bound first (UTF-16 length <= UTF-8 length), exact bytes second.
  if (text.length > SENTINEL_LIMITS.maxBytes || new TextEncoder().encode(text).length > SENTINEL_LIMITS.maxBytes) {
    add('', `the file is larger than ${SENTINEL_LIMITS.maxBytes / 1024 / 1024} MB`);
    return fail();
  }
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (cstDepth(src) > SENTINEL_LIMITS.maxDepth) {
    add('', `nested more than ${SENTINEL_LIMITS.maxDepth} levels deep`);
    return fail();
  }
  const doc = parseDocument(src, { version: '1.2', schema: 'core', uniqueKeys: true, prettyErrors: false, lineCounter: lc, strict: true });
  for (const e of doc.errors) add('', e.code === 'DUPLICATE_KEY' ? `duplicate key ${keyAt(src, e.pos[0])}` : e.message, e.pos[0]);
  for (const w of doc.warnings) add('', w.code === 'TAG_RESOLVE_FAILED' ? `${w.message}: ${PLAIN_ONLY}` : w.message, w.pos[0]);
  if (errors.length > 0 || !aliasesAndTagsOk(doc, add)) return fail();
  try {
    doc.toJS({ maxAliasCount: SENTINEL_LIMITS.maxAliases });
  } catch (e) {
    add('', e instanceof ReferenceError && /alias count/i.test(e.message) ? 'its aliases expand too much (a "billion laughs" document)' : (e as Error).message);
    return fail();
  }
  const tasks = readTasks(doc, add);
  return errors.length > 0 || !tasks ? fail() : { ok: true, config: { tasks } };
}

const PLAIN_ONLY = 'only plain YAML is read (no !!js/function, !!binary or custom tags)';
// Explicit tags that mean what an untagged value would: allowed. Anything else (!!binary,
// !!set, !!timestamp) is refused even when the library could resolve it.
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** The key a DUPLICATE_KEY error points at, unquoted and shortened: `"name"`. */
function keyAt(src: string, offset: number): string {
  const raw = /^(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^:,}\n]*)/.exec(src.slice(offset, offset + 200))?.[0].trim() ?? '';
  let key = raw;
  try {
    if (raw.startsWith('"')) key = JSON.parse(raw) as string;
  } catch {
    // keep the raw text
  }
  if (raw.startsWith("'")) key = raw.slice(1, -1);
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

/** At most 100 aliases, each pointing at an anchor, and no tags beyond the plain ones. */
function aliasesAndTagsOk(doc: Document, add: Add): boolean {
  const aliases: Alias[] = [];
  let ok = true;
  visit(doc, {
    Alias: (_, a) => void aliases.push(a),
    Node: (_, n) => {
      if (n.tag !== undefined && !PLAIN_TAGS.has(n.tag)) {
        add('', `tag ${JSON.stringify(n.tag.replace('tag:yaml.org,2002:', '!!'))} is not allowed: ${PLAIN_ONLY}`, at(n));
        ok = false;
      }
    },
  });
  if (aliases.length > SENTINEL_LIMITS.maxAliases) {
    add('', `uses more than ${SENTINEL_LIMITS.maxAliases} aliases`);
    return false;
  }
  for (const a of aliases) {
    if (a.resolve(doc) === undefined) {
      add('', `alias *${a.source.slice(0, 40)} has no anchor &${a.source.slice(0, 40)} before it`, at(a));
      ok = false;
    }
  }
  return ok;
}

/** The top level ({tasks: [...]}) and the list; each task is read by readTask. */
function readTasks(doc: Document, add: Add): SentinelTask[] | null {
  const stop = (field: string, message: string, offset: number | null): null => {
    add(field, message, offset);
    return null;
  };
  const root = resolve(doc, doc.contents);
  const hint = 'expected {"tasks": [{"name": …, "artifact": …, "max_age": "36h"}]}';
  if (root === null || (isScalar(root) && root.value === null)) return stop('', `the file is empty; ${hint}`, 0);
  if (!isMap(root)) return stop('', `the top level must be a mapping; ${hint}`, at(root));
  let tasksNode: Node | null = null;
  let seen = false;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (key === 'tasks') {
      seen = true;
      const v = resolve(doc, pair.value);
      if (!v || (isScalar(v) && v.value === null)) add('tasks', 'is empty; list at least one task', at(pair.key as Node));
      else tasksNode = v;
    } else add(typeof key === 'string' ? key : '', typeof key === 'string' ? unknownKey(key, ['tasks']) : 'keys must be plain strings', at(pair.key as Node));
  }
  if (!seen) return stop('tasks', `is missing; ${hint}`, at(root));
  if (!tasksNode) return null;
  if (!isSeq(tasksNode)) return stop('tasks', 'must be a list of tasks', at(tasksNode));
  if (tasksNode.items.length === 0) return stop('tasks', 'is empty; list at least one task', at(tasksNode));
  if (tasksNode.items.length > SENTINEL_LIMITS.maxTasks) return stop('tasks', `has ${tasksNode.items.length} tasks; at most ${SENTINEL_LIMITS.maxTasks} are allowed`, at(tasksNode));
  const out: SentinelTask[] = [];
  const names = new Map<string, number>();
  tasksNode.items.forEach((raw, i) => {
    const task = readTask(doc, resolve(doc, raw), `tasks[${i}]`, add, at(raw as Node) ?? at(tasksNode));
    if (!task) return;
    const dup = names.get(task.name);
    if (dup !== undefined) add(`tasks[${i}].name`, `${JSON.stringify(task.name)} is already the name of tasks[${dup}]; names must be unique`, at(raw as Node));
    else names.set(task.name, i);
    out.push(task);
  });
  return out;
}
