/**
 * .NET TRX (VSTest `<TestRun>`): `Results/UnitTestResult` carry outcome, duration and errors;
 * `TestDefinitions/UnitTest/TestMethod` give the class name, joined through `testId` (definitions
 * usually come after results, so results wait for the end). Data-driven tests nest their rows in
 * `InnerResults`: the rows are the results, the parent is only their summary.
 * Identity: suite empty, classname = TestMethod className (assembly part cut), name = testName.
 */
import { makeIdentity } from './identity';
import { firstLine, TextBuffer, type ReportContext } from './report-context';
import { isSynthetic, type EntrySink, type RawAttempt } from './results';
import type { XmlSink } from './stream';
import type { AttemptOutcome } from '../types';
import { parseTimeSpan } from './times';

type Attrs = Readonly<Record<string, string>>;

interface ResultDraft {
  attrs: Attrs;
  line: number;
  hasInner: boolean;
  message: TextBuffer | null;
  stack: TextBuffer | null;
}

interface PendingResult {
  testId: string;
  name: string;
  line: number;
  attempt: RawAttempt;
}

const OUTCOMES: Record<string, AttemptOutcome> = {
  passed: 'passed',
  passedbutrunaborted: 'passed',
  completed: 'passed',
  warning: 'passed',
  failed: 'failed',
  timeout: 'failed',
  error: 'error',
  aborted: 'error',
  disconnected: 'error',
  notexecuted: 'skipped',
  inconclusive: 'skipped',
  notrunnable: 'skipped',
  pending: 'skipped',
  inprogress: 'skipped',
};

const local = (name: string) => name.slice(name.indexOf(':') + 1);

export class TrxModel implements XmlSink {
  private readonly path: string[] = [];
  private readonly open_: ResultDraft[] = [];
  private readonly pending: PendingResult[] = [];
  private readonly classNames = new Map<string, string>();
  private currentTestId: string | null = null;
  private capture: TextBuffer | null = null;

  constructor(private readonly ctx: ReportContext) {}

  get capturing(): boolean {
    return this.capture !== null;
  }

  open(rawName: string, attrs: Attrs, line: number): void {
    const name = local(rawName);
    const parent = this.path[this.path.length - 1];
    this.path.push(name);
    const current = this.open_[this.open_.length - 1];
    if (name === 'Times' && parent === 'TestRun') this.ctx.timestamp(attrs.start ?? attrs.creation, line);
    else if (name.endsWith('TestResult') && (parent === 'Results' || parent === 'InnerResults')) {
      if (current) current.hasInner = true;
      this.ctx.timestamp(attrs.startTime, line);
      this.open_.push({ attrs, line, hasInner: false, message: null, stack: null });
    } else if (name === 'UnitTest' || name.endsWith('Test')) {
      if (parent === 'TestDefinitions') this.currentTestId = attrs.id ?? null;
    } else if (name === 'TestMethod' && this.currentTestId !== null && attrs.className !== undefined) {
      // `Namespace.Class, Assembly, Version=…`: the assembly part changes with every version bump.
      const cls = attrs.className.split(',')[0] ?? '';
      this.classNames.set(this.currentTestId, this.ctx.bound('name', cls, line, 'className'));
    } else if (current && parent === 'ErrorInfo' && (name === 'Message' || name === 'StackTrace')) {
      const buf = new TextBuffer(this.ctx.max(name === 'Message' ? 'message' : 'detail'));
      if (name === 'Message') current.message ??= buf;
      else current.stack ??= buf;
      this.capture = buf;
    }
  }

  text(chunk: string): void {
    this.capture?.add(chunk);
  }

  close(): void {
    const name = this.path.pop() ?? '';
    this.capture = null;
    if (name.endsWith('TestResult') && this.open_.length) {
      const d = this.open_.pop();
      if (d && !d.hasInner) this.pending.push(this.toPending(d));
    } else if (name === 'UnitTest' || (name.endsWith('Test') && this.path[this.path.length - 1] === 'TestDefinitions')) {
      this.currentTestId = null;
    }
  }

  private toPending(d: ResultDraft): PendingResult {
    const raw = (d.attrs.outcome ?? '').toLowerCase();
    let outcome = OUTCOMES[raw];
    if (!outcome) {
      this.ctx.warn(d.line, `unknown TRX outcome "${d.attrs.outcome ?? ''}" read as error`);
      outcome = 'error';
    }
    const duration = parseTimeSpan(d.attrs.duration);
    if (duration.warning) this.ctx.warn(d.line, duration.warning);
    const stack = d.stack?.value().trim() || null;
    const rawMessage = d.message?.value().trim() || null;
    const message = rawMessage ?? (stack ? firstLine(stack) : null);
    return {
      testId: d.attrs.testId ?? '',
      name: this.ctx.bound('name', d.attrs.testName ?? '', d.line, 'testName'),
      line: d.line,
      attempt: {
        outcome,
        durationMs: duration.value,
        message: message ? this.ctx.bound('message', message, d.line, 'Message') : null,
        type: null,
        detail: stack ? this.ctx.bound('detail', stack, d.line, 'StackTrace') : null,
        skipKind: outcome === 'skipped' ? raw : null,
      },
    };
  }

  /** Results after the document ended (class names are known only then). */
  collect(entries: EntrySink): void {
    for (const p of this.pending) {
      const identity = makeIdentity({ suites: [], classname: this.classNames.get(p.testId) ?? '', name: p.name, file: null });
      entries.add({ identity, variant: null, attempts: [p.attempt], synthetic: isSynthetic(identity, [p.attempt]) });
    }
  }
}
