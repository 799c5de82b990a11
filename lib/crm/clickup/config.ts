// The connection's settings and secret for ClickUp, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The token comes from
// deps.secrets only and never appears in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import type { TicketPriority } from '../../model/enums';
import { PRIORITY_FIELDS } from './spec';

/** The API host (developer.clickup.com: https://api.clickup.com/api/v2). */
export const CLICKUP_API = 'https://api.clickup.com';
/** Where a user opens a task: the reply's `url` (https://app.clickup.com/t/<id>) when present. */
export const CLICKUP_APP = 'https://app.clickup.com';

const numericId = (what: string) => z.string().trim().regex(/^\d{1,20}$/, `a ClickUp ${what} id (digits)`).optional();
const priority = z.enum(['1', '2', '3', '4', 'none']).optional().or(z.literal('').transform(() => undefined));

export const clickupSettingsSchema = z.object({
  teamId: numericId('Workspace'),
  listId: numericId('List'),
  priorityLow: priority,
  priorityMedium: priority,
  priorityHigh: priority,
  priorityUrgent: priority,
  /** From verify(): whose token it is. */
  account: z.string().optional(),
});
export type ClickUpSettings = z.infer<typeof clickupSettingsSchema>;

export interface ClickUpConfig {
  connectionId: string;
  /** Where requests go: api.clickup.com, or the emulator's origin in tests. */
  baseUrl: string;
  token: string;
  settings: ClickUpSettings;
}

const invalid = (where: string) =>
  new CrmError('validation', `ClickUp settings: ${where}`, { userMessage: { zh_CN: `ClickUp 连接设置有误（${where}）`, en: `The ClickUp connection settings are invalid (${where})` } });

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl?: string): ClickUpConfig {
  const parsed = clickupSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i ? `${i.path.join('.')}: ${i.message}` : 'invalid');
  }
  const token = deps.secrets.token?.trim();
  if (!token) {
    throw new CrmError('auth', 'ClickUp: no API token stored for this connection', {
      userMessage: { zh_CN: '请粘贴 ClickUp 个人 API 令牌（pk_ 开头）', en: 'Paste your ClickUp personal API token (starts with pk_)' },
    });
  }
  // A personal token starts with pk_ ("Authentication"); an OAuth token would need "Bearer", which this connection does not do.
  if (!/^pk_[A-Za-z0-9_]+$/.test(token)) {
    throw new CrmError('auth', 'ClickUp: the stored token is not a personal API token (pk_…)', {
      vendorCode: 'NOT_A_PERSONAL_TOKEN',
      userMessage: { zh_CN: '这不是 ClickUp 个人 API 令牌：它应以 pk_ 开头（设置 → 应用 → API 令牌）', en: 'This is not a ClickUp personal API token: it starts with pk_ (Settings → Apps → API Token)' },
    });
  }
  return { connectionId: deps.connection.id, baseUrl: (baseUrl ?? CLICKUP_API).replace(/\/+$/, ''), token, settings: parsed.data };
}

const notConfigured = (zh: string, en: string) =>
  new CrmError('validation', `ClickUp: no ${en} chosen for tickets`, { vendorCode: 'NOT_CONFIGURED', userMessage: { zh_CN: `请在 ClickUp 连接设置中选择${zh}`, en: `Choose the ${en} in the ClickUp connection settings` } });

/** The list tickets go to; a clear refusal when the form left it out. */
export function requireList(config: ClickUpConfig): string {
  if (!config.settings.listId) throw notConfigured('列表', 'List');
  return config.settings.listId;
}

/** The Workspace (the List chooser needs it first). */
export function requireTeam(config: ClickUpConfig): string {
  if (!config.settings.teamId) throw notConfigured('工作区', 'Workspace');
  return config.settings.teamId;
}

/** The ClickUp priority (1 urgent … 4 low) a 紧急程度 maps to; null: the connection chose none. */
export function priorityOf(config: ClickUpConfig, p: TicketPriority): number | null {
  const f = PRIORITY_FIELDS[p];
  const v = (config.settings as Record<string, string | undefined>)[f.key] ?? f.default;
  return v === 'none' ? null : Number(v);
}
