// The connection's settings and secret for Zendesk, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The API token
// comes from deps.secrets only and is never put into an error message.
import { z } from 'zod';
import { TICKET_CATEGORIES } from '../../model/enums';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';
import { DEFAULT_TICKET_TYPES, ZENDESK_TICKET_TYPES, type ZendeskTicketType } from './spec';

/** A Zendesk subdomain: letters, digits and hyphens (the part before .zendesk.com). */
export const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export const zendeskSettingsSchema = z.object({
  subdomain: z.string().trim().regex(SUBDOMAIN, 'only the part before .zendesk.com (e.g. acme)'),
  email: z.string().trim().email(),
  mapping: mappingSchema.partial().optional(),
  /** Which Zendesk ticket type each Liaison category becomes (absent: DEFAULT_TICKET_TYPES). */
  ticketTypes: z.partialRecord(z.enum(TICKET_CATEGORIES), z.enum(ZENDESK_TICKET_TYPES)).optional(),
  /** From verify(): who the token acts as, for the options page. */
  account: z.string().optional(),
});
export type ZendeskSettings = z.infer<typeof zendeskSettingsSchema>;

export interface ZendeskConfig {
  connectionId: string;
  subdomain: string;
  email: string;
  token: string;
  /** Where requests go: https://{subdomain}.zendesk.com, or the emulator in tests. */
  baseUrl: string;
  /** Where people open things: always the real https://{subdomain}.zendesk.com. */
  webUrl: string;
  mapping: Partial<CrmMapping>;
  ticketTypes: Record<(typeof TICKET_CATEGORIES)[number], ZendeskTicketType>;
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl?: string): ZendeskConfig {
  const parsed = zendeskSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
    throw new CrmError('validation', `Zendesk settings: ${where}`, {
      userMessage: { zh_CN: `Zendesk 连接设置有误（${where}）`, en: `The Zendesk connection settings are invalid (${where})` },
    });
  }
  const token = deps.secrets.apiToken?.trim();
  if (!token) {
    throw new CrmError('auth', 'Zendesk: no API token stored for this connection', {
      userMessage: { zh_CN: '请粘贴 Zendesk 的 API 令牌', en: 'Paste your Zendesk API token' },
    });
  }
  const s = parsed.data;
  const webUrl = `https://${s.subdomain.toLowerCase()}.zendesk.com`;
  return {
    connectionId: deps.connection.id,
    subdomain: s.subdomain.toLowerCase(),
    email: s.email,
    token,
    baseUrl: (baseUrl ?? webUrl).replace(/\/+$/, ''),
    webUrl,
    mapping: s.mapping ?? {},
    ticketTypes: { ...DEFAULT_TICKET_TYPES, ...s.ticketTypes },
  };
}

/** Basic credentials for an API token: `{email}/token:{api_token}`, base64 of its UTF-8 bytes. */
export function basicAuth(c: Pick<ZendeskConfig, 'email' | 'token'>): string {
  const bytes = new TextEncoder().encode(`${c.email}/token:${c.token}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}
