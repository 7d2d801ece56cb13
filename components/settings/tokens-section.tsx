import { formatDateTime } from '@/components/format';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { TokenDto } from '@/lib/services/tokens';
import { CreateTokenForm } from './create-token-form';
import { RevokeTokenButton } from './revoke-token-button';

/**
 * A token's standing, as a short badge with the reason on a line below (the cell stays narrow).
 * Suspended and limited tokens say why: their owner's account decides. Read aloud, and as text,
 * it is one phrase: "suspended: owner disabled".
 */
function TokenStatus({ token: t }: { token: TokenDto }) {
  const [tone, detail]: [BadgeTone, string | null] =
    t.status === 'revoked' ? ['red', t.revokedAt ? formatDateTime(t.revokedAt) : null] : t.status === 'active' ? ['green', null] : ['amber', t.statusNote];
  return (
    <div className="flex min-w-28 flex-col items-start gap-0.5">
      <Badge tone={tone}>{t.status}</Badge>
      {detail && (
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          <span className="sr-only">: </span>
          {detail}
        </span>
      )}
    </div>
  );
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
                  <TokenStatus token={t} />
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
