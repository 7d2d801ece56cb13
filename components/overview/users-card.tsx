import Link from 'next/link';
import { Card, Stat } from '@/components/ui/card';
import { formatNumber } from '@/components/format';

export interface UsersSummary {
  total: number;
  byRole: Record<'viewer' | 'operator' | 'admin', number>;
  disabled: number;
}

export function UsersCard({ users, canManage }: { users: UsersSummary; canManage: boolean }) {
  return (
    <Card
      id="overview-users"
      title="Users"
      actions={
        canManage ? (
          <Link href="/settings#users" className="text-sm font-medium text-sky-700 hover:underline dark:text-sky-400">
            Manage
          </Link>
        ) : undefined
      }
    >
      <dl className="grid grid-cols-2 gap-4">
        <Stat label="Accounts" value={formatNumber(users.total)} hint={users.disabled ? `${formatNumber(users.disabled)} disabled` : 'none disabled'} />
        <div>
          <dt className="text-sm text-zinc-600 dark:text-zinc-400">By role</dt>
          <dd>
            <ul className="mt-1 space-y-0.5 text-sm tabular-nums">
              <li>Admins: {formatNumber(users.byRole.admin)}</li>
              <li>Operators: {formatNumber(users.byRole.operator)}</li>
              <li>Viewers: {formatNumber(users.byRole.viewer)}</li>
            </ul>
          </dd>
        </div>
      </dl>
      {users.total === 1 && (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          You are the only user. {canManage ? 'Add teammates in Settings so someone else can approve cleanups.' : ''}
        </p>
      )}
    </Card>
  );
}
