// better-auth's own endpoints (sign-in, sign-out, session). Public by nature; sign-in is rate-limited
// per client address (lib/auth/client-address.ts), and bodies are capped before better-auth reads them.
import { getAuth } from '@/lib/auth/better-auth';
import { clientAddress } from '@/lib/auth/client-address';
import { CLIENT_ADDRESS_HEADER, PEER_HEADER } from '@/lib/auth/peer-address';
import { errorResponse, readLimitedBody } from '@/lib/auth/route';
import { ServiceError, STATUS } from '@/lib/services/errors';
import { getEnv } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** Sign-in and sign-out bodies are a few hundred bytes; nothing here needs more than this. */
const AUTH_MAX_BODY_BYTES = 16 * 1024;

async function handle(req: Request): Promise<Response> {
  let body: Buffer | undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    try {
      body = await readLimitedBody(req, AUTH_MAX_BODY_BYTES);
    } catch (e) {
      if (e instanceof ServiceError) return errorResponse(STATUS[e.code], e.code, e.message, e.details);
      throw e;
    }
  }
  // The only address better-auth sees is ours: whatever the client sent in that header is replaced.
  const headers = new Headers(req.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  headers.delete(PEER_HEADER); // carries this process's secret; better-auth has no use for it
  const address = clientAddress(req.headers, getEnv().STEWARD_TRUSTED_PROXIES);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  const auth = await getAuth();
  return auth.handler(new Request(req.url, { method: req.method, headers, body: body && body.byteLength > 0 ? new Uint8Array(body) : undefined, signal: req.signal }));
}

export { handle as GET, handle as POST };
