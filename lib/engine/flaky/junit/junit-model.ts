/**
 * JUnit XML element handling: `<testsuites>`/`<testsuite>` roots, suites nested to any depth,
 * properties and output anywhere (ignored, unless the caller names testcase properties to keep:
 * see `./case-properties`), and every producer's way of writing an outcome.
 * Suite counters (`tests=`, `failures=`…) are never read: everything is recounted from cases.
 */
import { addCaseProperty, PropertyDraft, type CaseProperty } from './case-properties';
import { makeIdentity } from './identity';
import { ProducerSignals, guessProducer } from './producer';
import { firstLine, TextBuffer, type ReportContext } from './report-context';
import { isSynthetic, type CaseEntry, type EntrySink, type RawAttempt } from './results';
import type { XmlSink } from './stream';
import { parseSeconds } from './times';

type Attrs = Readonly<Record<string, string>>;

/** An outcome element inside a testcase: failure, error, skipped, Surefire's flaky and rerun elements. */
interface OutcomeDraft {
  tag: string;
  attrs: Attrs;
  line: number;
  body: TextBuffer;
  /** Surefire 3.0 puts the trace of flaky/rerun elements in a `<stackTrace>` child. */
  stack: TextBuffer | null;
}

interface CaseDraft {
  attrs: Attrs;
  line: number;
  suites: string[];
  suiteFile: string | null;
  variant: string | null;
  outcomes: OutcomeDraft[];
  /** Kept properties (only with `keepProperties`), made on the first one. */
  properties: CaseProperty[] | null;
}

type Frame =
  | { kind: 'suites' }
  | { kind: 'suite'; name: string; file: string | null; hostname: string | null }
  | { kind: 'case'; draft: CaseDraft }
  | { kind: 'outcome'; draft: OutcomeDraft }
  | { kind: 'stack'; draft: OutcomeDraft }
  | { kind: 'properties' }
  | { kind: 'caseProperties'; draft: CaseDraft }
  | { kind: 'property'; draft: CaseDraft; prop: PropertyDraft }
  | { kind: 'ignore' };

const FAILS = new Set(['failure', 'error']);
const FLAKY = new Set(['flakyFailure', 'flakyError']);
const RERUN = new Set(['rerunFailure', 'rerunError']);
const OUTCOME_TAGS = new Set([...FAILS, 'skipped', ...FLAKY, ...RERUN]);
const SKIP_STATUS = new Set(['notrun', 'disabled', 'skipped', 'skip', 'ignored']);
const SKIP_RESULT = new Set(['skipped', 'suppressed']);
const FAIL_STATUS = new Set(['fail', 'failed', 'failure']);

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** Receives the XML events of one JUnit file and hands each finished testcase to `entries`. */
export class JunitModel implements XmlSink {
  private readonly stack: Frame[] = [];
  private readonly signals = new ProducerSignals();

  constructor(
    private readonly ctx: ReportContext,
    private readonly entries: EntrySink,
    /** Testcase property names to keep; null (the flaky-tests ingest): none, nothing extra is done. */
    private readonly keep: ReadonlySet<string> | null = null,
  ) {}

  get capturing(): boolean {
    const top = this.stack[this.stack.length - 1];
    return top?.kind === 'outcome' || top?.kind === 'stack' || (top?.kind === 'property' && top.prop.body !== null);
  }

