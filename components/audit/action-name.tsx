import { Fragment } from 'react';

/**
 * An action name ("retention.execute.done") that may wrap after its dots when the column is
 * narrow. <wbr> is a break opportunity only: copying the text gives the exact name back.
 */
export function ActionName({ action }: { action: string }) {
  const parts = action.split('.');
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              .<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}
