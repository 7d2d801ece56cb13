import { describe, expect, it } from 'vitest';
import { parseAudit, auditFormatOf } from './audit';
import { SoakParseError } from './errors';
import { parseSoakFile } from './files';
import { SAMPLE_LIMITS } from './samples';

const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof SoakParseError) return e.message;
    throw e;
  }
  throw new Error('did not throw');
};

describe('resource samples', () => {
  it('CSV: units normalised (kB, bytes, GB → MB), times in ISO, epoch seconds or ms, sorted', () => {
    const f = parseSoakFile('r.csv', 'ts,rss_kb,disk_bytes,cpu_percent,num_fds\n1764547500,2048,1048576,12.5%,7\n2025-12-01T00:00:00Z,1024,2097152,10,8\n');
    if (f.kind !== 'samples') throw new Error(f.kind);
    expect(f.samples.map((s) => [s.t, s.rssMb, s.diskMb, s.cpuPct, s.openFds])).toEqual([[Date.parse('2025-12-01T00:00:00Z'), 1, 2, 10, 8], [1764547500000, 2, 1, 12.5, 7]]);
    expect(f.warnings).toEqual(['samples were not in time order; sorted']);
    const g = parseSoakFile('r.jsonl', '{"timestamp": 1764547500000, "rss": 1048576, "disk_gb": 1.5, "threads": 9}\n');
    if (g.kind !== 'samples') throw new Error(g.kind);
    expect(g.samples[0]).toMatchObject({ t: 1764547500000, rssMb: 1, diskMb: 1536, threads: 9 });
  });

  it('CSV errors name the line and column', () => {
    expect(err(() => parseSoakFile('r.csv', 'timestamp,rss_mb\n2026-12-01T00:00:00Z,1\n2026-12-01T00:01:00Z,-3\n'))).toBe('r.csv: line 3, column "rss_mb": -3 is negative');
    expect(err(() => parseSoakFile('r.csv', 'timestamp,rss_mb\n2026-12-01T00:00:00Z,1,9\n'))).toMatch(/^r\.csv: line 2: bad CSV: /);
    expect(err(() => parseSoakFile('r.csv', 'timestamp,open_fds\n2026-12-01T00:00:00Z,1.5\n'))).toBe('r.csv: line 2, column "open_fds": 1.5 is not a whole number (a count)');
    expect(err(() => parseSoakFile('r.csv', 'when,rss_mb\nx,1\n'))).toMatch(/^r\.csv: line 1: the header names no time column/);
    expect(err(() => parseSoakFile('r.csv', 'timestamp,foo\nx,1\n'))).toMatch(/names no known metric column/);
    expect(err(() => parseSoakFile('r.csv', 'timestamp,rss_mb\n1999-01-01T00:00:00Z,1\n'))).toBe('r.csv: line 2, column "timestamp": "1999-01-01T00:00:00Z" is not a time between 2000 and 2100');
    expect(err(() => parseSoakFile('r.csv', 'timestamp,rss_mb\n"2026-12-01,1\n'))).toMatch(/^r\.csv: line 2, column 1: bad CSV: Quote Not Closed/);
  });

  it('caps rows and columns and line length', { timeout: 60_000 }, () => {
    const header = Array.from({ length: SAMPLE_LIMITS.maxColumns + 1 }, (_, i) => `c${i}`).join(',');
    expect(err(() => parseSoakFile('r.csv', `timestamp,rss_mb,${header}\n`))).toMatch(/more than 64 columns/);
    const rows = Array.from({ length: SAMPLE_LIMITS.maxSamples + 1 }, (_, i) => `${i},1`).join('\n');
    expect(err(() => parseSoakFile('r.csv', `t,rss_mb\n${rows}\n`))).toMatch(/more than 200000 samples in one file/);
    expect(err(() => parseSoakFile('r.jsonl', `{"t": 1, "rss_mb": 1, "x": "${'a'.repeat(9000)}"}\n`))).toBe('r.jsonl: line 1: longer than 8192 characters');
  });

  it('JSON lines errors name the line (and the field)', () => {
    expect(err(() => parseSoakFile('r.jsonl', '{"t": 1, "rss_mb": 1}\n\n{"t": 2, "rss_mb": "x"}\n'))).toBe('r.jsonl: line 3, field "rss_mb": "x" is not a number');
    expect(err(() => parseSoakFile('r.jsonl', '{"t": 1, "rss_mb": 1}\n{nope\n'))).toMatch(/^r\.jsonl: line 2: not JSON/);
    expect(err(() => parseSoakFile('r.jsonl', '[1]\n'))).toBe('r.jsonl: line 1: must be a JSON object');
    expect(err(() => parseSoakFile('r.jsonl', '{"rss_mb": 1}\n'))).toMatch(/^r\.jsonl: line 1: no time field/);
    expect(err(() => parseSoakFile('r.jsonl', '\n\n'))).toBe('r.jsonl: no samples');
  });

  it('a depth bomb in a .json file is a rejected file, not a crash', () => {
    expect(err(() => parseSoakFile('r.json', `${'['.repeat(200_000)}${']'.repeat(200_000)}`))).toMatch(/^r\.json: (nested too deeply|\[0\]: must be an object)$/);
  });
});

