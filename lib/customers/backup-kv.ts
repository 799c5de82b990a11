// The kv rows a backup carries, and how each is checked on the way in. The kv table also holds
// runtime state (circuit breakers, rate gates, reader health, lead-review pages, cached
// understanding, the open chat); that is per machine, is not exported and is never imported.
// A key not listed here is dropped and counted, so a doctored file cannot plant state the
// background would act on. Every value is re-validated with the schema its owner reads it with.
import { z } from 'zod';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../model';
import { SETTINGS_KEY } from '../settings/store';
import { understandingConfigSchema, UNDERSTANDING_KEY } from '../suggest/config';
import { strategySchema, STRATEGY_KEY } from '../strategy/schema';
import { customSitesSchema } from '../custom-sites/schema';
import { STAGE_LOG_PREFIX, STAGE_LOG_SINCE_KEY } from '../stats/stage-log';
import { createMemorySchema, doneSchema } from '../crm/zhibang/state';
import { chatUrlOrUndefined } from './chat-url';
import { lazySchema } from '../model/lazy-schema';

export const CUSTOM_SITES_KEY = 'customSites';
export const CHAT_URL_PREFIX = 'chatUrl:';
const RULES_FIRED_PREFIX = 'rules:fired:';
const ZHIBANG_PREFIX = 'zhibang:';

const time = lazySchema(() => z.number().int().nonnegative());
const stageChangeSchema = lazySchema(() => z.object({ customerId: z.string().min(1).max(100), from: z.string().max(50).optional(), to: z.string().max(50), at: time }));

const EXACT: Record<string, z.ZodType> = {
  [SETTINGS_KEY]: settingsSchema,
  [UNDERSTANDING_KEY]: understandingConfigSchema,
  [STRATEGY_KEY]: strategySchema,
  [CUSTOM_SITES_KEY]: customSitesSchema,
  [STAGE_LOG_SINCE_KEY]: time,
};

const PREFIXED: [prefix: string, schema: z.ZodType][] = [
  // The stage history (reports read it back with the same shape).
  [STAGE_LOG_PREFIX, stageChangeSchema],
  // Which automation rules already fired per customer: without it they would fire again.
  [RULES_FIRED_PREFIX, z.array(z.string().max(300)).max(1000)],
  // 智邦's create memory (allocated ords) travels with the outbox it guards against duplicates.
  [ZHIBANG_PREFIX, z.union([createMemorySchema, doneSchema])],
];

export type KvRow = { key: string; value: unknown };

export interface KvVerdict {
  keep: KvRow[];
  /** Keys no backup writes, values that failed their schema, and unknown or invalid fields of the settings. */
  droppedKeys: number;
  /** chatUrl rows whose address is not a chat page. */
  droppedChatUrls: number;
}

/** Whether a key is part of a backup at all (export writes only these). */
export function isBackedUpKey(key: string): boolean {
  return Object.hasOwn(EXACT, key) || key.startsWith(CHAT_URL_PREFIX) || PREFIXED.some(([p]) => key.startsWith(p));
}

/**
 * The rows to import. Chat URLs must be http(s) pages of a site Liaison reads or of a site the
 * user defined (the target's own definitions and the imported, validated ones).
 */
export function checkKvRows(rows: readonly KvRow[], existingCustomPatterns: readonly string[]): KvVerdict {
  const keep: KvRow[] = [];
  let droppedKeys = 0;
  let droppedChatUrls = 0;
  const validated = (row: KvRow): KvRow | undefined => {
    const schema = Object.hasOwn(EXACT, row.key) ? EXACT[row.key] : PREFIXED.find(([p]) => row.key.startsWith(p) && row.key.length > p.length)?.[1];
    if (!schema) return undefined;
    const r = schema.safeParse(row.value);
    return r.success ? { key: row.key, value: r.data } : undefined;
  };
  const sites = rows.find((r) => r.key === CUSTOM_SITES_KEY);
  const importedSites = sites ? customSitesSchema.safeParse(sites.value) : undefined;
  const patterns = [...existingCustomPatterns, ...(importedSites?.success ? importedSites.data.map((s) => s.pattern) : [])];
  for (const row of rows) {
    if (row.key === SETTINGS_KEY) {
      const { value, dropped } = settingsFieldByField(row.value);
      keep.push({ key: row.key, value });
      droppedKeys += dropped;
      continue;
    }
    if (row.key.startsWith(CHAT_URL_PREFIX)) {
      const href = row.key.length > CHAT_URL_PREFIX.length ? chatUrlOrUndefined(row.value, patterns) : undefined;
      if (href) keep.push({ key: row.key, value: href });
      else droppedChatUrls += 1;
      continue;
    }
    const ok = validated(row);
    if (ok) keep.push(ok);
    else droppedKeys += 1;
  }
  return { keep, droppedKeys, droppedChatUrls };
}

/**
 * The settings, each field re-validated on its own (as getSettings reads them): a valid field is
 * kept, an invalid one takes its default, an unknown one is dropped; both are counted.
 */
function settingsFieldByField(raw: unknown): { value: Settings; dropped: number } {
  const stored = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const known = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
  let dropped = Object.keys(stored).filter((k) => !(known as string[]).includes(k)).length;
  const merged: Record<string, unknown> = {};
  for (const key of known) {
    const field = Object.hasOwn(stored, key) ? settingsSchema.shape[key].safeParse(stored[key]) : undefined;
    if (field?.success) merged[key] = field.data;
    else {
      if (field) dropped += 1;
      merged[key] = structuredClone(DEFAULT_SETTINGS[key]);
    }
  }
  const whole = settingsSchema.safeParse(merged);
  return whole.success ? { value: whole.data, dropped } : { value: structuredClone(DEFAULT_SETTINGS), dropped: dropped + 1 };
}
