'use client';
import { useEffect, useRef } from 'react';

/**
 * A native <dialog> shown as a modal while `open` (showModal: focus trapped, Esc closes, the page
 * behind inert) and closed otherwise. Attach the returned ref to the dialog element.
 */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return ref;
}
