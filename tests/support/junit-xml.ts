/** Builds small JUnit XML documents for service and browser tests (Surefire-style retries). */
export type CaseSpec = {
  name: string;
  classname?: string;
  file?: string;
  /** Attempts in order: `pass`, `fail`, `error`, `skip`. One entry = no retries. */
  attempts?: ('pass' | 'fail' | 'error' | 'skip')[];
  time?: number;
  message?: string;
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * One `<testsuite>`; a case whose attempts end in `pass` after failures is written as Surefire's
 * `<flakyFailure>` elements; several failures in a row as `<failure>` + `<rerunFailure>`.
 */
export function junitXml(cases: CaseSpec[], suite = 'suite'): string {
  const body = cases
    .map((c) => {
      const attempts = c.attempts ?? ['pass'];
      const attrs = `name="${esc(c.name)}" classname="${esc(c.classname ?? 'pkg.Suite')}"${c.file ? ` file="${esc(c.file)}"` : ''} time="${c.time ?? 0.5}"`;
      const msg = esc(c.message ?? 'expected true to be false');
      const last = attempts[attempts.length - 1];
      const earlier = attempts.slice(0, -1);
      if (last === 'skip') return `<testcase ${attrs}><skipped/></testcase>`;
      if (last === 'pass') {
        if (!earlier.length) return `<testcase ${attrs}/>`;
        return `<testcase ${attrs}>${earlier.map((a) => (a === 'error' ? `<flakyError message="${msg}" type="E"/>` : `<flakyFailure message="${msg}" type="AssertionError"/>`)).join('')}</testcase>`;
      }
      const first = attempts[0] === 'error' ? `<error message="${msg}" type="E"/>` : `<failure message="${msg}" type="AssertionError">at line 1</failure>`;
      const reruns = attempts.slice(1).map((a) => (a === 'error' ? `<rerunError message="${msg}" type="E"/>` : `<rerunFailure message="${msg}" type="AssertionError"/>`));
      return `<testcase ${attrs}>${first}${reruns.join('')}</testcase>`;
    })
    .join('\n  ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${esc(suite)}" tests="${cases.length}">\n  ${body}\n</testsuite>\n`;
}

export const bytes = (s: string) => new TextEncoder().encode(s);
