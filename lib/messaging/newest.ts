// A page that asks the background again on every change event and after every action can have
// two asks in flight, and the worker can answer the earlier one last (its read started before
// the change, or took longer). Shown as it arrives, that answer would put back what the change
// replaced: a reminder already done, a customer not yet linked. `createNewest()` gives each page
// one gate its asks go through: an answer (or an error) to an ask made before one whose answer is
// already shown comes back as SUPERSEDED, and the page leaves what it shows alone.

export const SUPERSEDED: unique symbol = Symbol('superseded');
export type Superseded = typeof SUPERSEDED;

export type Newest = <R>(answer: Promise<R>) => Promise<R | Superseded>;

export function createNewest(): Newest {
  let asked = 0;
  let shown = 0;
  return async <R>(answer: Promise<R>): Promise<R | Superseded> => {
    const mine = ++asked;
    try {
      const value = await answer;
      if (mine < shown) return SUPERSEDED;
      shown = mine;
      return value;
    } catch (err) {
      if (mine < shown) return SUPERSEDED;
      throw err;
    }
  };
}
