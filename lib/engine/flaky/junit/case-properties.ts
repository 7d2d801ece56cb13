/**
 * Opt-in testcase properties (`JunitParserOptions.keepProperties`). Producers write per-case
 * metadata as `<testcase><properties><property name="k" value="v"/></properties></testcase>`:
 * pytest's `record_property`, Surefire / JUnit 5 report entries, Jenkins, Playwright (each
 * annotation becomes `<property name="{type}" value="{description}">`); some write the value as text
 * content (`<property name="k">v</property>`, also as CDATA).
 *
 * The flaky-tests ingest never asks for properties, so by default nothing is kept and no entry has
 * a `properties` field. A caller that needs a few (chaos results: recovery times) names them; then
 * each entry carries at most one value per named property (the first one in the testcase; a repeat
 * is a warning), each value cut at `PROPERTY_LIMITS.maxValue` characters and marked `truncated`.
 * A `<properties>` outside a testcase (suite level) is never attributed to a case.
 */
import { ownString } from './identity';
import { TextBuffer } from './report-context';

export const PROPERTY_LIMITS = {
  /** Property names one parse may keep. */
  maxNames: 16,
  /** Characters of a kept property's name. */
  maxName: 128,
  /** Characters kept of a value; a longer one is cut and marked `truncated`. */
  maxValue: 256,
} as const;

/** One kept property of one testcase. */
export interface CaseProperty {
  name: string;
  /** The `value` attribute, or the text content when the attribute is absent or blank; as written. */
  value: string;
  /** Line of the `<property>` element. */
  line: number;
  /** The value was longer than `PROPERTY_LIMITS.maxValue` and was cut. */
  truncated: boolean;
}

/**
 * The set of names to keep, or null when none is asked for (the default). Bad options are a
 * programming error, not a bad file: a plain `Error` at parser creation.
 */
export function keptPropertyNames(names: readonly string[] | undefined): ReadonlySet<string> | null {
  if (names === undefined || names.length === 0) return null;
  if (names.length > PROPERTY_LIMITS.maxNames) throw new Error(`keepProperties: at most ${PROPERTY_LIMITS.maxNames} names`);
  for (const n of names) {
    if (typeof n !== 'string' || n.length === 0 || n.length > PROPERTY_LIMITS.maxName) throw new Error(`keepProperties: a name must be 1 to ${PROPERTY_LIMITS.maxName} characters`);
  }
  return new Set(names);
}

/** A kept `<property>` being read: its attribute value, or its text when the attribute is blank. */
export class PropertyDraft {
  /** Text content, collected only when there is no usable `value` attribute. */
  readonly body: TextBuffer | null;

  constructor(
    readonly name: string,
    private readonly attr: string | undefined,
    readonly line: number,
  ) {
    this.body = attr === undefined || attr.trim() === '' ? new TextBuffer(PROPERTY_LIMITS.maxValue) : null;
  }

  finish(): CaseProperty {
    const raw = this.body ? this.body.value() : (this.attr ?? '');
    const max = PROPERTY_LIMITS.maxValue;
    const truncated = raw.length > max;
    // Own copy (see `ownString`): a kept value never pins the XML chunk it came from.
    return { name: ownString(this.name), value: ownString(truncated ? raw.slice(0, max) : raw), line: this.line, truncated };
  }
}

/** Adds `p` to the case's properties: the first value of a name wins; a repeat is reported. */
export function addCaseProperty(list: CaseProperty[], p: CaseProperty, warn: (line: number, message: string) => void): void {
  if (list.some((q) => q.name === p.name)) {
    warn(p.line, `property "${p.name}" repeated in one testcase: the first value is kept`);
    return;
  }
  list.push(p);
}
