// The connection's settings and secret for Freshdesk, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The API key comes
// from deps.secrets only and never appears in an error message.
import { z } from 'zod';
import type { TicketPriority } from '../../model/enums';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import { PRIORITY_FIELDS } from './spec';

/** A Freshdesk domain: the part before .freshdesk.com (letters, digits, hyphens). */
export const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

const optionalText = z.string().trim().optional().transform((v) => (v ? v : undefined));
const priority = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : String(v).trim()))
  .refine((v) => v === undefined || /^[1-4]$/.test(v), 'a Freshdesk priority: 1 Low, 2 Medium, 3 High, 4 Urgent');

export const freshdeskSettingsSchema = z.object({
  domain: z.string().trim().regex(DOMAIN, 'only the part before .freshdesk.com (e.g. acme)'),
  groupId: z.string().trim().regex(/^\d{1,19}$/, 'a Freshdesk group id').optional().or(z.literal('').transform(() => undefined)),
  ticketType: optionalText,
  priorityLow: priority,
  priorityMedium: priority,
  priorityHigh: priority,
  priorityUrgent: priority,
  /** From verify(): whose key it is. */
  account: z.string().optional(),
});
export type FreshdeskSettings = z.infer<typeof freshdeskSettingsSchema>;

export interface FreshdeskConfig {
  connectionId: string;
  domain: string;
  apiKey: string;
  /** Where requests go: https://{domain}.freshdesk.com, or the emulator in tests. */
  baseUrl: string;
  /** Where people open things: always the real https://{domain}.freshdesk.com. */
  webUrl: string;
  settings: FreshdeskSettings;
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl?: string): FreshdeskConfig {
  const parsed = freshdeskSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
    throw new CrmError('validation', `Freshdesk settings: ${where}`, {
      userMessage: { zh_CN: `Freshdesk 连接设置有误（${where}）`, en: `The Freshdesk connection settings are invalid (${where})` },
    });
  }
  const apiKey = deps.secrets.apiKey?.trim();
  if (!apiKey) {
    throw new CrmError('auth', 'Freshdesk: no API key stored for this connection', {
      userMessage: { zh_CN: '请粘贴 Freshdesk 的 API 密钥', en: 'Paste your Freshdesk API key' },
    });
  }
  const s = parsed.data;
  const domain = s.domain.toLowerCase();
  const webUrl = `https://${domain}.freshdesk.com`;
  return { connectionId: deps.connection.id, domain, apiKey, baseUrl: (baseUrl ?? webUrl).replace(/\/+$/, ''), webUrl, settings: s };
}

/** Basic credentials: the API key as the user name and "X" as the password, base64 of the UTF-8 bytes. */
export function basicAuth(apiKey: string): string {
  const bytes = new TextEncoder().encode(`${apiKey}:X`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

/** The Freshdesk priority (1–4) a 紧急程度 maps to: the connection's choice, else the default. */
export function priorityOf(config: FreshdeskConfig, p: TicketPriority): number {
  const f = PRIORITY_FIELDS[p];
  const v = (config.settings as Record<string, string | undefined>)[f.key];
  return v ? Number(v) : f.default;
}
