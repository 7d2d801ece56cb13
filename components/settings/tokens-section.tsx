import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { TokenDto } from '@/lib/services/tokens';
import { CreateTokenForm } from './create-token-form';
import { RevokeTokenButton } from './revoke-token-button';

export function TokensSection({ tokens }: { tokens: readonly TokenDto[] }) {
  return (
    <Card id="tokens" title="API tokens" description="Tokens let CI pipelines and scripts call the API. Send one as: Authorization: Bearer <secret>.">
      <CreateTokenForm />
      {tokens.length === 0 ? (
        <EmptyState title="No API tokens yet">Create one above to let CI push results.</EmptyState>
      ) : (
        <Table caption="API tokens" stack>
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Token</TH>
              <TH>Scopes</TH>
              <TH>Created by</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH>Status</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {tokens.map((t) => (
              <TR key={t.id} className={t.revokedAt ? 'text-zinc-500 dark:text-zinc-400' : undefined}>
                <TD className="min-w-28 font-medium [overflow-wrap:anywhere]">{t.name}</TD>
                <TD data-label="Token" className="font-mono text-xs whitespace-nowrap">{t.prefix}…</TD>
                <TD data-label="Scopes">
                  <span className="flex gap-1">
                    {t.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </span>
                </TD>
                <TD data-label="Created by" className="min-w-32 [overflow-wrap:anywhere]">{t.createdBy ?? 'system'}</TD>
                <TD data-label="Created" className="min-w-24">{formatDateTime(t.createdAt)}</TD>
                <TD data-label="Last used" className="min-w-24">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</TD>
                <TD data-label="Status">
                  {t.revokedAt ? <Badge tone="red">revoked {formatDateTime(t.revokedAt)}</Badge> : <Badge tone="green">active</Badge>}
                </TD>
                <TD data-label="">{t.revokedAt ? null : <RevokeTokenButton tokenId={t.id} name={t.name} />}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
