// lib/auth/paced-body.ts against a real Node http server whose handler builds the request body
// the way Next.js does (NodeNextRequest.stream(): every `data` chunk enqueued, no backpressure).
// A slow reader of a paced path must hold a few chunks at most; the same reader of any other path
// shows what Next does without the hook (the whole body queued). Tickets cannot be forged, and a
// body refused unread or cancelled part-way neither hangs the connection nor is buffered.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacedBodyHook, PACED_HEADER, PACED_REQUEST_TIMEOUT_MS, pacedRequest } from '@/lib/auth/paced-body';

type Seen = { maxQueued: number; received: number; ticket: string | null; status: number };
type Mode = 'slow' | 'refuse' | 'cancel';

let server: http.Server;
let base: string;
const seen: Seen[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** As NodeNextRequest.stream() and NextRequestAdapter do it. */
function nextStyleRequest(req: http.IncomingMessage, count: (n: number) => void): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        count(chunk.length);
        controller.enqueue(new Uint8Array(chunk));
      });
      req.on('end', () => controller.close());
      req.on('error', (e) => controller.error(e));
    },
  });
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  return new Request(`http://local${req.url}`, { method: req.method, headers, body, duplex: 'half' } as RequestInit);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  let enqueued = 0;
  let consumed = 0;
  const s: Seen = { maxQueued: 0, received: 0, ticket: (req.headers[PACED_HEADER] as string | undefined) ?? null, status: 200 };
  const request = pacedRequest(nextStyleRequest(req, (n) => {
    enqueued += n;
    s.maxQueued = Math.max(s.maxQueued, enqueued - consumed);
  }));
  const mode = (new URL(request.url).searchParams.get('mode') ?? 'slow') as Mode;
  if (mode === 'refuse') s.status = 401;
  else {
    // Authentication first (a token lookup): the body must not flow in meanwhile.
    await sleep(200);
    const reader = request.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      consumed += value.length;
      s.received += value.length;
      if (mode === 'cancel' && s.received >= 1 << 20) {
        await reader.cancel();
        s.status = 413;
        break;
      }
      await sleep(1); // a parser slower than loopback
    }
  }
  seen.push(s);
  res.writeHead(s.status, { 'content-type': 'text/plain' }).end(String(s.received));
}

beforeAll(async () => {
  installPacedBodyHook();
  server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const MiB = 1 << 20;
const body = (n: number) => new Uint8Array(n).fill(60);
const post = (p: string, n: number, headers: Record<string, string> = {}) => fetch(`${base}${p}`, { method: 'POST', body: body(n), headers });

describe('paced request bodies', () => {
  it('a paced path queues a few chunks at most while a slow reader takes 16 MiB; another path queues most of it', { timeout: 60_000 }, async () => {
    const paced = await post('/api/v1/test-results?project=x', 16 * MiB);
    expect(paced.status).toBe(200);
    expect(await paced.text()).toBe(String(16 * MiB));
    const p = seen.at(-1)!;
    expect(p.received).toBe(16 * MiB);
    expect(p.maxQueued).toBeLessThan(MiB);

    const other = await post('/api/v1/other', 16 * MiB);
    expect(await other.text()).toBe(String(16 * MiB));
    // What Next's stream does on its own: the body arrives far faster than it is read.
    expect(seen.at(-1)!.maxQueued).toBeGreaterThan(8 * MiB);
  });

  it("raises the server's request timeout (300 s by default) for bodies read at the parser's pace", async () => {
    const fresh = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => fresh.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(fresh.address() as AddressInfo).port}`;
    expect(fresh.requestTimeout).toBe(300_000);
    await fetch(`${url}/api/v1/other`, { method: 'POST', body: 'x' });
    expect(fresh.requestTimeout).toBe(300_000);
    await fetch(`${url}/api/v1/test-results`, { method: 'POST', body: 'x' });
    expect(fresh.requestTimeout).toBe(PACED_REQUEST_TIMEOUT_MS);
    await new Promise<void>((r) => fresh.close(() => r()));
  });

  it('removes a ticket header a client sends, and gives a paced request a fresh one', async () => {
    await post('/api/v1/other', 10, { [PACED_HEADER]: 'forged' });
    expect(seen.at(-1)!.ticket).toBeNull();
    await post('/api/v1/test-results', 10, { [PACED_HEADER]: 'forged' });
    const t = seen.at(-1)!.ticket;
    expect(t).not.toBeNull();
    expect(t).not.toBe('forged');
    expect(t!).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('a body refused unread is answered and the connection serves the next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (p: string, n: number) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const r = http.request(`${base}${p}`, { method: 'POST', agent, headers: { 'content-length': String(n) } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, text }));
        });
        r.on('error', reject);
        r.end(Buffer.from(body(n)));
      });
    const refused = await send('/api/v1/test-results?mode=refuse', 4 * MiB);
    expect(refused.status).toBe(401);
    const next = await send('/api/v1/test-results', 1000);
    expect(next).toEqual({ status: 200, text: '1000' });
    agent.destroy();
  });

  it('cancelling part-way answers at once and buffers nothing more of the upload', async () => {
    const r = await post('/api/v1/test-results?mode=cancel', 16 * MiB);
    expect(r.status).toBe(413);
    const s = seen.at(-1)!;
    expect(s.received).toBeGreaterThanOrEqual(MiB);
    expect(s.received).toBeLessThan(2 * MiB);
    expect(s.maxQueued).toBeLessThan(MiB);
  });
});