describe('resources.analysis.json', () => {
  it('reads the seed shape', () => {
    const f = parseSoakFile('resources.analysis.json', JSON.stringify({ memory_leak_detected: true, memory_growth_mb_per_hour: 50.5, memory_stats: { rss_start_mb: 150, rss_end_mb: 1200, rss_max_mb: 1250 } }));
    expect(f).toMatchObject({ kind: 'summary', summary: { memoryLeakDetected: true, memoryGrowthMbPerHour: 50.5, rssStartMb: 150, rssEndMb: 1200, rssMaxMb: 1250 } });
  });
  it('names the bad field', () => {
    expect(err(() => parseSoakFile('a.json', '{"memory_leak_detected": "yes"}'))).toBe('a.json: memory_leak_detected: "yes" is not true or false');
    expect(err(() => parseSoakFile('a.json', '{"memory_stats": {"rss_end_mb": "big"}}'))).toBe('a.json: memory_stats.rss_end_mb: "big" is not a number');
  });
});

describe('security audit reports', () => {
  it('npm audit v7+ (vulnerabilities by package) and the old advisories shape', () => {
    const v7 = { auditReportVersion: 2, vulnerabilities: { lodash: { severity: 'critical', via: [] }, minimist: { severity: 'moderate', via: [] }, y: { severity: 'high', via: [] } }, metadata: {} };
    expect(parseAudit('a', v7, auditFormatOf(v7)!).counts).toEqual({ critical: 1, high: 1, medium: 1, low: 0, info: 0, unrated: 0 });
    const v6 = { advisories: { 1065: { severity: 'high', module_name: 'lodash' }, 2: { severity: 'low', module_name: 'x' } }, metadata: {} };
    expect(auditFormatOf(v6)).toBe('npm-audit');
    expect(parseAudit('a', v6, 'npm-audit').counts).toMatchObject({ high: 1, low: 1 });
  });
  it('pip-audit (no severity: unrated), cargo audit, and the generic list', () => {
    const pip = { dependencies: [{ name: 'jinja2', version: '2.0', vulns: [{ id: 'PYSEC-1', fix_versions: ['3'] }] }, { name: 'ok', version: '1', vulns: [] }] };
    expect(auditFormatOf(pip)).toBe('pip-audit');
    expect(parseAudit('a', pip, 'pip-audit').counts).toMatchObject({ unrated: 1 });
    const cargo = { vulnerabilities: { found: true, count: 1, list: [{ advisory: { id: 'RUSTSEC-2020-0071', package: 'time' } }] } };
    expect(auditFormatOf(cargo)).toBe('cargo-audit');
    expect(parseAudit('a', cargo, 'cargo-audit')).toMatchObject({ counts: { unrated: 1 }, findings: [{ id: 'RUSTSEC-2020-0071', package: 'time' }] });
    const generic = { vulnerabilities: [{ id: 'CVE-1', package: 'x', severity: 'HIGH' }] };
    expect(parseSoakFile('pip-audit-report.json', JSON.stringify(generic))).toMatchObject({ kind: 'audit', audit: { counts: { high: 1 } } });
  });
});

describe('odd but valid files', () => {
  it('a BOM, CRLF line ends, blank lines and seconds-since-start times', () => {
    const f = parseSoakFile('r.csv', '\uFEFFelapsed_s,rss_mb\r\n0,100\r\n\r\n60,101\r\n');
    expect(f).toMatchObject({ kind: 'samples', samples: [{ t: 0, rssMb: 100 }, { t: 60_000, rssMb: 101 }] });
  });
  it('JSON lines in a file not named .jsonl, and a JSON array of samples', () => {
    expect(parseSoakFile('resources.log', '{"t": 1, "rss_mb": 1}\n{"t": 2, "rss_mb": 2}\n')).toMatchObject({ kind: 'samples', format: 'jsonl' });
    expect(parseSoakFile('r.json', '{"samples": [{"t": 1, "rss_mb": 1}]}')).toMatchObject({ kind: 'samples', format: 'json' });
    expect(err(() => parseSoakFile('r.json', '{"hello": 1}'))).toMatch(/^r\.json: not a soak file Steward knows/);
  });
});
