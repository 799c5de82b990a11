// The connection's settings and secret for Linear, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The API key comes
// from deps.secrets only and never appears in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import type { TicketPriority } from '../../model/enums';
import { PRIORITY_FIELDS } from './spec';

/** Linear's ids are UUIDs (teams, labels, issues, comments). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalId = (what: string) => z.string().trim().optional().transform((v) => (v ? v : undefined)).refine((v) => v === undefined || UUID.test(v), `a Linear ${what} id (a UUID)`);
const optionalPriority = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v) => (v === undefined || String(v).trim() === '' ? undefined : Number(String(v).trim())))
  .refine((v) => v === undefined || (Number.isInteger(v) && v >= 0 && v <= 4), 'a Linear priority 0–4');

export const linearSettingsSchema = z.object({
  teamId: optionalId('team'),
  labelId: optionalId('label'),
  priorityLow: optionalPriority,
  priorityMedium: optionalPriority,
  priorityHigh: optionalPriority,
  priorityUrgent: optionalPriority,
  /** From verify(): whose key it is. */
  account: z.string().optional(),
});
export type LinearSettings = z.infer<typeof linearSettingsSchema>;

export interface LinearConfig {
  connectionId: string;
  /** Where the GraphQL endpoint lives: https://api.linear.app, or the emulator's origin in tests. */
  baseUrl: string;
  apiKey: string;
  settings: LinearSettings;
}

export const LINEAR_API = 'https://api.linear.app';

const invalid = (where: string) =>
  new CrmError('validation', `Linear settings: ${where}`, { userMessage: { zh_CN: `Linear 连接设置有误（${where}）`, en: `The Linear connection settings are invalid (${where})` } });

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl?: string): LinearConfig {
  const parsed = linearSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i ? `${i.path.join('.')}: ${i.message}` : 'invalid');
  }
  const apiKey = deps.secrets.apiKey?.trim();
  if (!apiKey) {
    throw new CrmError('auth', 'Linear: no API key stored for this connection', {
      userMessage: { zh_CN: '请粘贴 Linear 个人 API 密钥', en: 'Paste your Linear personal API key' },
    });
  }
  // A pasted "Bearer lin_api_…" is the OAuth form: personal keys go bare (Authentication page).
  return { connectionId: deps.connection.id, baseUrl: (baseUrl ?? LINEAR_API).replace(/\/+$/, ''), apiKey: apiKey.replace(/^Bearer\s+/i, ''), settings: parsed.data };
}

/** The team tickets go to; a clear refusal when the form left it out. */
export function requireTeam(config: LinearConfig): string {
  const { teamId } = config.settings;
  if (!teamId) {
    throw new CrmError('validation', 'Linear: no team chosen for tickets', {
      vendorCode: 'NOT_CONFIGURED',
      userMessage: { zh_CN: '请在 Linear 连接设置中选择团队', en: 'Choose the team in the Linear connection settings' },
    });
  }
  return teamId;
}

/** The Linear priority (0–4) a 紧急程度 maps to (the connection's choice, else the default). */
export function priorityOf(config: LinearConfig, p: TicketPriority): number {
  const f = PRIORITY_FIELDS[p];
  const v = (config.settings as Record<string, unknown>)[f.key];
  return typeof v === 'number' ? v : f.default;
}
