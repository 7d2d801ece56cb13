/**
 * The JUnit/TRX parser of issue 9. Pure: bytes or text chunks in, a `ParsedReport` out; no fs,
 * network, clock or environment. A file is accepted whole or rejected whole (`ParseFailure`).
 *
 *   const p = createJunitParser({ file: 'report.xml' });
 *   for await (const chunk of stream) p.write(chunk);
 *   const report = p.end(); // throws JunitParseError
 *
 * Memory: the results are kept, the raw text is not (every stored field is bounded, see limits).
 * `createJunitEntryParser` keeps nothing: it hands each `<testcase>` (or TRX result) to a sink as it
 * ends, so a caller can spool a 200 MB file and group its results itself (see `ResultCollector`).
 */
import type { ParseFailure, ParsedReport, ReportHeader } from '../types';
import { keptPropertyNames } from './case-properties';
import { JunitModel } from './junit-model';
import { normaliseRoot } from './identity';
import { resolveLimits, type ParseLimits } from './limits';
import { ReportContext } from './report-context';
import { ResultCollector, type EntrySink } from './results';
import { XmlParseError, XmlStream, type XmlSink } from './stream';
import { TrxModel } from './trx';

export { DEFAULT_LIMITS, type ParseLimits } from './limits';
export { PROPERTY_LIMITS, type CaseProperty } from './case-properties';
export { makeIdentity, identityKey, normaliseText, normaliseFile, normaliseRoot } from './identity';
export { resultOutcome, entryKey, entryToCase, ownEntry, ResultCollector, type CaseEntry, type EntrySink } from './results';

export interface JunitParserOptions {
  /** Name of the file, as reported in a `ParseFailure`. */
  file: string;
  limits?: Partial<ParseLimits>;
  /**
   * The checkout root the producer ran in (a CI workspace): absolute `file` paths under it become
   * relative, so one test keeps one identity across runners. Ignored unless absolute.
   */
  root?: string | null;
  /**
   * Testcase property names to keep (at most `PROPERTY_LIMITS.maxNames`, values bounded): each
   * entry handed to the sink then carries `properties` (see `./case-properties`). Off by default:
   * the flaky-tests ingest keeps no properties. `ParsedCase` never carries them.
   */
  keepProperties?: readonly string[];
}

export interface JunitParser<R = ParsedReport> {
  /** Feeds the next chunk. Throws `JunitParseError` as soon as the file is known to be bad. */
  write(chunk: Uint8Array | string): void;
  /** Ends the file: the report, or `JunitParseError` (truncated, empty, malformed…). */
  end(): R;
}

/** A rejected file. `failure` is what callers show and store. */
export class JunitParseError extends Error {
  constructor(readonly failure: ParseFailure) {
    super(`${failure.file}:${failure.line ?? '?'}:${failure.column ?? '?'}: ${failure.message}`);
  }
}

/** Decides at the root element whether this is JUnit or TRX and forwards events to that model. */
class RootSink implements XmlSink {
  model: JunitModel | TrxModel | null = null;

  constructor(
    private readonly ctx: ReportContext,
    private readonly entries: EntrySink,
    private readonly keep: ReadonlySet<string> | null,
  ) {}

  get capturing(): boolean {
    return this.model?.capturing ?? false;
  }

  open(name: string, attrs: Readonly<Record<string, string>>, line: number): void {
    if (!this.model) {
      const root = name.slice(name.indexOf(':') + 1);
      if (root === 'TestRun') this.model = new TrxModel(this.ctx);
      else if (root === 'testsuites' || root === 'testsuite') this.model = new JunitModel(this.ctx, this.entries, this.keep);
      else throw new XmlParseError(`not a JUnit or TRX report: the root element is <${name.slice(0, 64)}>`, line, null);
    }
    this.model.open(name, attrs, line);
  }

  close(): void {
    this.model?.close();
  }

  text(chunk: string): void {
    this.model?.text(chunk);
  }
}

/** A streaming parser for one file. See the module comment for the contract. */
export function createJunitParser(options: JunitParserOptions): JunitParser {
  const collector = new ResultCollector();
  const parser = createJunitEntryParser({ ...options, entries: collector });
  return {
    write: (chunk) => parser.write(chunk),
    end: () => ({ ...parser.end(), cases: collector.results() }),
  };
}

/**
 * A streaming parser that keeps no results: every entry goes to `entries` as soon as it is read
 * (TRX results at the end, when their class names are known). Entries of one identity and variant
 * are attempts of one result (`entryKey`); grouping them is the sink's business. A sink may have
 * received entries of a file that is then rejected: the caller must discard them.
 */
export function createJunitEntryParser(options: JunitParserOptions & { entries: EntrySink }): JunitParser<ReportHeader> {
  const ctx = new ReportContext(resolveLimits(options.limits), normaliseRoot(options.root));
  const sink = new RootSink(ctx, options.entries, keptPropertyNames(options.keepProperties));
  const xml = new XmlStream(sink, ctx.limits);
  let failed: JunitParseError | null = null;
  let ended = false;

  const guard = <T>(fn: () => T): T => {
    if (failed) throw failed;
    try {
      return fn();
    } catch (e) {
      failed = toParseError(options.file, e);
      throw failed;
    }
  };

  return {
    write: (chunk) =>
      guard(() => {
        if (ended) throw new XmlParseError('write after end', null, null);
        xml.write(chunk);
      }),
    end: () =>
      guard(() => {
        if (ended) throw new XmlParseError('end called twice', null, null);
        ended = true;
        xml.end();
        const model = sink.model;
        if (!model) throw new XmlParseError('no root element', null, null);
        const trx = model instanceof TrxModel;
        if (trx) model.collect(options.entries);
        return { format: trx ? 'trx' : 'junit', producer: trx ? 'vstest' : model.producer(), startedAt: ctx.startedAt, warnings: ctx.finalWarnings() };
      }),
  };
}

/** Parses a whole file given at once. Never throws for bad input: returns the failure. */
export function parseJunit(input: string | Uint8Array, options: JunitParserOptions): { ok: true; report: ParsedReport } | { ok: false; error: ParseFailure } {
  const parser = createJunitParser(options);
  try {
    parser.write(input);
    return { ok: true, report: parser.end() };
  } catch (e) {
    if (e instanceof JunitParseError) return { ok: false, error: e.failure };
    throw e;
  }
}

function toParseError(file: string, e: unknown): JunitParseError {
  if (e instanceof JunitParseError) return e;
  if (e instanceof XmlParseError) return new JunitParseError({ file, line: e.line, column: e.column, message: e.message });
  // A RangeError (call stack, string length) from hostile input is still a rejected file, not a crash.
  if (e instanceof RangeError) return new JunitParseError({ file, line: null, column: null, message: `rejected: ${e.message}` });
  throw e;
}
