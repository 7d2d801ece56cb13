import { describe, expect, it } from 'vitest';
import { isKindPattern, kindMatches, type NotificationEvent } from './kinds';
import { oneLine, slackEscape, truncate } from './escape';
import { renderEmail, renderSlack, renderWebhook } from './render';
import { matchChannels } from './rules';

const HOSTILE = 'test <!here> & <@U123> @channel @Everyone <https://evil.example|click> </script><script>x</script>\r\nBcc: victim@example.com\u2028end';
const event = (over: Partial<NotificationEvent> = {}): NotificationEvent => ({
  kind: 'flaky.quarantined',
  eventId: 'ev-1',
  occurredAt: '2026-12-03T10:00:00.000Z',
  project: 'alpha',
  subject: { type: 'test', id: 't-1', name: HOSTILE },
  summary: `2 flakes in 7 days: ${HOSTILE}`,
  details: [{ label: 'Class', value: 'pkg.Foo' }],
  url: 'https://steward.example/flaky/alpha/tests/t-1',
  ...over,
});

describe('escaping', () => {
  it('slack: entities for & < >, mentions neutralised, control characters gone', () => {
    const s = slackEscape(HOSTILE);
    expect(s).not.toMatch(/[<>]/);
    expect(s).toContain('&lt;!here&gt; &amp; &lt;@U123&gt;');
    expect(s).toContain('@\u200bchannel @\u200bEveryone');
    expect(s).not.toMatch(/[\r\u2028]/);
    expect(slackEscape('a@channelx @here.')).toBe('a@channelx @\u200bhere.');
  });
  it('oneLine removes CR, LF, tab, NUL and line separators; truncate keeps surrogate pairs whole', () => {
    expect(oneLine('a\r\nb\tc\u0000d\u2029e', 100)).toBe('a b c d e');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('webhook JSON', () => {
  it('has the documented version-1 shape and round-trips hostile strings exactly, without raw < > &', () => {
    const m = renderWebhook(event(), 'del-1');
    expect(m.contentType).toBe('application/json');
    expect(m.body).not.toMatch(/[<>&\u2028]/);
    const p = JSON.parse(m.body);
    expect(Object.keys(p)).toEqual(['version', 'kind', 'label', 'severity', 'eventId', 'deliveryId', 'occurredAt', 'project', 'subject', 'title', 'summary', 'details', 'url', 'test']);
    expect(p).toMatchObject({ version: 1, kind: 'flaky.quarantined', label: 'Test quarantined', severity: 'warning', eventId: 'ev-1', deliveryId: 'del-1', project: 'alpha', test: false });
    expect(p.subject.name).toBe(HOSTILE);
    expect(p.title).toBe(`Test quarantined: ${HOSTILE}`);
  });
  it('drops a link that is not a plain http(s) URL', () => {
    expect(JSON.parse(renderWebhook(event({ url: 'javascript:alert(1)' }), 'd').body).url).toBeNull();
    expect(JSON.parse(renderWebhook(event({ url: 'https://x/|<y>' }), 'd').body).url).toBeNull();
  });
});

describe('slack', () => {
  it('text and every block escape the name; no mention survives', () => {
    const p = JSON.parse(renderSlack(event()).body);
    const all = JSON.stringify(p);
    expect(all).not.toMatch(/<!here>|<@U123>|[^\u200b]@channel|<https:\/\/evil/);
    expect(p.text).toContain('Test quarantined: test &lt;!here&gt;');
    expect(p.blocks[0].text.type).toBe('mrkdwn');
    expect(p.blocks.at(-1).elements[0].text).toContain('<https://steward.example/flaky/alpha/tests/t-1|Open in Steward>');
  });
});

describe('email', () => {
  it('subject is one line with no CR/LF (no header injection); body is plain text', () => {
    const m = renderEmail(event());
    expect(m.subject).not.toMatch(/[\r\n\u2028]/);
    expect(m.subject.startsWith('[Steward] Test quarantined: test <!here>')).toBe(true);
    expect(m.subject.length).toBeLessThanOrEqual(200);
    expect(m.text).toContain('Project: alpha');
    expect(m.text).toContain('https://steward.example/flaky/alpha/tests/t-1');
    expect(m.text).not.toMatch(/\r/);
  });
  it('marks test messages', () => {
    expect(renderEmail(event({ test: true, project: null })).subject).toBe(oneLine(`[Steward] [test] Test quarantined: ${HOSTILE}`, 200));
  });
});

describe('kinds and rules', () => {
  it('patterns: exact kinds and known domain wildcards only', () => {
    expect(isKindPattern('flaky.quarantined')).toBe(true);
    expect(isKindPattern('flaky.*')).toBe(true);
    expect(isKindPattern('cron.*')).toBe(true);
    expect(isKindPattern('disk.*')).toBe(false);
    expect(isKindPattern('flaky.nope')).toBe(false);
    expect(isKindPattern('*')).toBe(false);
    expect(isKindPattern('steward.test')).toBe(false);
    expect(isKindPattern('steward.*')).toBe(false);
    expect(kindMatches('flaky.*', 'flaky.broken')).toBe(true);
    expect(kindMatches('flaky.*', 'flakyx.broken')).toBe(false);
  });
  it('routes by kind and project; a project rule never matches another project or none; disabled channels get nothing', () => {
    const channels = [{ id: 'a', enabled: true }, { id: 'b', enabled: true }, { id: 'off', enabled: false }];
    const rules = [
      { channelId: 'a', projectKey: null, kinds: ['flaky.quarantined'] },
      { channelId: 'b', projectKey: 'alpha', kinds: ['flaky.*'] },
      { channelId: 'off', projectKey: null, kinds: ['flaky.*'] },
      { channelId: 'a', projectKey: 'alpha', kinds: ['flaky.*'] },
      { channelId: 'ghost', projectKey: null, kinds: ['flaky.*'] },
    ];
    expect(matchChannels(rules, channels, { kind: 'flaky.quarantined', project: 'alpha' })).toEqual(['a', 'b']);
    expect(matchChannels(rules, channels, { kind: 'flaky.quarantined', project: 'beta' })).toEqual(['a']);
    expect(matchChannels(rules, channels, { kind: 'flaky.broken', project: 'beta' })).toEqual([]);
    expect(matchChannels(rules, channels, { kind: 'flaky.broken', project: null })).toEqual([]);
  });
});
