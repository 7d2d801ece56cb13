/** The Overview page's figures: every one is a count over stored rows. */
import type { Db } from '@/lib/db/client';
import { getDbHandle } from '@/lib/db/client';
import type { Role } from '@/lib/engine/roles';
import { listAudit, type AuditRow } from './audit';

export interface Overview {
  users: { total: number; byRole: Record<Role, number>; disabled: number };
  tokens: { active: number; revoked: number; lastUsedAt: string | null };
  recentAudit: AuditRow[];
  database: { kind: 'postgres' | 'embedded'; describe: string };
}

export async function getOverview(db: Db): Promise<Overview> {
  const [roles, disabled, active, revoked, lastUsed, audit, handle] = await Promise.all([
    db.user.groupBy({ by: ['role'], _count: { _all: true } }),
    db.user.count({ where: { disabled: true } }),
    db.apiToken.count({ where: { revokedAt: null } }),
    db.apiToken.count({ where: { revokedAt: { not: null } } }),
    db.apiToken.findFirst({ where: { lastUsedAt: { not: null } }, orderBy: { lastUsedAt: 'desc' }, select: { lastUsedAt: true } }),
    listAudit(db, { page: 1, pageSize: 10 }),
    getDbHandle(),
  ]);
  const byRole: Record<Role, number> = { viewer: 0, operator: 0, admin: 0 };
  for (const r of roles) if (r.role in byRole) byRole[r.role as Role] = r._count._all;
  return {
    users: { total: byRole.viewer + byRole.operator + byRole.admin, byRole, disabled },
    tokens: { active, revoked, lastUsedAt: lastUsed?.lastUsedAt?.toISOString() ?? null },
    recentAudit: audit.rows,
    database: { kind: handle.kind, describe: handle.describe },
  };
}
