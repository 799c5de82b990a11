// The emulators' injected faults: queued by tests (failNext, dropNext… each for `left` requests,
// on one route or any), else asked of a per-request policy the fault tests install. One place,
// so every emulator consumes faults the same way.
export interface QueuedFault {
  /** Route id; any route when absent. */
  api?: string;
  /** Requests still to fail. */
  left: number;
}

export function createFaultQueue<F extends QueuedFault, Entry = never>() {
  const faults: F[] = [];
  let policy: ((entry: Entry) => Omit<F, 'left'> | undefined) | undefined;
  return {
    push(f: F): void {
      faults.push(f);
    },
    /** Asked for each request no queued fault applies to (the fault tests' random faults). */
    setPolicy(p: ((entry: Entry) => Omit<F, 'left'> | undefined) | undefined): void {
      policy = p;
    },
    /** The fault this request meets, if any (one use of a queued fault). */
    take(api: string, entry?: Entry): F | undefined {
      const i = faults.findIndex((f) => !f.api || f.api === api);
      if (i < 0) {
        const p = entry !== undefined ? policy?.(entry) : undefined;
        return p ? ({ ...p, left: 1 } as F) : undefined;
      }
      const f = faults[i]!;
      f.left -= 1;
      if (f.left <= 0) faults.splice(i, 1);
      return f;
    },
  };
}
