/**
 * Writes the demo's CI results as Maven Surefire 3.0 XML, the format the flaky-tests ingest reads
 * for retries: a pass after failed attempts is `<flakyFailure>`/`<flakyError>` elements then the
 * pass; every attempt failing is `<failure>`/`<error>` followed by `<rerunFailure>`/`<rerunError>`;
 * a skip is `<skipped/>`. Times are in seconds. Names and messages are escaped for XML 1.0
 * (characters XML cannot carry are dropped), so a test name never changes the document's shape.
 */

export type AttemptKind = 'pass' | 'fail' | 'error' | 'skip';

export interface WrittenAttempt {
  kind: AttemptKind;
  ms: number;
  /** For fail/error: the exception's message and class; for skip: the reason. */
  message?: string;
  type?: string;
  stack?: string;
}

export interface WrittenCase {
  classname: string;
  name: string;
  /** Source path, as pytest and Playwright write it (Surefire itself leaves it out). */
  file?: string;
  /** In the order they ran; only the last one may pass. */
  attempts: WrittenAttempt[];
}

// XML 1.0 allows tab, LF, CR and U+0020 and above, except lone surrogates and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text content: `&`, `<`, `>` escaped (so `]]>` cannot occur). */
export function escapeText(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; whitespace kept as character references (attribute normalisation would fold it). */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

function outcomeElement(tag: string, a: WrittenAttempt, withTime: boolean): string {
  const attrs = `${a.message !== undefined ? ` message="${escapeAttr(a.message)}"` : ''} type="${escapeAttr(a.type ?? 'AssertionError')}"${withTime ? ` time="${seconds(a.ms)}"` : ''}`;
  const trace = a.stack ?? `${a.type ?? 'AssertionError'}: ${a.message ?? ''}`;
  // The first failure carries its trace as text; flaky and rerun elements in a <stackTrace> child.
  return withTime ? `<${tag}${attrs}><stackTrace>${escapeText(trace)}</stackTrace></${tag}>` : `<${tag}${attrs}>${escapeText(trace)}</${tag}>`;
}

function caseXml(c: WrittenCase): string {
  const last = c.attempts[c.attempts.length - 1];
  if (!last) throw new Error(`junit-writer: ${c.name} has no attempt`);
  const head = `<testcase name="${escapeAttr(c.name)}" classname="${escapeAttr(c.classname)}"${c.file ? ` file="${escapeAttr(c.file)}"` : ''} time="${seconds(last.kind === 'pass' ? last.ms : c.attempts[0]!.ms)}"`;
  if (last.kind === 'skip') return `${head}>\n      <skipped${last.message !== undefined ? ` message="${escapeAttr(last.message)}"` : ''}/>\n    </testcase>`;
  if (last.kind === 'pass') {
    const flaky = c.attempts.slice(0, -1).map((a) => outcomeElement(a.kind === 'error' ? 'flakyError' : 'flakyFailure', a, true));
    return flaky.length ? `${head}>\n      ${flaky.join('\n      ')}\n    </testcase>` : `${head}/>`;
  }
  const [first, ...reruns] = c.attempts;
  const parts = [outcomeElement(first!.kind === 'error' ? 'error' : 'failure', first!, false), ...reruns.map((a) => outcomeElement(a.kind === 'error' ? 'rerunError' : 'rerunFailure', a, true))];
  return `${head}>\n      ${parts.join('\n      ')}\n    </testcase>`;
}

/**
 * One Surefire report: a `<testsuite>` with Surefire's own counters (a flaky test counts as
 * passed; `failures`/`errors` by the first attempt of a test that never passed).
 */
export function surefireXml(suite: string, cases: readonly WrittenCase[]): string {
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  let ms = 0;
  for (const c of cases) {
    const last = c.attempts[c.attempts.length - 1]!;
    for (const a of c.attempts) ms += a.ms;
    if (last.kind === 'skip') skipped++;
    else if (last.kind !== 'pass') {
      if (c.attempts[0]!.kind === 'error') errors++;
      else failures++;
    }
  }
  const root = `<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="${escapeAttr(suite)}" time="${seconds(ms)}" tests="${cases.length}" errors="${errors}" skipped="${skipped}" failures="${failures}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n    ${cases.map(caseXml).join('\n    ')}\n</testsuite>\n`;
}
