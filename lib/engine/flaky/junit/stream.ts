/**
 * Streaming XML events for JUnit/TRX files, with the safety rules of issue 9. Pure: bytes or string
 * chunks in, element events out; no fs, net, clock or env.
 *
 * Why saxes (6.0.0): it is the strict, well-formedness-checking SAX parser that jsdom uses (one of
 * the most downloaded XML parsers on npm, one dependency, `xmlchars`). It rejects every malformed
 * document, which "a bad file is rejected whole" needs; it reports line and column; it never reads
 * a DTD and knows no entity beyond the five predefined ones and character references (an undefined
 * entity is an error, never passed through). Checked (2026): `npm audit` reports nothing for saxes
 * or xmlchars, and a search of advisory and issue threads found no advisory against them; the sax
 * family's stance on DTDs is confirmed in sax-js issue #243. Its one flaw found here (the default
 * entity map inherits from Object.prototype) is closed below. Rejected: `sax` (maintained, but its
 * strict mode "does a little validation, not much", so truncated or malformed files could pass),
 * `htmlparser2` in xmlMode (forgiving by design: accepts unclosed tags), `ltx` (an XMPP DOM
 * builder, not a streaming reader with positions).
 *
 * What this layer adds on top of saxes:
 * - UTF-8 is validated here, byte by byte across chunk boundaries, so an invalid byte is reported
 *   with the line and column where it starts (TextDecoder alone says neither);
 * - `<!DOCTYPE` and `<!ENTITY` are refused before saxes sees them (no DTD is ever parsed);
 * - limits on bytes, elements and depth; saxes's internal buffers (text, CDATA, comments, names,
 *   attributes) are bounded after every piece, so one 500 MB text node cannot sit in memory.
 */
import { SaxesParser } from 'saxes';
import type { ParseLimits } from './limits';

/** A structural problem that rejects the whole file. Line and column are 1-based. */
export class XmlParseError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
  }
}

/** Receives element events. `capturing` says whether text of the current element is wanted. */
export interface XmlSink {
  open(name: string, attrs: Readonly<Record<string, string>>, line: number): void;
  close(name: string): void;
  text(chunk: string): void;
  readonly capturing: boolean;
}

/** Longest piece handed to saxes at once: internal buffers are checked between pieces. */
const PIECE = 65_536;
/** saxes's text buffer (text, CDATA, comment, attribute value) never grows past this. */
const MAX_INTERNAL_TEXT = 1 << 20;
const MAX_INTERNAL_NAME = 65_536;
const MAX_ATTRIBUTES = 10_000;
const DTD = /<!(DOCTYPE|ENTITY)/;
/** Held back before the root opens so `<!DOCTYPE` split across chunks is still seen. */
const HOLD = 9;

/**
 * saxes keeps these private; they are read (and the text one trimmed) only to bound memory.
 * The fields exist in saxes 6 (`text`, `name`, `attribList`, `ENTITIES`).
 */
interface SaxesInternals {
  text: string;
  name: string;
  attribList: unknown[];
  ENTITIES: Record<string, string>;
}

/**
 * Feeds chunks to saxes and forwards element events to `sink`.
 * Contract: `write` any number of times, then `end` once. Both throw `XmlParseError` on the first
 * problem (malformed XML, invalid UTF-8, DTD, a limit); after a throw the stream is dead.
 */
export class XmlStream {
  // Namespaces off: element and attribute names arrive as written (`xsi:noNamespaceSchemaLocation`).
  private readonly sax = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly utf8 = new Utf8Validator();
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private bytes = 0;
  private elements = 0;
  private depth = 0;
  private sawRoot = false;
  private held = '';
  private textOn = false;

  constructor(
    private readonly sink: XmlSink,
    private readonly limits: ParseLimits,
  ) {
    const internals = this.sax as unknown as SaxesInternals;
    // Only the five predefined entities, on a prototype-free object: saxes's default map inherits
    // from Object.prototype, so `&constructor;` would otherwise "expand" to a function's source.
    internals.ENTITIES = Object.assign(Object.create(null) as Record<string, string>, { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });
    this.sax.on('error', (e) => {
      throw this.error(e.message.replace(/^\d+:\d+: /, ''));
    });
    this.sax.on('doctype', () => {
      throw this.error(dtdMessage('DOCTYPE'));
    });
    this.sax.on('opentagstart', () => {
      this.sawRoot = true;
      if (++this.elements > this.limits.maxElements) throw this.error(`more than ${this.limits.maxElements} elements`);
      if (++this.depth > this.limits.maxDepth) throw this.error(`elements nested deeper than ${this.limits.maxDepth}`);
    });
    this.sax.on('opentag', (tag) => {
      this.sink.open(tag.name, tag.attributes, this.sax.line);
      this.syncText();
      if (tag.isSelfClosing) this.closed(tag.name);
    });
    this.sax.on('closetag', (tag) => {
      if (!tag.isSelfClosing) this.closed(tag.name);
    });
    this.sax.on('cdata', (t) => {
      if (this.sink.capturing) this.sink.text(t);
    });
  }

