// getCustomer: one customer's detail (custom/add.asp?edit=1 → BillClass, the documented 客户详情),
// its fields turned back into Liaison terms through the connection's mapping (fields.ts in
// reverse), for seed 003 场景2 (an ERP customer met on WeChat: 分类/跟进程度, 价值评估 synced back).
//
// The marker: the documented detail lists no modification time. The ERP keeps one (tel.ModifyStamp,
// set to now() on every save of the web form: Miracle1000/ALL_ERP v32.05 SYSA/work/save3.asp), so
// when the bill carries a ModifyStamp field it gives modifiedAt (epoch ms of the ERP's wall-clock
// time, erp-time.ts). The marker is "h:" + a stable hash (FNV-1a, 64 bit) of the raw ERP values of
// the mapped fields, prefixed with that epoch ms when there is one ("<ms>:h:<hash>"): ModifyStamp
// has one-second resolution, so two saves within a second would otherwise look alike. Equal when
// nothing Liaison maps has changed, which is all the pull compares it for; an edit of a field
// Liaison does not map changes it only through ModifyStamp. It never guards an update (智邦's API
// has no conditional save).
//
// Not readable here: owner (销售人员) and 下次跟进, which the documented customer form does not carry.
import { CrmError } from '../errors';
import { normalizePhone } from '../../phone';
import type { MappableCustomerField, RemoteCustomerRecord, RemoteFieldValues } from '../port';
import type { ZhibangClient } from './client';
import type { ZhibangConfig } from './config';
import { cachedEnum, ENUM_IDS, loadEnum, softEnumFailure, type EnumOption } from './enums';
import { parseErpDateTime } from './erp-time';
import { readCustomer } from './record';
import { levelOfValueName } from './value';

type Row = Record<string, string>;

export interface EnumLists {
  /** 客户来源 options; undefined when they could not be read (the source is then unreadable). */
  sources?: EnumOption[] | undefined;
  /** 价值评估 options. */
  values?: EnumOption[] | undefined;
}

const e164 = (raw: string) => normalizePhone(raw, 'CN') ?? raw.trim();

/** The ERP field each mapped Liaison field reads from, for this customer type. */
export function readMapping(cfg: ZhibangConfig, intsort: 1 | 2): Partial<Record<MappableCustomerField, string>> {
  const m = { ...cfg.customerMapping } as Partial<Record<MappableCustomerField, string>>;
  if (intsort === 2) {
    // Personal customers: the person is 客户名称, the company 所在单位 (fields.ts).
    m.name = 'name';
    m.company = 'faren';
  } else {
    m.company ??= 'name';
    m.name ??= 'person_name';
  }
  m.phones ??= 'mobile';
  return m;
}

/**
 * Row (bill fields or list columns) → Liaison fields. A key is set only when the row has the ERP
 * field; empty there → null; a value that cannot be interpreted is named in `unreadable`.
 */
