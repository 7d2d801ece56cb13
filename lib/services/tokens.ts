/**
 * API tokens for CI. The secret is `stw_<24 random bytes, base64url>`, shown once; only its
 * SHA-256 is stored (a fast hash is right here: the secret has 192 bits of entropy, so there is
 * nothing to brute-force, and lookups by hash stay O(1)).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { TOKEN_SCOPES, type TokenScope } from '@/lib/engine/roles';
import { effectiveScopes } from '@/lib/engine/token-scopes';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { invalid, ServiceError, zodIssues } from './errors';

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(80),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, 'choose at least one scope').transform((s) => [...new Set(s)].sort()),
  /** Project keys the token may touch (flaky tests); empty or absent = every project. */
  projects: z
    .array(z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a project key (lowercase letters, digits, . _ -)'))
    .max(100)
    .default([])
    .transform((p) => [...new Set(p)].sort()),
});

/**
 * active: usable with all its scopes. limited: the owner's current role covers only some of them
 * (`effectiveScopes`). suspended: its owner is disabled, or the owner's role covers none of its
 * scopes; it works again when that changes. revoked: for good.
 */
export type TokenStatus = 'active' | 'limited' | 'suspended' | 'revoked';

export interface TokenDto {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  /** Flaky-test projects it may touch; empty = every project. */
  projects: string[];
  /** The scopes a request with this token may use right now. */
  effectiveScopes: TokenScope[];
  status: TokenStatus;
  /** Why a token is limited or suspended ("owner disabled"), else null. */
  statusNote: string | null;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function hashToken(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

interface Owner {
  role: string;
  disabled: boolean;
}

/**
 * A token's standing from its own row and its owner's current row. A token belongs to the admin
 * who created it (CLI tokens have no owner): it is suspended while that owner is disabled and
 * never exceeds the owner's current role (see SCOPE_INFO.minRole), so demoting an admin to
 * viewer leaves their tokens only the read scope.
 */
export function tokenStanding(scopes: readonly TokenScope[], revoked: boolean, owner: Owner | null): { status: TokenStatus; statusNote: string | null; effectiveScopes: TokenScope[] } {
  if (revoked) return { status: 'revoked', statusNote: null, effectiveScopes: [] };
  if (owner?.disabled) return { status: 'suspended', statusNote: 'owner disabled', effectiveScopes: [] };
  const effective = effectiveScopes(scopes, owner ? owner.role : null);
  if (effective.length === 0) return { status: 'suspended', statusNote: `owner's role (${owner?.role}) covers none of its scopes`, effectiveScopes: [] };
  // Stryker disable next-line OptionalChaining,StringLiteral: `owner.role` is equivalent (with no owner every scope is effective, so a limited token has an owner); the ", " separator is equivalent while there are two scopes (a limited token has exactly one effective scope)
  if (effective.length < scopes.length) return { status: 'limited', statusNote: `owner is ${owner?.role}: only ${effective.join(', ')}`, effectiveScopes: effective };
  return { status: 'active', statusNote: null, effectiveScopes: effective };
}

type TokenRow = { id: string; name: string; prefix: string; scopes: string[]; projects?: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; createdBy: ({ email: string } & Owner) | null };

function toDto(t: TokenRow): TokenDto {
  const scopes = t.scopes as TokenScope[];
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes,
    // Stryker disable next-line ArrayDeclaration: unreachable: Prisma reads a NULL String[] column as [] (tokens-mutants.int.test.ts sets one), so the fallback never runs
    projects: t.projects ?? [],
    ...tokenStanding(scopes, t.revokedAt !== null, t.createdBy),
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy?.email ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

const withOwner = { createdBy: { select: { email: true, role: true, disabled: true } } } as const;

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
        projects: parsed.data.projects,
        createdById: actor.type === 'user' ? actor.id : null,
        createdAt: now,
      },
      include: withOwner,
    });
    await recordAudit(tx, actor, {
      at: now,
      action: 'token.create',
      targetType: 'token',
      targetId: t.id,
      summary: `Created token "${t.name}" (${t.scopes.join(', ')})`,
      after: { name: t.name, prefix, scopes: t.scopes, projects: t.projects },
    });
    return t;
  });
  return { token: toDto(row), secret };
}

export async function listTokens(db: Db): Promise<TokenDto[]> {
  const rows = await db.apiToken.findMany({ orderBy: { createdAt: 'desc' }, include: withOwner });
  return rows.map(toDto);
}

export async function revokeToken(db: Db, actor: Actor, tokenId: string, now: Date = new Date()): Promise<TokenDto> {
  return db.$transaction(async (tx) => {
    const before = await tx.apiToken.findUnique({ where: { id: tokenId } });
    if (!before) throw new ServiceError('not_found', `No token with id ${tokenId}`);
    if (before.revokedAt) throw new ServiceError('conflict', `Token "${before.name}" is already revoked`);
    const after = await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now }, include: withOwner });
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
  | { ok: true; token: { id: string; name: string; scopes: TokenScope[]; projects: string[] } }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' }
  | { ok: false; reason: 'suspended'; detail: string };

/** The message for a refused token, for the 401 the route wrapper sends. */
export function tokenRefusalMessage(check: Extract<TokenCheck, { ok: false }>): string {
  if (check.reason === 'suspended') return `This API token is suspended: ${check.detail}.`;
  if (check.reason === 'revoked') return 'This API token has been revoked.';
  return 'Unknown or malformed API token.';
}

interface VerifyRow {
  id: string;
  name: string;
  scopes: string[];
  projects: string[] | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  ownerId: string | null;
  ownerRole: string | null;
  ownerDisabled: boolean | null;
}

/**
 * Verifies a presented secret. The token and its owner's current role and disabled flag are read
 * in one statement (one snapshot), so a token is refused from the moment its owner is disabled
 * and never carries more scopes than the owner's role covers now; `token.scopes` are the
 * effective ones. Records last-used time, at most once a minute per token so a busy CI does not
 * turn every request into a write.
 */
export async function verifyToken(db: Db, secret: string, now: Date): Promise<TokenCheck> {
  if (!/^stw_[A-Za-z0-9_-]{32}$/.test(secret)) return { ok: false, reason: 'malformed' };
  const rows = await db.$queryRaw<VerifyRow[]>`
    SELECT t."id", t."name", t."scopes", t."projects", t."revokedAt", t."lastUsedAt",
           u."id" AS "ownerId", u."role" AS "ownerRole", u."disabled" AS "ownerDisabled"
      FROM "api_tokens" t LEFT JOIN "users" u ON u."id" = t."createdById"
     WHERE t."hash" = ${hashToken(secret)}`;
  const row = rows[0];
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  // Stryker disable next-line StringLiteral,LogicalOperator,BooleanLiteral: the fallbacks are unreachable: a joined user (ownerId not null) has a role and a disabled flag (both NOT NULL columns)
  const owner = row.ownerId !== null ? { role: row.ownerRole ?? '', disabled: row.ownerDisabled ?? true } : null;
  const standing = tokenStanding(row.scopes as TokenScope[], false, owner);
  if (standing.status === 'suspended') return { ok: false, reason: 'suspended', detail: standing.statusNote ?? 'suspended' };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, token: { id: row.id, name: row.name, scopes: standing.effectiveScopes, projects: row.projects ?? [] } };
}
