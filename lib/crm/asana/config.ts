// The connection's settings and secret for Asana, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The token comes
// from deps.secrets only and never appears in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import { TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../../model/enums';
import { PRIORITY_FIELDS, SECTION_FIELDS } from './spec';

export const ASANA_ORIGIN = 'https://app.asana.com';

const optionalText = z.string().trim().optional().transform((v) => (v ? v : undefined));
/** Asana gids are digit strings (they are opaque, but every gid the API has issued is numeric). */
const gid = z.string().trim().regex(/^\d{1,40}$/, 'an Asana gid (digits)').optional();

export const asanaSettingsSchema = z.object({
  workspaceGid: gid,
  projectGid: gid,
  priorityFieldGid: z.string().trim().optional().transform((v) => (v ? v : undefined)).pipe(gid),
  categoryFieldGid: z.string().trim().optional().transform((v) => (v ? v : undefined)).pipe(gid),
  priorityLow: optionalText,
  priorityMedium: optionalText,
  priorityHigh: optionalText,
  priorityUrgent: optionalText,
  sectionsNew: optionalText,
  sectionsInProgress: optionalText,
  sectionsWaiting: optionalText,
  sectionsResolved: optionalText,
  sectionsClosed: optionalText,
  account: z.string().optional(),
});
export type AsanaSettings = z.infer<typeof asanaSettingsSchema>;

export interface AsanaConfig {
  connectionId: string;
  /** Where requests go: https://app.asana.com/api/1.0, or the emulator's in tests. */
  baseUrl: string;
  token: string;
  settings: AsanaSettings;
}

const invalid = (where: string) =>
  new CrmError('validation', `Asana settings: ${where}`, { userMessage: { zh_CN: `Asana 连接设置有误（${where}）`, en: `The Asana connection settings are invalid (${where})` } });

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl?: string): AsanaConfig {
  const parsed = asanaSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i ? `${i.path.join('.')}: ${i.message}` : 'invalid');
  }
  const token = deps.secrets.token?.trim();
  if (!token) {
    throw new CrmError('auth', 'Asana: no personal access token stored for this connection', {
      userMessage: { zh_CN: '请粘贴 Asana 个人访问令牌', en: 'Paste your Asana personal access token' },
    });
  }
  return { connectionId: deps.connection.id, baseUrl: `${(baseUrl ?? ASANA_ORIGIN).replace(/\/+$/, '')}/api/1.0`, token, settings: parsed.data };
}

const notConfigured = (what: { zh: string; en: string }) =>
  new CrmError('validation', `Asana: no ${what.en} chosen`, {
    vendorCode: 'NOT_CONFIGURED',
    userMessage: { zh_CN: `请在 Asana 连接设置中选择${what.zh}`, en: `Choose the ${what.en} in the Asana connection settings` },
  });

export function requireWorkspace(config: AsanaConfig): string {
  if (!config.settings.workspaceGid) throw notConfigured({ zh: '工作区', en: 'workspace' });
  return config.settings.workspaceGid;
}

/** The workspace and project tickets go to; a clear refusal when the form left them out. */
export function target(config: AsanaConfig): { workspaceGid: string; projectGid: string } {
  const workspaceGid = requireWorkspace(config);
  if (!config.settings.projectGid) throw notConfigured({ zh: '项目', en: 'project' });
  return { workspaceGid, projectGid: config.settings.projectGid };
}

/** The option name a 紧急程度 maps to (the connection's choice, else the default). */
export function priorityOption(config: AsanaConfig, p: TicketPriority): string {
  const f = PRIORITY_FIELDS[p];
  return (config.settings as Record<string, string | undefined>)[f.key] ?? f.default;
}

const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/** Section name → ticket status, from the connection's lists (names split on , ， 、 or newlines). */
export function sectionStatuses(config: AsanaConfig): Map<string, TicketStatus> {
  const out = new Map<string, TicketStatus>();
  for (const status of TICKET_STATUSES) {
    const raw = (config.settings as Record<string, string | undefined>)[SECTION_FIELDS[status]];
    for (const name of (raw ?? '').split(/[,，、\n]/).map(norm).filter(Boolean)) if (!out.has(name)) out.set(name, status);
  }
  return out;
}
export const sectionKey = norm;
