// Which CRM field each Liaison field is written to, for the table CRMs (Bitable, NocoDB):
// their fixed extra fields, then the spec's default mapping, then the user's, minus the fields
// the user's tables lack (omit). One place, so every table CRM resolves names the same way.
type Names<K extends string> = Partial<Record<K, string>>;

function without<K extends string>(m: Names<K>, omit: Set<string>): Names<K> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'string' && !omit.has(v))) as Names<K>;
}

export interface FieldNames<C extends string, F extends string, D extends string> {
  customer: Names<C>;
  followUp: Names<F>;
  deal: Names<D>;
}

export function resolveFieldNames<C extends string, F extends string, D extends string>(
  extras: { customer: Names<C>; followUp: Names<F>; deal: Names<D> },
  defaults: { customer?: Names<string>; followUp?: Names<string>; deal?: Names<string> },
  mapping: { customer?: Names<string>; followUp?: Names<string>; deal?: Names<string> } | undefined,
  omitFields: readonly string[] | undefined,
): FieldNames<C, F, D> {
  const m = mapping ?? {};
  const omit = new Set(omitFields ?? []);
  return {
    customer: without<C>({ ...extras.customer, ...defaults.customer, ...m.customer } as Names<C>, omit),
    followUp: without<F>({ ...extras.followUp, ...defaults.followUp, ...m.followUp } as Names<F>, omit),
    deal: without<D>({ ...extras.deal, ...defaults.deal, ...m.deal } as Names<D>, omit),
  };
}
