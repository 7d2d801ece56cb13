/** Hostile and broken input: every case is rejected whole with a position, or bounded. */
import { describe, expect, it } from 'vitest';
import { createJunitParser, JunitParseError, parseJunit, type JunitParserOptions } from './index';

const enc = new TextEncoder();
const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...enc.encode(p)] : p)));

function reject(input: string | Uint8Array, opts: Partial<JunitParserOptions> = {}) {
  const r = parseJunit(input, { file: 'bad.xml', ...opts });
  if (r.ok) throw new Error('accepted');
  return r.error;
}

const DTD_REFUSED = /<!DOCTYPE> is not accepted: a JUnit or TRX file never needs a DTD/;

describe('DTDs and entities', () => {
  it('billion laughs is refused before any entity is read', () => {
    const lol = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n${[...Array(9)].map((_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n')}\n]>\n<testsuite name="&lol9;"/>`;
    expect(reject(lol)).toEqual({ file: 'bad.xml', line: 2, column: 1, message: expect.stringMatching(DTD_REFUSED) });
  });

  it('an external entity (SYSTEM file:///etc/passwd) is refused, nothing read', () => {
    const e = reject('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuite name="&xxe;"/>');
    expect(e).toMatchObject({ line: 1, column: 22, message: expect.stringMatching(DTD_REFUSED) });
    expect(JSON.stringify(e)).not.toContain('root:');
  });

  it('parameter entities are refused', () => {
    expect(reject('<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1/evil.dtd"> %p;]><testsuite/>').message).toMatch(DTD_REFUSED);
  });

  it('a bare <!ENTITY before the root is refused by name', () => {
    expect(reject('<!ENTITY x "y"><testsuite/>').message).toMatch(/^<!ENTITY> is not accepted/);
  });

  it('<!DOCTYPE split across chunks is still seen', () => {
    const p = createJunitParser({ file: 'bad.xml' });
    p.write('<?xml version="1.0"?>\n<!DOC');
    expect(() => {
      p.write('TYPE r [<!ENTITY a "b">]><testsuite/>');
      p.end();
    }).toThrow(JunitParseError);
  });

  it('undefined entities and Object.prototype names are errors, never expanded', () => {
    expect(reject('<testsuite name="&xxe;"/>').message).toBe('undefined entity.');
    expect(reject('<testsuite><testcase name="&constructor;"/></testsuite>').message).toBe('undefined entity.');
    expect(reject('<testsuite><testcase name="&__proto__;"/></testsuite>').message).toBe('undefined entity.');
  });

  it('the five predefined entities and character references are decoded', () => {
    const r = parseJunit('<testsuite><testcase name="a&amp;b&lt;c&gt;d&quot;e&apos;f&#65;&#x42;"/></testsuite>', { file: 'ok.xml' });
    expect(r.ok && r.report.cases[0]?.identity.name).toBe('a&b<c>d"e\'fAB');
  });

  it('a 10 MB flood of &#65; in a failure body is bounded to the detail limit', () => {
    const flood = '&#65;'.repeat(2 * 1024 * 1024);
    const r = parseJunit(`<testsuite><testcase name="t"><failure message="m">${flood}</failure></testcase></testsuite>`, { file: 'flood.xml' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.report.cases[0]?.attempts[0]?.detail).toBe('A'.repeat(65_536));
    expect(r.report.warnings).toEqual([{ line: 1, message: '<failure> text truncated to 65536 characters (was 65537)' }]);
  }, 60_000); // ~1 s idle; 5 s was exceeded at load average 11
});

describe('limits', () => {
  it('depth 100,000 is rejected at the limit', () => {
    expect(reject(`<testsuite>${'<a>'.repeat(100_000)}`)).toMatchObject({ line: 1, message: 'elements nested deeper than 256' });
  });

  it('element limit', () => {
    const xml = `<testsuite>${'<testcase name="x"/>'.repeat(200)}</testsuite>`;
    expect(reject(xml, { limits: { maxElements: 100 } }).message).toBe('more than 100 elements');
    expect(parseJunit(xml, { file: 'ok.xml', limits: { maxElements: 201 } }).ok).toBe(true);
  });

  it('byte limit', () => {
    expect(reject(bytes('<testsuite>', ' '.repeat(2000), '</testsuite>'), { limits: { maxBytes: 1000 } }).message).toBe('file larger than 1000 bytes');
  });

  it('long names are truncated with a warning, and warnings stop growing at the cap', () => {
    const long = 'n'.repeat(5000);
    const cases = [...Array(150)].map((_, i) => `<testcase name="${long}${i}"/>`).join('');
    const r = parseJunit(`<testsuite>${cases}</testsuite>`, { file: 'long.xml' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.report.cases[0]?.identity.name).toBe('n'.repeat(1024));
    expect(r.report.cases).toHaveLength(1); // all 150 names are equal after truncation
    expect(r.report.warnings).toHaveLength(101);
    expect(r.report.warnings[0]).toEqual({ line: 1, message: 'testcase name truncated to 1024 characters (was 5001)' });
    expect(r.report.warnings[100]).toEqual({ line: null, message: '50 more warning(s) not shown' });
  });
});

describe('broken files', () => {
  it('invalid UTF-8 is rejected at its line and column', () => {
    expect(reject(bytes('<testsuite>\n  <testcase name="ok', [0xc3, 0x28], '"/></testsuite>'))).toEqual({ file: 'bad.xml', line: 2, column: 21, message: 'invalid UTF-8' });
    expect(reject(bytes('<testsuite name="', [0xc0, 0xaf], '"/>')).message).toBe('invalid UTF-8'); // overlong
    expect(reject(bytes('<testsuite name="', [0xed, 0xa0, 0x80], '"/>')).message).toBe('invalid UTF-8'); // surrogate
  });

  it('a character split across chunks is fine; a file ending inside one is not', () => {
    const all = bytes('<testsuite><testcase name="café"/></testsuite>');
    const cut = all.indexOf(0xc3) + 1;
    const p = createJunitParser({ file: 'split.xml' });
    p.write(all.subarray(0, cut));
    p.write(all.subarray(cut));
    expect(p.end().cases[0]?.identity.name).toBe('café');
    const q = createJunitParser({ file: 'cut.xml' });
    q.write(all.subarray(0, cut));
    expect(() => q.end()).toThrow(/ends inside a character/);
  });

  it('a BOM is skipped; UTF-16 is refused with a clear message', () => {
    expect(parseJunit(bytes([0xef, 0xbb, 0xbf], '<testsuite/>'), { file: 'bom.xml' }).ok).toBe(true);
    expect(reject(bytes([0xff, 0xfe], '<')).message).toBe('UTF-16 files are not supported: save the report as UTF-8');
  });

  it('a truncated file is rejected whole, with its position', () => {
    expect(reject('<testsuites>\n<testsuite name="s">\n<testcase name="a"/>\n<testcase name="b">')).toEqual({ file: 'bad.xml', line: 4, column: 19, message: 'unclosed tag: testcase' });
    expect(reject('<testsuite><testcase name="a"').message).toMatch(/unclosed|unexpected end/);
  });

  it('empty files, other roots and garbage after the root are rejected', () => {
    expect(reject('').message).toBe('document must contain a root element.');
    expect(reject('<html><body/></html>').message).toBe('not a JUnit or TRX report: the root element is <html>');
    expect(reject('<testsuite/><testsuite/>').message).toBe('documents may contain only one root.');
  });

  it('after a failure the parser stays failed', () => {
    const p = createJunitParser({ file: 'bad.xml' });
    expect(() => p.write('<testsuite><</testsuite>')).toThrow(JunitParseError);
    expect(() => p.write('<testsuite/>')).toThrow(JunitParseError);
    expect(() => p.end()).toThrow(JunitParseError);
  });
});
