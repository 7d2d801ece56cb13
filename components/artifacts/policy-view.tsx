import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { PolicyDocument } from '@/lib/engine/retention';

const dash = (v: string | number | undefined) => (v === undefined || v === '' ? '—' : String(v));

/** The stored policy, read-only (for viewers). */
export function PolicyView({ policy }: { policy: PolicyDocument }) {
  return (
    <div className="space-y-4 text-sm">
      {policy.rules.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">No rules.</p>
      ) : (
        <Table caption="Retention rules, in order: the first rule that matches a file decides">
          <THead>
            <TR><TH>#</TH><TH>Id</TH><TH>Match</TH><TH>TTL</TH><TH>Keep latest</TH><TH>Compress after</TH></TR>
          </THead>
          <TBody>
            {policy.rules.map((r, i) => (
              <TR key={r.id}>
                <TD className="tabular-nums">{i + 1}</TD>
                <TD className="font-medium">{r.id}</TD>
                <TD className="font-mono text-xs break-all">{r.match}</TD>
                <TD>{dash(r.ttl)}</TD>
                <TD className="tabular-nums">{dash(r.keepLatest)}</TD>
                <TD>{dash(r.compressAfter)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <dl className="grid gap-3 sm:grid-cols-3">
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Protected</dt>
          <dd className="mt-0.5">
            {policy.protect.length === 0 ? 'nothing' : policy.protect.map((p) => (
              <span key={p.id} className="block"><span className="font-mono text-xs break-all">{p.match}</span>{p.reason ? ` — ${p.reason}` : ''}</span>
            ))}
          </dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Size cap</dt>
          <dd className="mt-0.5 font-medium">{policy.maxSize ?? 'none'}</dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Over the cap</dt>
          <dd className="mt-0.5">{policy.sizeCapAction === 'evict-oldest' ? 'evict oldest files' : 'warn only'}</dd>
        </div>
      </dl>
    </div>
  );
}
