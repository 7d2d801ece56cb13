/** A rejected soak input file: names the file, the place (`line 12, column "rss_mb"`, a JSON path) and why. */
export class SoakParseError extends Error {
  readonly file: string;
  /** `line 12`, `line 12, column "rss_mb"`, `memory_stats.rss_end_mb`, or '' for the file as a whole. */
  readonly where: string;
  readonly detail: string;
  readonly line: number | null;

  constructor(file: string, where: string, detail: string, line: number | null = null) {
    super(`${file}${where ? `: ${where}` : ''}: ${detail}`);
    this.name = 'SoakParseError';
    this.file = file;
    this.where = where;
    this.detail = detail;
    this.line = line;
  }
}

/** At most this many characters of a hostile value are echoed back in a message. */
export function shown(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
