// The connection's settings and secrets for 智邦, parsed once per call site with zod so a
// half-filled connection fails with a clear CrmError instead of a malformed request.
// Parsed lazily: the registry creates adapters with empty settings, which must not throw.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import { zhibangSpec } from './spec';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).optional());

const settingsSchema = z.object({
  host: z
    .string()
    .trim()
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an http:// or https:// address'),
  user: z.string().trim().min(1),
  serialnum: z.preprocess(blankToUndefined, z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/, 'up to 20 letters or digits').optional()),
  apiStyle: z.preprocess(blankToUndefined, z.enum(['v1', 'v3']).default('v1')),
  customerType: z.preprocess(blankToUndefined, z.enum(['1', '2']).default('1')),
  defaultSource: z.preprocess(blankToUndefined, z.string().trim().regex(/^\d+$/, 'an enum id (digits)').optional()),
  defaultSort1: optionalText(50),
  gradeWhite: optionalText(50),
  gradeGray: optionalText(50),
  gradeBlack: optionalText(50),
  v3Sort: optionalText(20),
  ticketAssignee: z.preprocess(blankToUndefined, z.string().trim().regex(/^\d+$/, 'an ERP user id (digits)').optional()),
  ticketWay: z.preprocess(blankToUndefined, z.string().trim().regex(/^\d+$/, 'an enum id (digits)').optional()),
  mapping: z.unknown().optional(),
});

export interface ZhibangConfig {
  connectionId: string;
  /** Origin plus any path prefix the ERP is served under, without a trailing slash. */
  baseUrl: string;
  user: string;
  password: string;
  serialnum: string;
  apiStyle: 'v1' | 'v3';
  intsort: 1 | 2;
  defaultSource?: string;
  defaultSort1: string;
  /** WHITE/GRAY/BLACK → 跟进程度 (seed 003 客户分级自动更新). */
  grades: Record<string, string>;
  v3Sort: string;
  /** 售后服务单: the service person (指派售后 lead, a user id) when the ticket names none. */
  ticketAssignee?: string;
  /** 售后服务单: 售后方式 (way1), an id of the installation's enum 55. */
  ticketWay?: string;
  /** Liaison customer field → 智邦 field id (spec default overridden by connection.settings.mapping.customer). */
  customerMapping: Record<string, string>;
}

export function parseConfig(deps: AdapterDeps): ZhibangConfig {
  const parsed = settingsSchema.safeParse(deps.connection.settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid';
    throw new CrmError('validation', `智邦ERP connection settings: ${where}`, {
      userMessage: { zh_CN: `智邦ERP 连接设置不完整或有误（${where}）`, en: `The Zhibang ERP connection settings are incomplete or wrong (${where})` },
    });
  }
  const password = deps.secrets.password;
  if (!password) {
    throw new CrmError('auth', '智邦ERP: no password stored for this connection', {
      userMessage: { zh_CN: '未保存智邦ERP密码，请重新连接', en: 'No Zhibang ERP password is stored; reconnect' },
    });
  }
  const s = parsed.data;
  const url = new URL(s.host);
  const overrides = (s.mapping as { customer?: Record<string, unknown> } | undefined)?.customer ?? {};
  const customerMapping: Record<string, string> = { ...(zhibangSpec.defaultMapping.customer as Record<string, string>) };
  for (const [k, v] of Object.entries(overrides)) if (typeof v === 'string' && v) customerMapping[k] = v;
  return {
    connectionId: deps.connection.id,
    baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/sysa$/i, '')}`,
    user: s.user,
    password,
    serialnum: s.serialnum ?? 'liaison',
    apiStyle: s.apiStyle,
    intsort: s.customerType === '2' ? 2 : 1,
    ...(s.defaultSource ? { defaultSource: s.defaultSource } : {}),
    defaultSort1: s.defaultSort1 ?? '潜在客户',
    grades: { WHITE: s.gradeWhite ?? '重点客户', GRAY: s.gradeGray ?? '潜在客户', BLACK: s.gradeBlack ?? '暂不跟进' },
    v3Sort: s.v3Sort ?? '1',
    ...(s.ticketAssignee ? { ticketAssignee: s.ticketAssignee } : {}),
    ...(s.ticketWay ? { ticketWay: s.ticketWay } : {}),
    customerMapping,
  };
}
