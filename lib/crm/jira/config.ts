// The connection's settings and secret for Jira, parsed at operation time (never at construction:
// the registry meta-test builds adapters with empty settings). The API token comes from
// deps.secrets only and never appears in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import type { TicketPriority } from '../../model/enums';
import { PRIORITY_FIELDS } from './spec';
import { lazySchema } from '../../model/lazy-schema';

const optionalText = z.string().trim().optional().transform((v) => (v ? v : undefined));

export const jiraSettingsSchema = lazySchema(() => z.object({
  site: z.string().optional(),
  email: z.string().optional(),
  /** A Jira project key: uppercase letter first, then uppercase letters, digits or underscores. */
  projectKey: z.string().trim().regex(/^[A-Z][A-Z0-9_]{0,254}$/, 'a Jira project key such as SUP').optional(),
  issueTypeId: z.string().trim().regex(/^\d+$/, 'a Jira issue type id').optional(),
  priorityLow: optionalText,
  priorityMedium: optionalText,
  priorityHigh: optionalText,
  priorityUrgent: optionalText,
  /** From verify(): whose token it is. */
  account: z.string().optional(),
}));
export type JiraSettings = z.infer<typeof jiraSettingsSchema>;

export interface JiraConfig {
  connectionId: string;
  /** https://<site>.atlassian.net (origin only): browse links are built on it. */
  site: string;
  /** Where requests go: the site, or the emulator's origin in tests. */
  baseUrl: string;
  email: string;
  token: string;
  settings: JiraSettings;
}

const invalid = (where: string) =>
  new CrmError('validation', `Jira settings: ${where}`, { userMessage: { zh_CN: `Jira 连接设置有误（${where}）`, en: `The Jira connection settings are invalid (${where})` } });

/** The site as an https origin; Jira Cloud answers on https only. */
export function siteOrigin(raw: string | undefined): string | undefined {
  if (!raw?.trim()) return undefined;
  try {
    const u = new URL(raw.trim());
    return u.protocol === 'https:' && u.hostname.includes('.') ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl?: string): JiraConfig {
  const parsed = jiraSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i ? `${i.path.join('.')}: ${i.message}` : 'invalid');
  }
  const s = parsed.data;
  const site = siteOrigin(s.site);
  if (!site) throw invalid('site: an https address such as https://your-site.atlassian.net');
  const email = s.email?.trim();
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid('email: the Atlassian account email');
  const token = deps.secrets.token?.trim();
  if (!token) {
    throw new CrmError('auth', 'Jira: no API token stored for this connection', {
      userMessage: { zh_CN: '请粘贴 Atlassian API 令牌', en: 'Paste your Atlassian API token' },
    });
  }
  return { connectionId: deps.connection.id, site, baseUrl: (baseUrl ?? site).replace(/\/+$/, ''), email, token, settings: s };
}

/** The project and issue type tickets go to; a clear refusal when the form left them out. */
export function target(config: JiraConfig): { projectKey: string; issueTypeId: string } {
  const { projectKey, issueTypeId } = config.settings;
  if (!projectKey || !issueTypeId) {
    throw new CrmError('validation', `Jira: no ${projectKey ? 'issue type' : 'project'} chosen for tickets`, {
      vendorCode: 'NOT_CONFIGURED',
      userMessage: { zh_CN: '请在 Jira 连接设置中选择项目和问题类型', en: 'Choose the project and the issue type in the Jira connection settings' },
    });
  }
  return { projectKey, issueTypeId };
}

/** The project alone (the issue-type chooser needs it first). */
export function requireProject(config: JiraConfig): string {
  const { projectKey } = config.settings;
  if (!projectKey) {
    throw new CrmError('validation', 'Jira: no project chosen', {
      vendorCode: 'NOT_CONFIGURED',
      userMessage: { zh_CN: '请先在 Jira 连接设置中选择项目', en: 'Choose the project in the Jira connection settings first' },
    });
  }
  return projectKey;
}

/** The Jira priority name a 紧急程度 maps to (the connection's choice, else Jira's default scheme). */
export function priorityName(config: JiraConfig, p: TicketPriority): string {
  const f = PRIORITY_FIELDS[p];
  return (config.settings as Record<string, string | undefined>)[f.key] ?? f.default;
}
