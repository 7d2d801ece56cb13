// better-auth's own endpoints (sign-in, sign-out, session). Public by nature; sign-in is rate-limited.
import { getAuth } from '@/lib/auth/better-auth';

async function handle(req: Request): Promise<Response> {
  const auth = await getAuth();
  return auth.handler(req);
}

export { handle as GET, handle as POST };
