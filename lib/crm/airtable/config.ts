// The connection's settings and token for Airtable, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The token comes
// from deps.secrets only and is never put into an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';
import { DEFAULT_TABLES } from './spec';

/** A name used inside {braces} of a formula: a closing brace or a backslash would end or bend it. */
const braceSafe = z.string().trim().min(1).regex(/^[^{}\\]+$/, 'must not contain { } or \\');

export const airtableSettingsSchema = z.object({
  baseName: z.string().trim().min(1).optional(),
  /** From prepare() or the first resolution: the base id (appXXXXXXXXXXXXXX). */
  baseId: z.string().regex(/^app[A-Za-z0-9]{14}$/).optional(),
  customerTable: braceSafe.optional(),
  followUpTable: braceSafe.optional(),
  dealTable: braceSafe.optional(),
  taskTable: braceSafe.optional(),
  mapping: mappingSchema.partial().optional(),
  /** Liaison stage → 客户阶段 option, when the base names stages differently. */
  stageMap: z.record(z.string(), z.string()).optional(),
});

export type TableRole = keyof typeof DEFAULT_TABLES;
export const TABLE_ROLES = ['customer', 'followUp', 'deal', 'task'] as const satisfies readonly TableRole[];

export interface AirtableConfig {
  connectionId: string;
  token: string;
  baseName?: string;
  baseId?: string;
  tables: Record<TableRole, string>;
  mapping: Partial<CrmMapping>;
  stageMap: Record<string, string>;
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>): AirtableConfig {
  const parsed = airtableSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
    throw new CrmError('validation', `Airtable settings: ${where}`, {
      userMessage: { zh_CN: `Airtable 连接设置有误（${where}）`, en: `The Airtable connection settings are invalid (${where})` },
    });
  }
  const s = parsed.data;
  const token = deps.secrets.token?.trim();
  if (!token) throw new CrmError('auth', 'Airtable: no personal access token stored for this connection', { userMessage: { zh_CN: '请粘贴 Airtable 个人访问令牌', en: 'Paste the Airtable personal access token' } });
  if (!s.baseId && !s.baseName) {
    throw new CrmError('validation', 'Airtable: no base chosen', { userMessage: { zh_CN: '请填写或选择 Airtable Base 名称', en: 'Enter or choose the Airtable base name' } });
  }
  return {
    connectionId: deps.connection.id,
    token,
    ...(s.baseName ? { baseName: s.baseName } : {}),
    ...(s.baseId ? { baseId: s.baseId } : {}),
    tables: {
      customer: s.customerTable ?? DEFAULT_TABLES.customer,
      followUp: s.followUpTable ?? DEFAULT_TABLES.followUp,
      deal: s.dealTable ?? DEFAULT_TABLES.deal,
      task: s.taskTable ?? DEFAULT_TABLES.task,
    },
    mapping: s.mapping ?? {},
    stageMap: s.stageMap ?? {},
  };
}
