import { describe, expect, it } from 'vitest';
import { fromLocalInput, initialValues, serverErrors, toInput } from '@/components/cron/form-model';
import { crontabFields, slugPingUrl, snippets } from '@/components/cron/snippets';
import { checkInputSchema } from '@/lib/services/cron/input';

const base = () => ({ ...initialValues(), name: 'nightly backup' });

describe('cron form model', () => {
  it('turns human durations into the seconds the schema takes', () => {
    const { input, errors } = toInput({ ...base(), period: '1h 30m', grace: '5m', maxRuntime: '30m', minRuntime: '10s', tags: 'prod, backups prod' });
    expect(errors).toEqual({});
    expect(input).toMatchObject({ schedule: { kind: 'period', periodSeconds: 5400, graceSeconds: 300 }, maxRuntimeSeconds: 1800, minRuntimeSeconds: 10, tags: ['prod', 'backups'], failureThreshold: 1 });
    expect(checkInputSchema.safeParse(input).success).toBe(true);
  });

  it('reports a bad duration, a short period and an empty name next to their fields', () => {
    const { input, errors } = toInput({ ...base(), name: ' ', period: '30s', grace: '1x' });
    expect(input).toBeNull();
    expect(errors.name).toBe('Name is required.');
    expect(errors.period).toBe('Period must be at least 1m.');
    expect(errors.grace).toMatch(/^Grace: "1x" is not a duration/);
  });

  it('reads maintenance windows as UTC and refuses an end before the start', () => {
    expect(fromLocalInput('2026-03-29T03:30')?.toISOString()).toBe('2026-03-29T03:30:00.000Z');
    expect(fromLocalInput('nope')).toBeNull();
    const ok = toInput({ ...base(), maintenance: [{ key: 0, start: '2026-03-29T03:30', end: '2026-03-29T05:00' }] });
    expect(ok.input?.maintenance).toEqual([{ start: '2026-03-29T03:30:00.000Z', end: '2026-03-29T05:00:00.000Z' }]);
    const bad = toInput({ ...base(), maintenance: [{ key: 0, start: '2026-03-29T05:00', end: '2026-03-29T03:30' }] });
    expect(bad.errors.maintenance0).toBe('The end must be after the start.');
  });

  it('sends a freshness check without the hidden ping-only fields', () => {
    const { input, errors } = toInput({ ...base(), type: 'freshness', period: 'bad', slug: 'x', artifactPath: 'reports/nightly_*.json', maxAge: '36h' });
    expect(errors).toEqual({});
    expect(input).toMatchObject({ type: 'freshness', slug: null, pingKeyId: null, schedule: { kind: 'period', periodSeconds: 86_400 }, artifactPath: 'reports/nightly_*.json', maxAgeSeconds: 129_600 });
  });

  it('puts the action’s issues on the form’s fields, with the field’s name', () => {
    const { fields, rest } = serverErrors([
      { field: 'check.schedule.expression', message: '"61 * * * *": minute must be 0–59' },
      { field: 'schedule.timezone', message: 'is required (an IANA time zone such as UTC or Europe/Riga)' },
      { field: 'name', message: 'already used by another check' },
      { field: 'maintenance[1].end', message: 'must be after the start' },
      { field: 'cursor', message: 'odd' },
    ]);
    expect(fields).toEqual({
      expression: '"61 * * * *": minute must be 0–59.',
      timezone: 'Time zone is required (an IANA time zone such as UTC or Europe/Riga).',
      name: 'Name: already used by another check.',
      maintenance1: 'Window 2 end must be after the start.',
    });
    expect(rest).toEqual(['cursor: odd']);
  });
});

describe('cron snippets', () => {
  it('derive a crontab schedule only when the period maps onto one exactly', () => {
    expect(crontabFields({ kind: 'period', periodSeconds: 300, graceSeconds: 60 })).toBe('*/5 * * * *');
    expect(crontabFields({ kind: 'period', periodSeconds: 3600, graceSeconds: 60 })).toBe('0 * * * *');
    expect(crontabFields({ kind: 'period', periodSeconds: 86_400, graceSeconds: 60 })).toBe('0 0 * * *');
    expect(crontabFields({ kind: 'period', periodSeconds: 7 * 60, graceSeconds: 60 })).toBe('MIN HOUR DOM MON DOW');
    expect(crontabFields({ kind: 'cron', expression: '15 5 * * *', timezone: 'Europe/Riga', graceSeconds: 60 })).toBe('15 5 * * *');
  });

  it('keep the Healthchecks one-liner unchanged except for the host', () => {
    const url = 'https://steward.example.com/ping/5f1c';
    const crontab = snippets(url, { kind: 'cron', expression: '15 5 * * *', timezone: 'Europe/Riga', graceSeconds: 3600 }).find((s) => s.id === 'crontab')!;
    expect(crontab.text).toBe('15 5 * * * /path/to/job.sh && curl -fsS -m 10 --retry 5 -o /dev/null https://steward.example.com/ping/5f1c');
    expect(crontab.hint).toContain('CRON_TZ=Europe/Riga');
    expect(slugPingUrl('https://s.example/', null, 'my job')).toBe('https://s.example/ping/<ping-key>/my%20job');
  });

  it('the GitHub Actions step pings on success and reports /fail for any other job status', () => {
    const url = 'https://steward.example.com/ping/5f1c';
    const step = snippets(url, { kind: 'period', periodSeconds: 3600, graceSeconds: 60 }).find((x) => x.id === 'github')!;
    expect(step.text).toMatch(/^- name: Report to Steward\n {2}if: \$\{\{ always\(\) \}\}\n {2}run: curl -fsS -m 10 --retry 5 -o \/dev\/null "https:\/\/steward\.example\.com\/ping\/5f1c\$\{\{ .* \}\}"$/);
    // Evaluate the expression as GitHub does (its &&, || and falsy '' are JavaScript's; == and != compare strings).
    const expr = /\$\{\{ (job\.status .*?) \}\}"$/.exec(step.text)![1]!;
    const suffix = (status: string) => new Function(`return ${expr.replace('job.status', JSON.stringify(status)).replace(/!=/g, '!==').replace(/([^!])==/g, '$1===')}`)() as string;
    expect(['success', 'failure', 'cancelled'].map(suffix)).toEqual(['', '/fail', '/fail']);
  });

  it('wget pings the same URL, quietly, with a timeout and retries', () => {
    const wget = snippets('https://s.example/ping/ab', { kind: 'period', periodSeconds: 60, graceSeconds: 60 }).find((x) => x.id === 'wget')!;
    expect(wget.text).toBe('wget -q -T 10 -t 5 -O /dev/null https://s.example/ping/ab');
  });
});
