/**
 * Making attacker-written strings (test names, reasons from uploaded reports) safe for each
 * channel. Each function's contract is in its comment; render.test.ts pins hostile inputs.
 */

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** At most `max` characters (code points, so a surrogate pair is never split), "…" when cut. */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** One line: every control character (CR, LF, tab, NUL, U+2028/9…) becomes a space, runs collapse. */
export function oneLine(s: string, max: number): string {
  return truncate(s.replace(ANY_CONTROL, ' ').replace(/\s+/g, ' ').trim(), max);
}

/** Multi-line text: CRLF/CR → LF, other control characters dropped. */
export function plainText(s: string, max: number): string {
  return truncate(s.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_NEWLINE, ''), max);
}

/**
 * Slack mrkdwn: `&`, `<`, `>` become entities (so `<!here>`, `<@U1>`, `<http://x|y>` are shown,
 * never acted on), and bare `@channel` / `@here` / `@everyone` get a zero-width space after the
 * `@` so no client or bridge with link_names turns them into mentions. Control characters go.
 */
export function slackEscape(s: string, max = 2000): string {
  const cut = plainText(s, max);
  return cut
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, '@\u200b$1');
}

/**
 * JSON for HTTP bodies, with `<`, `>`, `&` and U+2028/U+2029 as \u escapes: the same value to
 * any JSON parser, but a receiver that pastes the body into HTML or a script gets no markup.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
