/**
 * The JUnit/TRX parser of issue 9. Pure: bytes or text chunks in, a `ParsedReport` out; no fs,
 * network, clock or environment. A file is accepted whole or rejected whole (`ParseFailure`).
 *
 *   const p = createJunitParser({ file: 'report.xml' });
 *   for await (const chunk of stream) p.write(chunk);
 *   const report = p.end(); // throws JunitParseError
 *
 * Memory: the results are kept, the raw text is not (every stored field is bounded, see limits).
 */
import type { ParseFailure, ParsedReport } from '../types';
import { JunitModel } from './junit-model';
import { resolveLimits, type ParseLimits } from './limits';
import { ReportContext } from './report-context';
import { XmlParseError, XmlStream, type XmlSink } from './stream';
import { TrxModel } from './trx';

export { DEFAULT_LIMITS, type ParseLimits } from './limits';
export { makeIdentity, identityKey, normaliseText, normaliseFile } from './identity';
export { resultOutcome } from './results';

export interface JunitParserOptions {
  /** Name of the file, as reported in a `ParseFailure`. */
  file: string;
  limits?: Partial<ParseLimits>;
}

export interface JunitParser {
  /** Feeds the next chunk. Throws `JunitParseError` as soon as the file is known to be bad. */
  write(chunk: Uint8Array | string): void;
  /** Ends the file: the report, or `JunitParseError` (truncated, empty, malformed…). */
  end(): ParsedReport;
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

  constructor(private readonly ctx: ReportContext) {}

  get capturing(): boolean {
    return this.model?.capturing ?? false;
  }

  open(name: string, attrs: Readonly<Record<string, string>>, line: number): void {
    if (!this.model) {
      const root = name.slice(name.indexOf(':') + 1);
      if (root === 'TestRun') this.model = new TrxModel(this.ctx);
      else if (root === 'testsuites' || root === 'testsuite') this.model = new JunitModel(this.ctx);
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
  const ctx = new ReportContext(resolveLimits(options.limits));
  const sink = new RootSink(ctx);
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
        const cases = (trx ? model.collect() : model.results).results();
        return { format: trx ? 'trx' : 'junit', producer: trx ? 'vstest' : model.producer(), startedAt: ctx.startedAt, cases, warnings: ctx.finalWarnings() };
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
