/** A rejected perf file: names the file, the field (a JSON path or `line N`) and the bad value. */
export class PerfParseError extends Error {
  readonly file: string;
  /** `benchmarks[3].stats.data[7]`, `line 12`, or '' for the file as a whole. */
  readonly field: string;
  readonly value: unknown;
  readonly detail: string;

  constructor(file: string, field: string, value: unknown, detail: string) {
    super(`${file}${field ? `: ${field}` : ''}: ${detail}`);
    this.name = 'PerfParseError';
    this.file = file;
    this.field = field;
    this.value = value;
    this.detail = detail;
  }
}

/** Renders a zod-style path (`['benchmarks', 3, 'stats']`) as `benchmarks[3].stats`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const s = String(p);
      out += /^[A-Za-z_$][\w$]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}
