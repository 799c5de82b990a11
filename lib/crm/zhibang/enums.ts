// Enum lists (mobilephone/source.asp?enumid=N) so users pick values that exist in their ERP:
// 13 客户来源 ly, 98 洽谈方式 (follow-up method), 14 价值评估 jz, 11 行业 trade. Cached per
// connection for a few minutes because a create that maps customer.source by name needs the ly
// list (and a template naming an option by name needs its field's list).
//
// A list the ERP answers as a table or as options (wire.ts tableRows) reads the same. A lookup
// that fails for a reason retrying will not fix (an unexpected reply, an enum the installation
// does not have) never holds a customer's sync back: the write goes without that value and the
// RemoteRef carries a warning naming the field (issue 15 item 7). Auth and transient failures
// (the ERP down, a 429) propagate: the write would fail the same way, and the outbox retries it
// with the value.
import { CrmError } from '../errors';
import { PATHS, type ZhibangClient } from './client';
import { tableRows } from './wire';

export interface EnumOption {
  id: string;
  name: string;
}

export const ENUM_IDS = { source: 13, followUpMethod: 98, value: 14, trade: 11 } as const;

/** The field each enum fills, in the user's terms (warnings, errors). */
export const ENUM_FIELDS: Record<number, { field: string; zh: string; en: string }> = {
  13: { field: 'ly', zh: '客户来源', en: 'customer source' },
  98: { field: 'sort', zh: '洽谈方式', en: 'follow-up method' },
  14: { field: 'jz', zh: '价值评估', en: 'value rating' },
  11: { field: 'trade', zh: '行业', en: 'industry' },
};

const cache = new Map<string, { at: number; options: EnumOption[] }>();
const TTL_MS = 10 * 60_000;

/** Tests only. */
export function resetZhibangEnumCache(): void {
  cache.clear();
}

/** The cached list, if a recent lookup has one (never a request: for readers that must not add calls). */
export function cachedEnum(client: ZhibangClient, enumid: number, now: () => number): EnumOption[] | undefined {
  const hit = cache.get(`${client.config.connectionId}|${enumid}`);
  return hit && now() - hit.at < TTL_MS ? hit.options : undefined;
}

export async function loadEnum(client: ZhibangClient, enumid: number, now: () => number, signal?: AbortSignal): Promise<EnumOption[]> {
  const key = `${client.config.connectionId}|${enumid}`;
  const hit = cachedEnum(client, enumid, now);
  if (hit) return hit;
  const doc = await client.v1(PATHS.source, 'refresh', {}, { searchParams: { enumid: String(enumid) }, ...(signal ? { signal } : {}) });
  // Column ids vary between versions; fall back to the first two columns (id, name).
  const options = tableRows(doc)
    .map((r) => {
      const vals = Object.values(r);
      return { id: r.id ?? r.ord ?? r.value ?? vals[0] ?? '', name: r.name ?? r.title ?? r.text ?? vals[1] ?? '' };
    })
    .filter((o) => o.id && o.name);
  cache.set(key, { at: now(), options });
  return options;
}

export async function loadZhibangEnums(client: ZhibangClient, now: () => number, signal?: AbortSignal) {
  const [sources, followUpMethods, valueLevels] = await Promise.all([
    loadEnum(client, ENUM_IDS.source, now, signal),
    loadEnum(client, ENUM_IDS.followUpMethod, now, signal),
    loadEnum(client, ENUM_IDS.value, now, signal),
  ]);
  return { sources, followUpMethods, valueLevels };
}

/** A lookup failure the write goes on without (see the header); anything else is rethrown. */
export function softEnumFailure(err: unknown): err is CrmError {
  return err instanceof CrmError && (err.kind === 'validation' || err.kind === 'not-found' || err.kind === 'unsupported' || err.kind === 'conflict');
}

/** "客户来源 (ly): …, not written / Customer source: …" in both languages, at most 200 characters. */
export function enumWarning(enumid: number, why: 'lookup' | 'missing', value?: string): string {
  const f = ENUM_FIELDS[enumid] ?? { field: String(enumid), zh: `枚举${enumid}`, en: `enum ${enumid}` };
  const v = value ? value.slice(0, 30) : '';
  const zh = why === 'lookup' ? `${f.zh}（${f.field}）：无法读取智邦ERP的选项列表，本次未写入` : `${f.zh}（${f.field}）：智邦ERP中没有「${v}」这一选项，本次未写入`;
  const en = why === 'lookup' ? `${f.en}: the ERP's option list could not be read; left out` : `${f.en}: the ERP has no option "${v}"; left out`;
  return `${zh} / ${en}`.slice(0, 200);
}

export interface EnumResolution {
  id?: string;
  warning?: string;
  /** Why there is no id: the list could not be read, or it lacks the value. */
  failed?: 'lookup' | 'missing';
}

/**
 * An option's id for a name (or an id) in one enum, without ever throwing for a failed lookup:
 * `{id}` when found, `{warning}` when the list could not be read or lacks the value.
 */
export async function resolveEnum(client: ZhibangClient, enumid: number, value: string, now: () => number, signal?: AbortSignal): Promise<EnumResolution> {
  const want = value.trim();
  if (!want) return {};
  let options: EnumOption[];
  try {
    options = await loadEnum(client, enumid, now, signal);
  } catch (err) {
    if (softEnumFailure(err)) return { warning: enumWarning(enumid, 'lookup'), failed: 'lookup' };
    throw err;
  }
  const hit = options.find((o) => o.name === want) ?? options.find((o) => o.id === want);
  return hit ? { id: hit.id } : { warning: enumWarning(enumid, 'missing', want), failed: 'missing' };
}

/**
 * The ly id for a Liaison source name, else the connection's default source (silently: the
 * default is what the user chose for customers whose source the ERP does not list). A failed
 * lookup falls back to the default too, with a warning.
 */
export async function sourceId(client: ZhibangClient, source: string | undefined, now: () => number, signal?: AbortSignal): Promise<EnumResolution> {
  const name = source?.trim();
  const fallback = client.config.defaultSource;
  if (!name) return fallback ? { id: fallback } : {};
  const r = await resolveEnum(client, ENUM_IDS.source, name, now, signal);
  if (r.id) return r;
  if (r.failed === 'missing' && fallback) return { id: fallback }; // not listed: the default stands in
  return { ...(fallback ? { id: fallback } : {}), ...(r.warning ? { warning: r.warning } : {}) };
}