export function remoteFields(cfg: ZhibangConfig, row: Row, intsort: 1 | 2, enums: EnumLists): { fields: RemoteFieldValues; unreadable: string[] } {
  const m = readMapping(cfg, intsort);
  const fields: RemoteFieldValues = {};
  const unreadable: string[] = [];
  const set = <K extends MappableCustomerField>(k: K, v: RemoteFieldValues[K]) => void (fields[k] = v);
  for (const [field, target] of Object.entries(m) as [MappableCustomerField, string][]) {
    if (!(target in row) && field !== 'phones') continue;
    const raw = (row[target] ?? '').trim();
    switch (field) {
      case 'phones': {
        // The mapped column (mobile by default) and the landline 电话 column, as E.164 where they parse.
        const cols = [...new Set([target, 'phone'])].filter((c) => c in row);
        if (cols.length) set('phones', [...new Set(cols.map((c) => (row[c] ?? '').trim()).filter(Boolean).map(e164))]);
        break;
      }
      case 'grade': {
        if (!raw) set('grade', null);
        else set('grade', Object.entries(cfg.grades).find(([, level]) => level === raw)?.[0] ?? raw); // 重点客户 → WHITE; others as the ERP names them
        break;
      }
      case 'source':
      case 'intentLevel': {
        if (!raw) {
          set(field, null);
          break;
        }
        const list = field === 'source' ? enums.sources : enums.values;
        const name = list?.find((o) => o.id === raw)?.name;
        if (field === 'source' && name) set('source', name);
        else if (field === 'intentLevel' && name && levelOfValueName(name)) set('intentLevel', levelOfValueName(name)!);
        else unreadable.push(field);
        break;
      }
      case 'amount': {
        const n = Number(raw.replace(/,/g, ''));
        if (!raw) set('amount', null);
        else if (Number.isFinite(n) && n >= 0) set('amount', n);
        else unreadable.push(field);
        break;
      }
      case 'nextFollowUpAt': {
        const at = raw ? parseErpDateTime(raw) : undefined;
        if (!raw) set('nextFollowUpAt', null);
        else if (at !== undefined) set('nextFollowUpAt', at);
        else unreadable.push(field);
        break;
      }
      case 'tags':
        set('tags', raw ? raw.split(/[,，]/).map((t) => t.trim()).filter(Boolean) : null);
        break;
      default:
        set(field as 'notes', raw || null); // text fields: name, company, code, stage, wechatId, email, product, owner, keyword, notes
    }
  }
  return { fields, unreadable };
}

/** FNV-1a over UTF-16 code units, two 32-bit lanes with different offsets → 16 hex digits. */
export function stableHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ (b >>> 15), 0x2c1b3c6d) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

async function listOrUndefined(client: ZhibangClient, enumid: number, now: () => number, signal?: AbortSignal): Promise<EnumOption[] | undefined> {
  try {
    return await loadEnum(client, enumid, now, signal);
  } catch (err) {
    if (softEnumFailure(err)) return undefined; // the field reads as unreadable; the rest still comes back
    throw err;
  }
}

export async function getCustomer(client: ZhibangClient, ord: string, now: () => number, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  let rec;
  try {
    rec = await readCustomer(client, ord, signal);
  } catch (err) {
    if (err instanceof CrmError && err.kind === 'not-found') return null; // deleted or merged away
    throw err;
  }
  if (!rec.saved) return null; // an allocated draft nobody saved is not a customer
  const cfg = client.config;
  const intsort = rec.intsort ?? cfg.intsort;
  const m = readMapping(cfg, intsort);
  const needs = (f: MappableCustomerField) => !!m[f] && !!rec.fields[m[f]!]?.trim();
  const enums: EnumLists = {
    sources: needs('source') ? await listOrUndefined(client, ENUM_IDS.source, now, signal) : undefined,
    values: needs('intentLevel') ? await listOrUndefined(client, ENUM_IDS.value, now, signal) : undefined,
  };
  const { fields, unreadable } = remoteFields(cfg, rec.fields, intsort, enums);
  const stamp = rec.fields.ModifyStamp ?? rec.fields.modifystamp;
  const modifiedAt = stamp ? parseErpDateTime(stamp) : undefined;
  const mappedRaw = Object.fromEntries(
    [...new Set([...Object.values(m), 'phone', 'intsort'])].sort().map((k) => [k, rec.fields[k] ?? null]),
  );
  return {
    remoteId: rec.ord,
    ...(rec.fields.khid ? { remoteCode: rec.fields.khid } : {}),
    marker: `${modifiedAt !== undefined ? `${modifiedAt}:` : ''}h:${stableHash(JSON.stringify(mappedRaw))}`,
    ...(modifiedAt !== undefined ? { modifiedAt } : {}),
    fields,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** What a search row already carries (no request: enum names only from the cache). */
export function searchFields(client: ZhibangClient, row: Row, now: () => number): RemoteFieldValues {
  const intsort = row.intsort === '2' ? 2 : 1;
  const enums: EnumLists = { sources: cachedEnum(client, ENUM_IDS.source, now), values: cachedEnum(client, ENUM_IDS.value, now) };
  return remoteFields(client.config, row, intsort, enums).fields;
}
