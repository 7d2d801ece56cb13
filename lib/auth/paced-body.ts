/**
 * Request bodies read at the reader's pace, for the routes that stream large uploads.
 *
 * Next.js hands a route handler a body stream that it fills from the Node request's `data` events
 * with no backpressure (`NodeNextRequest.stream()` enqueues every chunk as it arrives): a 200 MB
 * JUnit upload came in as fast as the network delivered it and waited in memory while the parser
 * worked through it — the server's peak RSS grew by ~520 MiB for a 211 MB file
 * (bench/flaky-ingest.ts with BENCH_HTTP=1), and several uploads at once could take the process down.
 *
 * `installPacedBodyHook()` (instrumentation.ts) subscribes to Node's `http.server.request.start`
 * diagnostics channel, which fires before the server's request listener, and for the paths in
 * PACED_PATHS pauses the request and tags it with a random ticket header. An explicitly paused
 * Node stream is not resumed when a `data` listener is added, so Next's listener receives nothing
 * until `pacedRequest(req)` asks: the body it returns resumes the request only while a read is
 * waiting and pauses it again once a chunk has arrived. Node then stops reading the socket, and
 * TCP slows the sender: what sits in memory is a few chunks, not the body.
 *
 * Any ticket header a client sends is removed (on every path), and a ticket is 128 random bits
 * held only for the request's life, so no request can name another's body. A body that is left
 * unread (refused before reading, or cancelled part-way) is discarded once the response ends, as
 * Node itself does for unread bodies.
 */
import { randomBytes } from 'node:crypto';
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export const PACED_HEADER = 'x-steward-body-ticket';

/**
 * Node ends a request whose body has not fully arrived 300 s after it began (`requestTimeout`,
 * Next leaves the default). Read at the parser's pace, a 512 MiB upload on a loaded machine can
 * take longer than that to arrive, so the first paced request raises its server's limit to this.
 * Slow headers are still cut at Node's `headersTimeout` (60 s), and every body has its size limit.
 */
export const PACED_REQUEST_TIMEOUT_MS = 30 * 60_000;

/** Routes that read their body through `pacedRequest` (every one of them must, or it gets none). */
export const PACED_PATHS: ReadonlySet<string> = new Set(['/api/v1/test-results']);

// On globalThis: instrumentation and each route are bundled separately, but share the process.
const g = globalThis as unknown as { __stewardPaced?: Map<string, IncomingMessage> };

/** Reads nothing more from `msg` and lets what the client still sends be dropped. */
function discard(msg: IncomingMessage): void {
  msg.removeAllListeners('data');
  msg.resume();
}

const pathOf = (url: string | undefined) => {
  const u = url ?? '';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
};

/** Called for every request before the server's listener (also by tests, with a plain http server). */
export function pacedBodyStart(request: IncomingMessage, response: ServerResponse | undefined, paused: Map<string, IncomingMessage>, server?: Server): void {
  delete request.headers[PACED_HEADER];
  if (!PACED_PATHS.has(pathOf(request.url))) return;
  if (server && server.requestTimeout > 0 && server.requestTimeout < PACED_REQUEST_TIMEOUT_MS) server.requestTimeout = PACED_REQUEST_TIMEOUT_MS;
  const ticket = randomBytes(16).toString('base64url');
  request.pause();
  request.headers[PACED_HEADER] = ticket;
  paused.set(ticket, request);
  const done = () => {
    paused.delete(ticket);
    if (!request.complete) discard(request);
  };
  if (response) {
    response.once('finish', done);
    response.once('close', done);
  } else request.once('close', () => paused.delete(ticket));
}

export function installPacedBodyHook(): void {
  if (g.__stewardPaced) return;
  const paused = new Map<string, IncomingMessage>();
  dc.subscribe('http.server.request.start', (message) => {
    const { request, response, server } = message as { request: IncomingMessage; response?: ServerResponse; server?: Server };
    pacedBodyStart(request, response, paused, server);
  });
  g.__stewardPaced = paused;
}

/** For tests driving a plain http server: the registry the hook would fill. */
export function pacedRegistryForTests(): Map<string, IncomingMessage> {
  return (g.__stewardPaced ??= new Map());
}

/**
 * The body of `body` (Next's stream for the request `msg`), pulled: `msg` flows only while a read
 * is waiting. Cancelling it discards the rest of the upload.
 */
export function pacedStream(body: ReadableStream<Uint8Array>, msg: IncomingMessage): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        msg.resume();
        try {
          const { done, value } = await reader.read();
          if (done) c.close();
          else c.enqueue(value);
        } finally {
          msg.pause();
        }
      },
      cancel(reason) {
        discard(msg);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * `req` with its body read at the reader's pace when the hook paused it; `req` itself otherwise
 * (no hook: tests calling handlers directly, or `next dev`'s first requests).
 */
export function pacedRequest(req: Request): Request {
  const ticket = req.headers.get(PACED_HEADER);
  const msg = ticket ? g.__stewardPaced?.get(ticket) : undefined;
  if (!msg || !req.body) return req;
  return new Request(req.url, { method: req.method, headers: req.headers, body: pacedStream(req.body, msg), duplex: 'half', signal: req.signal } as RequestInit);
}
