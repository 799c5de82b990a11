// Every user action in Liaison's UIs is a Promise from the entrypoint (a message to the
// background). This hook gives each one the same behaviour: busy while it runs (so a
// double click cannot send twice), and a rejection kept as an inline message, never lost.
// Popup and options import it too: it is the one place this rule is implemented.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** The text to show for a rejection; '' when there is nothing readable (the caller shows a generic line). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'message' in e && typeof (e as { message: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return '';
}

export interface Action<A extends unknown[]> {
  busy: boolean;
  /** null: no error; '' : failed without a readable message. */
  error: string | null;
  /** Resolves true when the action succeeded, false when it failed or was already running. */
  run: (...args: A) => Promise<boolean>;
  clear: () => void;
}

export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A ref, not state: two clicks in the same frame both see busy=false in state.
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const run = useCallback(async (...args: A) => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await fnRef.current(...args);
      return true;
    } catch (e) {
      if (mounted.current) setError(errorMessage(e));
      return false;
    } finally {
      running.current = false;
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}
