/**
 * Before → after, compactly: one line per changed top-level field, and the full JSON behind a
 * <details> for anything more.
 */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function short(v: unknown): string {
  const s = v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

function changedFields(before: unknown, after: unknown): { key: string; from: unknown; to: unknown }[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => ({ key: k, from: b[k], to: a[k] }));
}

export function ChangeSummary({ before, after }: { before: unknown; after: unknown }) {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (!hasBefore && !hasAfter) return <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  const fields = isRecord(before) || isRecord(after) ? changedFields(before, after).slice(0, 4) : [];
  return (
    <div className="min-w-48 text-xs">
      {fields.length > 0 && (
        <ul className="space-y-0.5 font-mono">
          {fields.map((f) => (
            <li key={f.key} className="break-all">
              <span className="text-zinc-500 dark:text-zinc-400">{f.key}:</span> {hasBefore && <>{short(f.from)} → </>}
              {short(f.to)}
            </li>
          ))}
        </ul>
      )}
      <details className="mt-1">
        <summary className="cursor-pointer rounded text-sky-700 dark:text-sky-400">JSON</summary>
        <div className="mt-1 grid gap-1">
          {hasBefore && <Json label="Before" value={before} />}
          {hasAfter && <Json label="After" value={after} />}
        </div>
      </details>
    </div>
  );
}

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <p className="font-medium text-zinc-600 dark:text-zinc-400">{label}</p>
      <pre className="max-h-48 max-w-md overflow-auto rounded bg-zinc-100 p-2 font-mono text-[11px] dark:bg-zinc-900">{JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}
