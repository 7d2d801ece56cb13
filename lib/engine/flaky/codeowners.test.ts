import { describe, expect, it } from 'vitest';
import { ownersFor, parseCodeowners, testPath } from './codeowners';

const CO = `
# default owner
*                 @org/all
*.py              @py-team
/tests/e2e/       @qa  @alice
docs/*            @docs
**/flaky_*.go     @go-team
com/acme/billing/ @billing # trailing comment
[Frontend]
/web/**/*.spec.ts @frontend
`;

describe('CODEOWNERS', () => {
  const o = (file: string | null, classname = '') => ownersFor(CO, { file, classname });
  it('the last matching rule wins', () => {
    expect(o('src/app.ts')).toEqual(['@org/all']);
    expect(o('src/deep/x.py')).toEqual(['@py-team']);
    expect(o('tests/e2e/login_test.py')).toEqual(['@qa', '@alice']);
  });
  it('anchoring, single-level stars and directories', () => {
    expect(o('other/tests/e2e/a.ts')).toEqual(['@org/all']);
    expect(o('docs/a.md')).toEqual(['@docs']);
    expect(o('docs/deep/a.md')).toEqual(['@org/all']);
    expect(o('pkg/sub/flaky_test.go')).toEqual(['@go-team']);
    expect(o('web/app/x/login.spec.ts')).toEqual(['@frontend']);
  });
  it('a classname is read as a path when there is no file', () => {
    expect(testPath({ file: null, classname: 'com.acme.billing.InvoiceTest' })).toBe('com/acme/billing/InvoiceTest');
    expect(o(null, 'com.acme.billing.InvoiceTest')).toEqual(['@billing']);
    expect(o(null, '')).toEqual([]);
  });
  it('comments, sections and blank lines are not rules', () => {
    expect(parseCodeowners(CO).map((r) => r.pattern)).toEqual(['*', '*.py', '/tests/e2e/', 'docs/*', '**/flaky_*.go', 'com/acme/billing/', '/web/**/*.spec.ts']);
    expect(ownersFor(null, { file: 'a.py', classname: '' })).toEqual([]);
  });
});