  /** Feeds bytes (UTF-8, BOM allowed) or already-decoded text. */
  write(chunk: Uint8Array | string): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxBytes) throw this.error(`file larger than ${this.limits.maxBytes} bytes`);
    if (typeof chunk === 'string') {
      if (this.utf8.incomplete) throw this.error('text chunk after an incomplete UTF-8 sequence', true);
      this.feed(chunk);
      return;
    }
    if (this.bytes === chunk.length && chunk[0] === 0xff && chunk[1] === 0xfe) throw new XmlParseError('UTF-16 files are not supported: save the report as UTF-8', 1, 1);
    const bad = this.utf8.check(chunk);
    if (bad >= 0) {
      this.feed(this.decoder.decode(chunk.subarray(0, bad), { stream: true }));
      this.flushHeld();
      throw this.error('invalid UTF-8', true);
    }
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** Ends the document: a truncated file (unclosed elements, cut UTF-8, no root) throws here. */
  end(): void {
    if (this.utf8.incomplete) {
      this.flushHeld();
      throw this.error('invalid UTF-8: the file ends inside a character', true);
    }
    this.flushHeld();
    this.sax.close();
  }

  private closed(name: string): void {
    this.depth--;
    this.sink.close(name);
    this.syncText();
  }

  /** Text is only collected by saxes while a handler is set: set one only when the sink wants it. */
  private syncText(): void {
    const want = this.sink.capturing;
    if (want === this.textOn) return;
    this.textOn = want;
    if (want) this.sax.on('text', (t) => this.sink.text(t));
    else this.sax.off('text');
  }

  private feed(text: string): void {
    if (this.held) {
      text = this.held + text;
      this.held = '';
    }
    if (!this.sawRoot) {
      const m = DTD.exec(text);
      if (m) {
        this.piece(text.slice(0, m.index));
        if (!this.sawRoot) throw this.error(dtdMessage(m[1] ?? 'DOCTYPE'), true);
        text = text.slice(m.index);
      } else {
        this.held = text.slice(Math.max(0, text.length - HOLD));
        text = text.slice(0, text.length - this.held.length);
      }
    }
    for (let i = 0; i < text.length; i += PIECE) this.piece(text.slice(i, i + PIECE));
  }

  private flushHeld(): void {
    const h = this.held;
    this.held = '';
    if (h) this.piece(h);
  }

  private piece(text: string): void {
    if (!text) return;
    this.sax.write(text);
    const internals = this.sax as unknown as SaxesInternals;
    // Fields are bounded far below this by the model; a longer buffer only needs to stay long.
    if (internals.text.length > MAX_INTERNAL_TEXT) internals.text = internals.text.slice(0, MAX_INTERNAL_TEXT);
    if (internals.name.length > MAX_INTERNAL_NAME) throw this.error(`name longer than ${MAX_INTERNAL_NAME} characters`);
    if (internals.attribList.length > MAX_ATTRIBUTES) throw this.error(`more than ${MAX_ATTRIBUTES} attributes on one element`);
  }

  /**
   * saxes's column is the 0-based index of the next character, so it is also the 1-based column of
   * the character just read (where saxes and the event limits find problems); `ahead` points at the
   * next, unread character instead (an invalid byte, a `<!DOCTYPE` not yet fed).
   */
  private error(message: string, ahead = false): XmlParseError {
    return new XmlParseError(message, this.sax.line, this.sax.column + (ahead ? 1 : 0));
  }
}

function dtdMessage(kind: string): string {
  return `<!${kind}> is not accepted: a JUnit or TRX file never needs a DTD, and entities are never expanded`;
}

/** UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF), across chunks. */
class Utf8Validator {
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;

  get incomplete(): boolean {
    return this.need > 0;
  }

  /** Index of the first byte that makes the stream invalid, or -1. */
  check(b: Uint8Array): number {
    let { need, lo, hi } = this;
    for (let i = 0; i < b.length; i++) {
      const c = b[i] as number;
      if (need === 0) {
        if (c < 0x80) continue;
        lo = 0x80;
        hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) need = 1;
        else if (c >= 0xe0 && c <= 0xef) {
          need = 2;
          if (c === 0xe0) lo = 0xa0;
          else if (c === 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
          need = 3;
          if (c === 0xf0) lo = 0x90;
          else if (c === 0xf4) hi = 0x8f;
        } else return i;
      } else {
        if (c < lo || c > hi) return i;
        need--;
        lo = 0x80;
        hi = 0xbf;
      }
    }
    this.need = need;
    this.lo = lo;
    this.hi = hi;
    return -1;
  }
}
