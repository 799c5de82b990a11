// The three-way merge of a customer with its record in one CRM, and the patch an update sends.
// Pure: no database, no adapter. Values are compared in a normal form (empty = null, lists as
// sets, strings trimmed), so a CRM that stores "" for empty or reorders tags is not a change.
//
// For each field the CRM maps (a key of the remote fields), with L = local, B = base (last
// synced), R = remote:
//   L = R            → in step; base := R
//   R = B            → only Liaison changed it: keep L (the push sends it)
//   L = B            → only the CRM changed it: take R
//   L ≠ B ≠ R ≠ L    → both changed: the connection's rule decides (the CRM wins by default),
//                      and the conflict is recorded with both values for the user to see and undo.
// Without a base (a link made before the read side, or a customer linked from a search) every
// difference is treated as both-changed, so nothing local is replaced without being recorded.
import type { RemoteFieldValues } from '../crm/port';
import type { BaseValue, Conflict, Customer } from '../model';

export type ConflictRule = 'remote' | 'local';

/** Fields the merge never takes from a CRM: identity and bookkeeping. `code` only from a code master. */
const NEVER_PULLED = new Set(['id', 'createdAt', 'updatedAt', 'searchKeys']);
/** Lists compared as sets. */
const SET_FIELDS = new Set(['phones', 'tags']);

export function normalize(field: string, v: unknown): BaseValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? null : t;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) {
    const items = v.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
    if (items.length === 0) return null;
    return SET_FIELDS.has(field) ? [...new Set(items)].sort() : items;
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

export function sameValue(field: string, a: unknown, b: unknown): boolean {
  const x = normalize(field, a);
  const y = normalize(field, b);
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  return x === y;
}

export interface MergeInput {
  local: Customer;
  base: Record<string, BaseValue> | undefined;
  remote: RemoteFieldValues;
  rule: ConflictRule;
  /** The CRM allocates 客户编号 (its code replaces Liaison's, never a conflict). */
  codeMaster: boolean;
  now: number;
}

export interface MergeResult {
  /** Fields to write locally (undefined = clear the field). */
  patch: Partial<Record<keyof Customer, unknown>>;
  /** The new base: what the CRM holds now. */
  base: Record<string, BaseValue>;
  conflicts: Conflict[];
  /** Liaison holds values the CRM lacks (local-only changes, or conflicts the local side won): an update should go out. */
  pushNeeded: boolean;
}

/** The value to store on a customer for a normalized remote value. */
function toLocal(v: BaseValue): unknown {
  return v === null ? undefined : v;
}

export function mergeCustomer(input: MergeInput): MergeResult {
  const { local, base, remote, rule, codeMaster, now } = input;
  const patch: MergeResult['patch'] = {};
  const nextBase: Record<string, BaseValue> = { ...(base ?? {}) };
  const conflicts: Conflict[] = [];
  let pushNeeded = false;
  const localRecord = local as unknown as Record<string, unknown>;

  for (const [field, raw] of Object.entries(remote)) {
    if (raw === undefined || NEVER_PULLED.has(field)) continue;
    const r = normalize(field, raw);
    const l = normalize(field, localRecord[field]);
    if (field === 'code') {
      // The team's code comes from the code master only; a CRM that is not the master keeps ours.
      nextBase.code = r;
      if (codeMaster && r !== null && r !== l) patch.code = r;
      else if (!codeMaster && r !== l) pushNeeded = true;
      continue;
    }
    // A required local field the CRM has empty: keep ours (a blank name or stage is never taken).
    const required = field === 'name' || field === 'stage' || field === 'phones';
    const b = base && field in base ? base[field]! : undefined;
    nextBase[field] = r;
    if (sameValue(field, l, r)) continue;
    if (b !== undefined && sameValue(field, r, b)) {
      // A value cleared here is not sent (the port has no "clear"): the CRM keeps its value.
      if (l !== null) pushNeeded = true;
      continue;
    }
    if (b !== undefined && sameValue(field, l, b)) {
      if (r === null && required) {
        pushNeeded = true;
        continue;
      }
      patch[field as keyof Customer] = toLocal(r);
      continue;
    }
    // Both sides changed (or no base to tell). An empty side is not a rival value: the other stands.
    if (l === null) {
      patch[field as keyof Customer] = toLocal(r);
      continue;
    }
    if (r === null) {
      pushNeeded = true;
      continue;
    }
    const keepRemote = rule === 'remote';
    if (keepRemote) patch[field as keyof Customer] = toLocal(r);
    else pushNeeded = true;
    conflicts.push({ field, kept: keepRemote ? 'remote' : 'local', keptValue: keepRemote ? r : l, replacedValue: keepRemote ? l : r, at: now });
  }
  return { patch, base: nextBase, conflicts, pushNeeded };
}

/**
 * What a customer.update sends: the fields that differ from the base. Without a base (a link
 * older than the read side) every field is sent, as before. `code` goes only to a CRM that is
 * not the code master (the master's code is never overwritten by Liaison's).
 */
export function changedFields(customer: Customer, base: Record<string, BaseValue> | undefined, fields: readonly string[], codeMaster: boolean): string[] {
  const rec = customer as unknown as Record<string, unknown>;
  return fields.filter((f) => {
    if (f === 'code' && codeMaster) return false;
    if (f === 'code' && customer.codeTemporary) return false;
    // A cleared field is not sent: the port's patches carry values only (adapters never blank a CRM field).
    if (normalize(f, rec[f]) === null) return false;
    if (!base || !(f in base)) return true;
    return !sameValue(f, rec[f], base[f]);
  });
}

/** The values a write sent, normalized: merged into the link's base once the write succeeded. */
export function sentValues(customer: Customer, sent: readonly string[]): Record<string, BaseValue> {
  const rec = customer as unknown as Record<string, unknown>;
  const out: Record<string, BaseValue> = {};
  for (const f of sent) out[f] = normalize(f, rec[f]);
  return out;
}