  open(rawName: string, attrs: Attrs, line: number): void {
    const name = local(rawName);
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.signals.root(name, attrs);
      this.ctx.timestamp(attrs.timestamp, line);
      this.stack.push(name === 'testsuites' ? { kind: 'suites' } : this.suiteFrame(attrs, line));
      return;
    }
    this.stack.push(this.child(top, name, attrs, line));
  }

  private child(top: Frame, name: string, attrs: Attrs, line: number): Frame {
    if (name === 'properties') return this.keep && top.kind === 'case' ? { kind: 'caseProperties', draft: top.draft } : { kind: 'properties' };
    switch (top.kind) {
      case 'suites':
      case 'suite':
        if (name === 'testsuite') {
          this.signals.suite(attrs);
          this.ctx.timestamp(attrs.timestamp, line);
          return this.suiteFrame(attrs, line);
        }
        if (name === 'testsuites') return { kind: 'suites' };
        if (name === 'testcase') return { kind: 'case', draft: this.caseDraft(attrs, line) };
        return { kind: 'ignore' };
      case 'case':
        if (OUTCOME_TAGS.has(name)) {
          if (name === 'skipped') this.signals.skip(attrs.type);
          const draft: OutcomeDraft = { tag: name, attrs, line, body: new TextBuffer(this.ctx.max('detail')), stack: null };
          top.draft.outcomes.push(draft);
          return { kind: 'outcome', draft };
        }
        return { kind: 'ignore' };
      case 'outcome':
        if (name === 'stackTrace') {
          top.draft.stack ??= new TextBuffer(this.ctx.max('detail'));
          return { kind: 'stack', draft: top.draft };
        }
        return { kind: 'ignore' };
      case 'properties':
        if (name === 'property' && attrs.name !== undefined) this.signals.property(attrs.name);
        return { kind: 'ignore' };
      case 'caseProperties':
        if (name !== 'property' || attrs.name === undefined) return { kind: 'ignore' };
        this.signals.property(attrs.name);
        return this.keep?.has(attrs.name) ? { kind: 'property', draft: top.draft, prop: new PropertyDraft(attrs.name, attrs.value, line) } : { kind: 'ignore' };
      default:
        return { kind: 'ignore' };
    }
  }

  text(chunk: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top?.kind === 'outcome') top.draft.body.add(chunk);
    else if (top?.kind === 'stack') top.draft.stack?.add(chunk);
    else if (top?.kind === 'property') top.prop.body?.add(chunk);
  }

  close(): void {
    const top = this.stack.pop();
    if (top?.kind === 'case') this.finishCase(top.draft);
    else if (top?.kind === 'property') addCaseProperty((top.draft.properties ??= []), top.prop.finish(), (l, m) => this.ctx.warn(l, m));
  }

  /** The producer guess; call after the document ended. */
  producer(): string {
    return guessProducer(this.signals);
  }

  private suiteFrame(attrs: Attrs, line: number): Frame {
    return {
      kind: 'suite',
      name: this.ctx.bound('name', attrs.name ?? '', line, 'testsuite name'),
      file: attrs.file === undefined ? null : this.ctx.bound('name', attrs.file, line, 'testsuite file'),
      hostname: attrs.hostname ?? null,
    };
  }

  private caseDraft(attrs: Attrs, line: number): CaseDraft {
    this.signals.testcase(attrs);
    this.ctx.timestamp(attrs.timestamp, line);
    const suites: string[] = [];
    let suiteFile: string | null = null;
    let hostname: string | null = null;
    for (const f of this.stack) {
      if (f.kind !== 'suite') continue;
      suites.push(f.name);
      suiteFile = f.file ?? suiteFile;
      hostname = f.hostname ?? hostname;
    }
    // Playwright: each project's tests sit in their own suites, the project name in `hostname`.
    const variant = this.signals.playwright && hostname ? this.ctx.bound('name', hostname, line, 'project name') : null;
    return { attrs, line, suites, suiteFile, variant, outcomes: [], properties: null };
  }

  private finishCase(d: CaseDraft): void {
    const { attrs, line } = d;
    if (attrs.name === undefined) this.ctx.warn(line, 'testcase without a name');
    const identity = makeIdentity({
      suites: d.suites,
      classname: this.ctx.bound('name', attrs.classname ?? attrs.class ?? '', line, 'testcase classname'),
      name: this.ctx.bound('name', attrs.name ?? '', line, 'testcase name'),
      file: attrs.file !== undefined ? this.ctx.bound('name', attrs.file, line, 'testcase file') : d.suiteFile,
      root: this.ctx.root,
    });
    const attempts = this.attempts(d);
    const entry: CaseEntry = { identity, variant: d.variant, attempts, synthetic: isSynthetic(identity, attempts) };
    if (d.properties) entry.properties = d.properties;
    this.entries.add(entry);
  }

  /** Surefire order: flaky failures ran before the final pass; reruns after the first failure. */
  private attempts(d: CaseDraft): RawAttempt[] {
    const time = parseSeconds(d.attrs.time);
    if (time.warning) this.ctx.warn(d.line, time.warning);
    const attempts = d.outcomes.filter((o) => FLAKY.has(o.tag)).map((o) => this.outcomeAttempt(o, o.tag === 'flakyError' ? 'error' : 'failed'));
    attempts.push(this.mainAttempt(d, time.value));
    attempts.push(...d.outcomes.filter((o) => RERUN.has(o.tag)).map((o) => this.outcomeAttempt(o, o.tag === 'rerunError' ? 'error' : 'failed')));
    return attempts;
  }

  private mainAttempt(d: CaseDraft, durationMs: number | null): RawAttempt {
    const fails = d.outcomes.filter((o) => FAILS.has(o.tag));
    const first = fails[0];
    if (first) {
      // jest-junit writes one <failure> per failed expectation: one attempt, the bodies joined.
      const detail = fails.map((o) => o.body.value().trim()).filter(Boolean).join('\n\n');
      return { ...this.describe(first, detail), outcome: first.tag === 'error' ? 'error' : 'failed', durationMs, skipKind: null };
    }
    const skip = d.outcomes.find((o) => o.tag === 'skipped');
    const status = (d.attrs.status ?? '').toLowerCase();
    const result = (d.attrs.result ?? '').toLowerCase();
    if (skip) {
      const kind = skip.attrs.type ?? 'skipped';
      // pytest: an expected failure that failed is a pass, not a skip.
      if (kind === 'pytest.xfail') return { ...this.describe(skip, skip.body.value()), outcome: 'passed', durationMs, skipKind: null };
      return { ...this.describe(skip, skip.body.value()), outcome: 'skipped', durationMs, skipKind: kind };
    }
    const none = { message: null, type: null, detail: null };
    if (SKIP_RESULT.has(result)) return { ...none, outcome: 'skipped', durationMs, skipKind: result };
    if (SKIP_STATUS.has(status)) return { ...none, outcome: 'skipped', durationMs, skipKind: status };
    if (FAIL_STATUS.has(status)) return { ...none, outcome: 'failed', durationMs, skipKind: null };
    if (status === 'error') return { ...none, outcome: 'error', durationMs, skipKind: null };
    return { ...none, outcome: 'passed', durationMs, skipKind: null };
  }

  private outcomeAttempt(o: OutcomeDraft, outcome: 'failed' | 'error'): RawAttempt {
    const time = parseSeconds(o.attrs.time);
    if (time.warning) this.ctx.warn(o.line, time.warning);
    return { ...this.describe(o, o.stack?.value() ?? o.body.value()), outcome, durationMs: time.value, skipKind: null };
  }

  private describe(o: OutcomeDraft, rawDetail: string): Pick<RawAttempt, 'message' | 'type' | 'detail'> {
    const detail = rawDetail.trim();
    const message = o.attrs.message !== undefined && o.attrs.message.trim() !== '' ? o.attrs.message.trim() : firstLine(detail);
    return {
      message: message === null ? null : this.ctx.bound('message', message, o.line, `<${o.tag}> message`),
      type: o.attrs.type ? this.ctx.bound('name', o.attrs.type, o.line, `<${o.tag}> type`) : null,
      detail: detail ? this.ctx.bound('detail', detail, o.line, `<${o.tag}> text`) : null,
    };
  }
}
