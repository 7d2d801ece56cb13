import { formatDateTime } from '@/components/format';

/** "2026-12-01 19:43 UTC" that wraps only between the date and the time, never inside either. */
export function When({ at }: { at: string }) {
  const text = formatDateTime(at);
  const i = text.indexOf(' ');
  return (
    <time dateTime={at}>
      {i < 0 ? (
        text
      ) : (
        <>
          <span className="whitespace-nowrap">{text.slice(0, i)}</span> <span className="whitespace-nowrap">{text.slice(i + 1)}</span>
        </>
      )}
    </time>
  );
}
