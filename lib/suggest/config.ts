// The "理解与自动记录" settings: auto-logging switches, automation rules and the LLM endpoint.
// Kept in kv under their own key (not in Settings) because they are saved from their own
// options section and the LLM API key beside them lives in the secrets table, background only.
import { z } from 'zod';
import type { LiaisonDb } from '../db/db';
import { ruleSchema } from '../rules/schema';
import { lazySchema } from '../model/lazy-schema';

export const UNDERSTANDING_KEY = 'understanding';
/** The secrets-table row of the LLM key (connection ids are UUIDs or 'local', so no clash). */
export const LLM_SECRET_ID = 'llm:endpoint';

export const llmConfigSchema = lazySchema(() => z.object({
  enabled: z.boolean(),
  /** OpenAI-compatible base, e.g. https://api.deepseek.com/v1, http://localhost:11434/v1 */
  baseUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
  model: z.string().trim().max(100),
  /** Off by default: without it nothing from a conversation ever reaches the endpoint. */
  sendCustomerData: z.boolean(),
  timeoutMs: z.number().int().min(1000).max(120_000),
}));
export type LlmConfig = z.infer<typeof llmConfigSchema>;

export const understandingConfigSchema = lazySchema(() => z.object({
  autoLog: z.object({
    /** Site id (lib/readers/registry.ts) → on. Missing means off. */
    sites: z.record(z.string().max(50), z.boolean()),
    /** Connection id → auto-logged follow-ups go there. 'local' is the embedded CRM. */
    connections: z.record(z.string().max(100), z.boolean()),
    /** Messages closer than this belong to one follow-up record. */
    windowMinutes: z.number().int().min(5).max(24 * 60),
  }),
  /** Customers the user said never to auto-log. */
  neverLog: z.array(z.string().max(100)).max(10_000),
  rules: z.array(ruleSchema).max(100),
  llm: llmConfigSchema,
}));
export type UnderstandingConfig = z.infer<typeof understandingConfigSchema>;

export const DEFAULT_UNDERSTANDING: UnderstandingConfig = {
  autoLog: { sites: {}, connections: {}, windowMinutes: 30 },
  neverLog: [],
  rules: [],
  llm: { enabled: false, baseUrl: '', model: '', sendCustomerData: false, timeoutMs: 15_000 },
};

/** What the options page sees: the config plus whether a key is stored, never the key. */
export const understandingViewSchema = lazySchema(() => understandingConfigSchema.extend({ llmKeyStored: z.boolean() }));
export type UnderstandingView = z.infer<typeof understandingViewSchema>;

export async function getUnderstandingConfig(db: LiaisonDb): Promise<UnderstandingConfig> {
  const parsed = understandingConfigSchema.safeParse((await db.kv.get(UNDERSTANDING_KEY))?.value);
  // A bad stored value (older version, hand-edited import) means defaults: everything off.
  return parsed.success ? parsed.data : structuredClone(DEFAULT_UNDERSTANDING);
}

export async function getUnderstandingView(db: LiaisonDb): Promise<UnderstandingView> {
  const [config, secret] = await Promise.all([getUnderstandingConfig(db), db.secrets.get(LLM_SECRET_ID)]);
  return { ...config, llmKeyStored: !!secret?.value.apiKey };
}

/** Saves the config; apiKey: non-blank replaces the stored key, blank keeps it, null removes it. */
export async function saveUnderstandingConfig(db: LiaisonDb, config: UnderstandingConfig, apiKey?: string | null): Promise<UnderstandingView> {
  const parsed = understandingConfigSchema.parse(config);
  await db.transaction('rw', db.kv, db.secrets, async () => {
    await db.kv.put({ key: UNDERSTANDING_KEY, value: parsed });
    if (apiKey === null) await db.secrets.delete(LLM_SECRET_ID);
    else if (apiKey?.trim()) await db.secrets.put({ connectionId: LLM_SECRET_ID, value: { apiKey: apiKey.trim() } });
  });
  return getUnderstandingView(db);
}

export async function llmApiKey(db: LiaisonDb): Promise<string> {
  return (await db.secrets.get(LLM_SECRET_ID))?.value.apiKey ?? '';
}

export async function setNeverLog(db: LiaisonDb, customerId: string, never: boolean): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const c = await getUnderstandingConfig(db);
    const set = new Set(c.neverLog);
    if (never) set.add(customerId);
    else set.delete(customerId);
    await db.kv.put({ key: UNDERSTANDING_KEY, value: { ...c, neverLog: [...set] } });
  });
}
