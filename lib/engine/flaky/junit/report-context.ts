/** What the JUnit and TRX models share while reading one file: bounds, warnings, the start time. */
import type { ParseWarning } from '../types';
import type { ParseLimits } from './limits';
import { parseTimestamp } from './times';

export type FieldKind = 'name' | 'message' | 'detail';

export class ReportContext {
  readonly warnings: ParseWarning[] = [];
  private omitted = 0;
  startedAt: Date | null = null;

  /**
   * @param root the upload's checkout root, normalised (`normaliseRoot`): absolute file paths under
   *   it become relative in test identities.
   */
  constructor(
    readonly limits: ParseLimits,
    readonly root: string | null = null,
  ) {}

  /** Records a warning; past `maxWarnings` only counts it (a hostile file cannot grow the list). */
  warn(line: number | null, message: string): void {
    if (this.warnings.length < this.limits.maxWarnings) this.warnings.push({ line, message });
    else this.omitted++;
  }

  /** Keeps the earliest valid timestamp; an unreadable one is a warning. */
  timestamp(raw: string | undefined, line: number): void {
    const t = parseTimestamp(raw);
    if (t.warning) this.warn(line, t.warning);
    if (t.value && (this.startedAt === null || t.value < this.startedAt)) this.startedAt = t.value;
  }

  /** Cuts `s` to the limit of its kind, with a warning saying what was cut. */
  bound(kind: FieldKind, s: string, line: number | null, what: string): string {
    const max = this.max(kind);
    if (s.length <= max) return s;
    this.warn(line, `${what} truncated to ${max} characters (was ${s.length})`);
    return s.slice(0, max);
  }

  max(kind: FieldKind): number {
    return kind === 'name' ? this.limits.maxName : kind === 'message' ? this.limits.maxMessage : this.limits.maxDetail;
  }

  /** The warnings, with one summary line when some were dropped. */
  finalWarnings(): ParseWarning[] {
    return this.omitted ? [...this.warnings, { line: null, message: `${this.omitted} more warning(s) not shown` }] : [...this.warnings];
  }
}

/**
 * Text of one element, kept up to `max` characters (plus one, so a cut is noticed). Text beyond is
 * dropped as it arrives, so a 100 MB stack trace costs `max` characters of memory.
 */
export class TextBuffer {
  private parts: string[] = [];
  private length = 0;

  constructor(private readonly max: number) {}

  add(s: string): void {
    const room = this.max + 1 - this.length;
    if (room <= 0 || !s) return;
    const piece = s.length > room ? s.slice(0, room) : s;
    this.parts.push(piece);
    this.length += piece.length;
  }

  /** The text kept: `max + 1` characters long when more arrived, so `bound` warns and cuts. */
  value(): string {
    return this.parts.join('');
  }
}

/** First non-empty line of `s`, trimmed. */
export function firstLine(s: string): string | null {
  for (const line of s.split('\n')) {
    const t = line.trim();
    if (t) return t;
  }
  return null;
}
