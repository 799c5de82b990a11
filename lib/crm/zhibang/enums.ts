// Enum lists (mobilephone/source.asp?enumid=N) so users pick values that exist in their ERP:
// 13 客户来源 ly, 98 洽谈方式 (follow-up method), 14 价值评估 jz, 11 行业 trade. Cached per
// connection for a few minutes because a create that maps customer.source by name needs the ly
// list (and a template naming an option by name needs its field's list).
import { PATHS, type ZhibangClient } from './client';
import { tableRows } from './wire';

export interface EnumOption {
  id: string;
  name: string;
}

export const ENUM_IDS = { source: 13, followUpMethod: 98, value: 14, trade: 11 } as const;

const cache = new Map<string, { at: number; options: EnumOption[] }>();
const TTL_MS = 10 * 60_000;

/** Tests only. */
export function resetZhibangEnumCache(): void {
  cache.clear();
}

export async function loadEnum(client: ZhibangClient, enumid: number, now: () => number, signal?: AbortSignal): Promise<EnumOption[]> {
  const key = `${client.config.connectionId}|${enumid}`;
  const hit = cache.get(key);
  if (hit && now() - hit.at < TTL_MS) return hit.options;
  const doc = await client.v1(PATHS.source, 'refresh', {}, { searchParams: { enumid: String(enumid) }, ...(signal ? { signal } : {}) });
  // Column ids vary between versions; fall back to the first two columns (id, name).
  const options = tableRows(doc)
    .map((r) => {
      const vals = Object.values(r);
      return { id: r.id ?? r.ord ?? vals[0] ?? '', name: r.name ?? r.title ?? vals[1] ?? '' };
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

/** The ly id for a Liaison source name, else the connection's default source. */
export async function sourceId(client: ZhibangClient, source: string | undefined, now: () => number, signal?: AbortSignal): Promise<string | undefined> {
  const name = source?.trim();
  if (name) {
    const hit = (await loadEnum(client, ENUM_IDS.source, now, signal)).find((o) => o.name === name || o.id === name);
    if (hit) return hit.id;
  }
  return client.config.defaultSource;
}
