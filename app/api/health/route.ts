// Public: load balancers and uptime checks call it without credentials. Reports database reachability only.
import { defineRoute } from '@/lib/auth/route';
import { getDbHandle } from '@/lib/db/client';
import { NextResponse } from 'next/server';
import { version } from '@/package.json';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({ name: 'health', access: { public: true } }, async ({ db }) => {
  const started = performance.now();
  try {
    await db.$queryRawUnsafe('SELECT 1');
    const handle = await getDbHandle();
    return { status: 'ok', version, database: { ok: true, kind: handle.kind, latencyMs: Math.round(performance.now() - started) } };
  } catch {
    return NextResponse.json({ status: 'error', version, database: { ok: false } }, { status: 503 });
  }
});
