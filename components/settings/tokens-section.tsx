import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { TokenDto } from '@/lib/services/tokens';
import { CreateTokenForm } from './create-token-form';
import { RevokeTokenButton } from './revoke-token-button';

/** A token's standing. Suspended and limited tokens say why: their owner's account decides. */
function TokenStatusBadge({ token: t }: { token: TokenDto }) {
  if (t.status === 'revoked') return <Badge tone="red">revoked {t.revokedAt ? formatDateTime(t.revokedAt) : ''}</Badge>;
  if (t.status === 'suspended') return <Badge tone="amber">suspended: {t.statusNote}</Badge>;
  if (t.status === 'limited') return <Badge tone="amber">limited: {t.statusNote}</Badge>;
  return <Badge tone="green">active</Badge>;
}

export function TokensSection({ tokens }: { tokens: readonly TokenDto[] }) {
  return (
    <Card
      id="tokens"
      title="API tokens"
      description="Tokens let CI pipelines and scripts call the API. Send one as: Authorization: Bearer <secret>. A token works only while the admin who created it is enabled, and never beyond that admin's current role."
    >
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
              <TR key={t.id} className={t.status === 'revoked' || t.status === 'suspended' ? 'text-zinc-500 dark:text-zinc-400' : undefined}>
                <TD className="min-w-32 font-medium [overflow-wrap:anywhere]">{t.name}</TD>
                <TD data-label="Token" className="font-mono text-xs whitespace-nowrap">{t.prefix}…</TD>
                <TD data-label="Scopes">
                  <span className="flex gap-1">
                    {t.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </span>
                </TD>
                <TD data-label="Created by" className="min-w-48 [overflow-wrap:anywhere]">{t.createdBy ?? 'system'}</TD>
                <TD data-label="Created">{formatDateTime(t.createdAt)}</TD>
                <TD data-label="Last used">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</TD>
                <TD data-label="Status">
                  <TokenStatusBadge token={t} />
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
