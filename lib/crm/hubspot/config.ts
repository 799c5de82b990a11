// The connection's settings and secret for HubSpot, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The token comes
// from deps.secrets only and is never put into an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';

export const hubspotSettingsSchema = z.object({
  /** Overrides of spec.defaultMapping (HubSpot internal property names). */
  mapping: mappingSchema.partial().optional(),
  /** Liaison stage → hs_lead_status value, over the defaults in values.ts. */
  stage_map: z.record(z.string(), z.string()).optional(),
  /** From prepare(): the portal the properties were created in (informational). */
  portal_id: z.string().optional(),
  /** Tickets: the pipeline (id) and the stage (id) new tickets start in; default pipeline 0, its first stage. */
  ticket_pipeline: z.preprocess((v) => (typeof v === 'string' && !v.trim() ? undefined : v), z.string().trim().max(100).optional()),
  ticket_stage: z.preprocess((v) => (typeof v === 'string' && !v.trim() ? undefined : v), z.string().trim().max(100).optional()),
});

export interface HubspotConfig {
  connectionId: string;
  token: string;
  baseUrl: string;
  mapping: Partial<CrmMapping>;
  stageMap: Record<string, string>;
  /** Default pipeline "0" (readConfig); optional so a hand-built config in tests stays valid. */
  ticketPipeline?: string;
  ticketStage?: string;
  portalId?: string;
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl: string): HubspotConfig {
  const parsed = hubspotSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
    throw new CrmError('validation', `HubSpot settings: ${where}`, {
      userMessage: { zh_CN: `HubSpot 连接设置有误（${where}）`, en: `The HubSpot connection settings are invalid (${where})` },
    });
  }
  const token = deps.secrets.token?.trim();
  if (!token) {
    throw new CrmError('auth', 'HubSpot: no access token stored for this connection', {
      userMessage: { zh_CN: '请粘贴 HubSpot 私有应用的访问令牌', en: 'Paste the HubSpot private app access token' },
    });
  }
  return {
    connectionId: deps.connection.id,
    token,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    mapping: parsed.data.mapping ?? {},
    stageMap: parsed.data.stage_map ?? {},
    ticketPipeline: parsed.data.ticket_pipeline ?? '0',
    ...(parsed.data.ticket_stage ? { ticketStage: parsed.data.ticket_stage } : {}),
    ...(parsed.data.portal_id ? { portalId: parsed.data.portal_id } : {}),
  };
}
