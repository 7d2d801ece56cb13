/**
 * Cron expression syntax check with Steward's own messages. Pure and shared by the server (which
 * also asks croner for the next run) and the browser (which checks as you type), so a bad schedule
 * reads `"61 * * * *": minute must be 0–59`, never the library's "CronPattern: …".
 *
 * Accepted: five fields (minute hour day-of-month month day-of-week), each `*`, a number or name,
 * a range `a-b`, a step `*\/n` or `a-b/n`, or a comma list of those; `?` in either day field;
 * `L` (last day) and `nW` (nearest weekday) in day-of-month; `nL` (last weekday n) and `n#k`
 * (k-th weekday n) in day-of-week; and the nicknames @hourly, @daily, @midnight, @weekly, @monthly,
 * @yearly, @annually. This is the subset croner runs in its default mode.
 */

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 7 is Sunday too, as in most crons.
  { name: 'day-of-week', min: 0, max: 7, names: DAYS },
];

export const CRON_NICKNAMES = ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually'] as const;
export const CRON_HINT = 'minute hour day-of-month month day-of-week, e.g. "0 3 * * *"';

class FieldError extends Error {}

/** A number or a name (JAN, mon) of the field, within its range. */
function value(raw: string, f: FieldSpec): number {
  let n: number;
  if (/^\d+$/.test(raw)) n = Number(raw);
  else {
    const i = f.names?.indexOf(raw.toUpperCase() as never) ?? -1;
    if (i < 0) {
      const names = f.names ? `, or a name (${f.names[0]}–${f.names[f.names.length - 1]})` : '';
      throw new FieldError(`${f.name} "${raw}" is not a number${names}`);
    }
    n = f.names === MONTHS ? i + 1 : i;
  }
  if (n < f.min || n > f.max) throw new FieldError(`${f.name} must be ${f.min}–${f.max}`);
  return n;
}

/** One comma-separated part of a field: *, n, a-b, with an optional /step. */
function part(raw: string, f: FieldSpec): void {
  if (raw === '') throw new FieldError(`${f.name} has an empty item in its list`);
  const dayField = f.name === 'day-of-month' || f.name === 'day-of-week';
  if (raw === '?' && dayField) return;
  if (f.name === 'day-of-month' && (raw === 'L' || raw === 'l')) return;
  if (f.name === 'day-of-month' && /^\d+W$/i.test(raw)) return void value(raw.slice(0, -1), f);
  if (f.name === 'day-of-week') {
    const last = /^(\w+?)L$/i.exec(raw);
    if (last?.[1]) return void value(last[1], f);
    const nth = /^(\w+)#(\d+)$/.exec(raw);
    if (nth?.[1] && nth[2]) {
      value(nth[1], f);
      if (Number(nth[2]) < 1 || Number(nth[2]) > 5) throw new FieldError(`day-of-week "${raw}": the week number after # must be 1–5`);
      return;
    }
  }
  const [range, step, extra] = raw.split('/');
  if (extra !== undefined) throw new FieldError(`${f.name} "${raw}" has more than one "/"`);
  if (range !== '*') {
    const bounds = range!.split('-');
    if (bounds.length > 2 || bounds.some((b) => b === '')) throw new FieldError(`${f.name} "${raw}" is not a number, range (a-b) or step (*/n)`);
    const lo = value(bounds[0]!, f);
    const hi = bounds[1] === undefined ? lo : value(bounds[1], f);
    if (hi < lo) throw new FieldError(`${f.name} range "${range}" goes backwards; write "${bounds[1]}-${bounds[0]}"`);
    if (step !== undefined && bounds[1] === undefined) throw new FieldError(`${f.name} "${raw}": a step needs * or a range before it, e.g. "${bounds[0]}-${f.max}/${step}"`);
  }
  if (step !== undefined) {
    if (!/^\d+$/.test(step)) throw new FieldError(`${f.name} step "${step}" is not a number`);
    const n = Number(step);
    if (n < 1) throw new FieldError(`${f.name} step must be at least 1`);
    if (n > f.max - f.min + 1) throw new FieldError(`${f.name} step ${n} is larger than the field's range ${f.min}–${f.max}`);
  }
}

/**
 * Checks the syntax of a cron expression. Returns null when it is valid, else a sentence that
 * quotes the expression and names the field: `"61 * * * *": minute must be 0–59`. An empty
 * expression is "no schedule" and valid; callers decide whether that is allowed.
 */
export function cronExpressionProblem(expr: string): string | null {
  const e = expr.trim();
  if (e === '') return null;
  const q = JSON.stringify(e.length > 100 ? `${e.slice(0, 100)}…` : e);
  if (e.startsWith('@')) return (CRON_NICKNAMES as readonly string[]).includes(e.toLowerCase()) ? null : `${q} is not a known nickname (${CRON_NICKNAMES.join(', ')})`;
  const fields = e.split(/\s+/);
  if (fields.length !== FIELDS.length) return `${q} has ${fields.length} field${fields.length === 1 ? '' : 's'}; a cron expression has 5: ${CRON_HINT}`;
  try {
    fields.forEach((raw, i) => {
      for (const p of raw.split(',')) part(p, FIELDS[i]!);
    });
  } catch (err) {
    if (err instanceof FieldError) return `${q}: ${err.message}`;
    throw err;
  }
  return null;
}
