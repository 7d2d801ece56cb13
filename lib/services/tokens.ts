/**
 * API tokens for CI. The secret is `stw_<24 random bytes, base64url>`, shown once; only its
 * SHA-256 is stored (a fast hash is right here: the secret has 192 bits of entropy, so there is
 * nothing to brute-force, and lookups by hash stay O(1)).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { TOKEN_SCOPES, type TokenScope } from '@/lib/engine/roles';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { invalid, ServiceError, zodIssues } from './errors';

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(80),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, 'choose at least one scope').transform((s) => [...new Set(s)].sort()),
});

export interface TokenDto {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function hashToken(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

function toDto(t: { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; createdBy?: { email: string } | null }): TokenDto {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes as TokenScope[],
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy?.email ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a token. The returned `secret` is the only time it exists outside the caller. */
export async function createToken(db: Db, actor: Actor, raw: z.input<typeof newTokenSchema>, now = new Date()): Promise<{ token: TokenDto; secret: string }> {
  const parsed = newTokenSchema.safeParse(raw);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const secret = `stw_${crypto.randomBytes(24).toString('base64url')}`;
  const prefix = secret.slice(0, 10);
  const row = await db.$transaction(async (tx) => {
    const t = await tx.apiToken.create({
      data: {
        id: crypto.randomUUID(),
        name: parsed.data.name,
        prefix,
        hash: hashToken(secret),
        scopes: parsed.data.scopes,
        createdById: actor.type === 'user' ? actor.id : null,
        createdAt: now,
      },
      include: { createdBy: { select: { email: true } } },
    });
    await recordAudit(tx, actor, {
      at: now,
      action: 'token.create',
      targetType: 'token',
      targetId: t.id,
      summary: `Created token "${t.name}" (${t.scopes.join(', ')})`,
      after: { name: t.name, prefix, scopes: t.scopes },
    });
    return t;
  });
  return { token: toDto(row), secret };
}

export async function listTokens(db: Db): Promise<TokenDto[]> {
  const rows = await db.apiToken.findMany({ orderBy: { createdAt: 'desc' }, include: { createdBy: { select: { email: true } } } });
  return rows.map(toDto);
}

export async function revokeToken(db: Db, actor: Actor, tokenId: string, now = new Date()): Promise<TokenDto> {
  return db.$transaction(async (tx) => {
    const before = await tx.apiToken.findUnique({ where: { id: tokenId } });
    if (!before) throw new ServiceError('not_found', `No token with id ${tokenId}`);
    if (before.revokedAt) throw new ServiceError('conflict', `Token "${before.name}" is already revoked`);
    const after = await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now }, include: { createdBy: { select: { email: true } } } });
    await recordAudit(tx, actor, {
      at: now,
      action: 'token.revoke',
      targetType: 'token',
      targetId: tokenId,
      summary: `Revoked token "${before.name}"`,
      before: { revokedAt: null },
      after: { revokedAt: after.revokedAt },
    });
    return toDto(after);
  });
}

export type TokenCheck =
  | { ok: true; token: { id: string; name: string; scopes: TokenScope[] } }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' };

/**
 * Verifies a presented secret. Records last-used time, at most once a minute per token so a busy
 * CI does not turn every request into a write.
 */
export async function verifyToken(db: Db, secret: string, now: Date): Promise<TokenCheck> {
  if (!/^stw_[A-Za-z0-9_-]{32}$/.test(secret)) return { ok: false, reason: 'malformed' };
  const row = await db.apiToken.findUnique({ where: { hash: hashToken(secret) } });
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, token: { id: row.id, name: row.name, scopes: row.scopes as TokenScope[] } };
}
