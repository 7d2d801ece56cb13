/**
 * Best guess of the JUnit producer from what its files look like. Only for display and for the
 * few producer rules (Playwright's project as variant); counts never depend on it. Pure.
 */

type Attrs = Readonly<Record<string, string>>;

/** Facts gathered while reading; each is cheap and bounded (booleans and the first values). */
export class ProducerSignals {
  rootName = '';
  rootAttrs: Attrs = {};
  firstSuite: Attrs | null = null;
  schema = '';
  goVersion = false;
  javaProps = false;
  catch2Seed = false;
  caseAttrs = new Set<string>();
  statuses = new Set<string>();
  pytestSkip = false;
  globalClassname = false;
  bazelLabel = false;

  root(name: string, attrs: Attrs): void {
    this.rootName = name;
    this.rootAttrs = attrs;
    this.look(attrs);
  }

  /** A `<testsuite>` below the root. */
  suite(attrs: Attrs): void {
    this.firstSuite ??= attrs;
    this.look(attrs);
  }

  private look(attrs: Attrs): void {
    for (const [k, v] of Object.entries(attrs)) if (/schemaLocation$/i.test(k)) this.schema ||= v.toLowerCase();
    if ((attrs.name ?? '').startsWith('//')) this.bazelLabel = true;
  }

  property(name: string): void {
    if (name === 'go.version') this.goVersion = true;
    else if (name === 'random-seed') this.catch2Seed = true;
    else if (name.startsWith('java.') || name.startsWith('surefire.') || name === 'maven.home') this.javaProps = true;
  }

  testcase(attrs: Attrs): void {
    if (this.caseAttrs.size < 64) for (const k of Object.keys(attrs)) this.caseAttrs.add(k);
    if (attrs.status !== undefined && this.statuses.size < 16) this.statuses.add(attrs.status.toLowerCase());
    if ((attrs.classname ?? '').endsWith('.global')) this.globalClassname = true;
    if ((attrs.name ?? '').startsWith('//')) this.bazelLabel = true;
  }

  skip(type: string | undefined): void {
    if (type?.startsWith('pytest.')) this.pytestSkip = true;
  }

  /** Playwright writes `<testsuites id=… name=…>` and each project's suite with `hostname=<project>`. */
  get playwright(): boolean {
    return this.rootName === 'testsuites' && 'id' in this.rootAttrs && this.firstSuite !== null && 'hostname' in this.firstSuite && !this.goVersion;
  }
}

/** The producer name (`surefire`, `pytest`, … or `unknown`). */
export function guessProducer(s: ProducerSignals): string {
  const rootName = (s.rootAttrs.name ?? '').toLowerCase();
  const suite = s.firstSuite ?? s.rootAttrs;
  const suiteName = suite.name ?? '';
  if (s.schema.includes('failsafe')) return 'failsafe';
  if (s.schema.includes('surefire')) return 'surefire';
  if (s.goVersion) return 'id' in suite ? 'go-junit-report' : 'gotestsum';
  if (s.pytestSkip || suiteName === 'pytest') return 'pytest';
  if (rootName === 'jest tests') return 'jest-junit';
  if (rootName === 'vitest tests') return 'vitest';
  if (rootName === 'mocha tests') return s.rootName === 'testsuite' ? 'mocha-xunit' : 'mocha-junit-reporter';
  if (s.playwright) return 'playwright';
  if (s.caseAttrs.has('assertions') || s.caseAttrs.has('class')) return 'phpunit';
  if (s.caseAttrs.has('result') || rootName === 'alltests') return 'googletest';
  if (s.statuses.has('fail') || s.statuses.has('notrun') || s.statuses.has('disabled')) return 'ctest';
  if (s.catch2Seed || s.globalClassname || suite.hostname === 'tbd') return 'catch2';
  if (s.bazelLabel) return 'bazel';
  if ('ignored' in suite) return 'testng';
  if (/\.dll$/i.test(suiteName) || /\.dll$/i.test(suite.package ?? '')) return 'dotnet-junit';
  if (s.javaProps) return 'surefire';
  if (s.rootName === 'testsuite' && 'hostname' in suite && 'timestamp' in suite) return 'gradle';
  return 'unknown';
}
