import { startTransition, useEffect, useState } from 'react';

/**
 * False until `ready` has been true for one painted frame, then true for good: what sits below
 * the fold (the balance, the working-time record) renders after the totals and the grid are on
 * screen, not in the same long task. A timer stands in for the frame where none comes (a tab
 * in the background paints nothing).
 */
export function useAfterPaint(ready: boolean): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!ready || shown) return;
    const show = () => startTransition(() => setShown(true));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(show, 0); // after the frame is painted
    });
    const fallback = setTimeout(show, 250);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      clearTimeout(fallback);
    };
  }, [ready, shown]);
  return shown;
}
