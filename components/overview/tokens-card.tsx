import Link from 'next/link';
import { Card, Stat } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, formatNumber } from '@/components/format';

export interface TokensSummary {
  active: number;
  revoked: number;
  lastUsedAt: string | null;
}

export function TokensCard({ tokens, canManage }: { tokens: TokensSummary; canManage: boolean }) {
  const none = tokens.active + tokens.revoked === 0;
  return (
    <Card id="overview-tokens" title="API tokens">
      {none ? (
        <EmptyState
          title="No API tokens yet"
          action={
            canManage ? (
              <Link href="/settings#tokens" className="text-sm font-medium text-sky-700 hover:underline dark:text-sky-400">
                Create a token in Settings
              </Link>
            ) : undefined
          }
        >
          Create one in Settings to let CI push results.{canManage ? '' : ' Ask an admin to do it.'}
        </EmptyState>
      ) : (
        <dl className="grid grid-cols-2 gap-4">
          <Stat label="Active" value={formatNumber(tokens.active)} />
          <Stat label="Revoked" value={formatNumber(tokens.revoked)} />
          <div className="col-span-2">
            <dt className="text-sm text-zinc-600 dark:text-zinc-400">Last used by CI</dt>
            <dd className="mt-1 text-sm">
              {tokens.lastUsedAt ? <time dateTime={tokens.lastUsedAt}>{formatDateTime(tokens.lastUsedAt)}</time> : 'Never — no pipeline has called the API yet.'}
            </dd>
          </div>
        </dl>
      )}
    </Card>
  );
}
