// The connection's settings and secrets for Trello, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The key and token
// come from deps.secrets only and never appear in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import type { TicketPriority, TicketStatus } from '../../model/enums';
import { PRIORITY_LABEL_FIELDS, STATUS_LIST_FIELDS } from './spec';

/** Trello's ids: 24 hexadecimal characters (trello.json components/schemas/TrelloID). */
export const TRELLO_ID = /^[0-9a-fA-F]{24}$/;
const id = (what: string) => z.string().trim().regex(TRELLO_ID, `a Trello ${what} id (24 hexadecimal characters)`);
const optionalId = (what: string) => z.preprocess((v) => (typeof v === 'string' && !v.trim() ? undefined : v), id(what).optional());

export const trelloSettingsSchema = z.object({
  idBoard: optionalId('board'),
  idList: optionalId('list'),
  listInProgress: optionalId('list'),
  listWaiting: optionalId('list'),
  listResolved: optionalId('list'),
  listClosed: optionalId('list'),
  labelLow: optionalId('label'),
  labelMedium: optionalId('label'),
  labelHigh: optionalId('label'),
  labelUrgent: optionalId('label'),
  /** From verify(): whose token it is. */
  account: z.string().optional(),
});
export type TrelloSettings = z.infer<typeof trelloSettingsSchema>;

export interface TrelloConfig {
  connectionId: string;
  /** https://api.trello.com/1, or the emulator's /1 in tests. */
  baseUrl: string;
  key: string;
  token: string;
  settings: TrelloSettings;
}

export const TRELLO_API = 'https://api.trello.com/1';

const invalid = (where: string) =>
  new CrmError('validation', `Trello settings: ${where}`, { userMessage: { zh_CN: `Trello 连接设置有误（${where}）`, en: `The Trello connection settings are invalid (${where})` } });

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl?: string): TrelloConfig {
  const parsed = trelloSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i ? `${i.path.join('.')}: ${i.message}` : 'invalid');
  }
  const key = deps.secrets.apiKey?.trim();
  const token = deps.secrets.token?.trim();
  if (!key || !token) {
    throw new CrmError('auth', `Trello: no ${key ? 'token' : 'API key'} stored for this connection`, {
      userMessage: { zh_CN: `请粘贴 Trello 的${key ? '令牌 (token)' : 'API 密钥 (API key)'}`, en: `Paste your Trello ${key ? 'token' : 'API key'}` },
    });
  }
  // Trello answers an over-long or stray value in a query string with a vague 400: refuse it here.
  if (!/^[A-Za-z0-9]{16,128}$/.test(key)) throw invalid('apiKey: letters and digits only, as shown on the API key tab');
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token)) throw invalid('token: letters and digits only, as shown after Allow');
  return { connectionId: deps.connection.id, baseUrl: (baseUrl ?? TRELLO_API).replace(/\/+$/, ''), key, token, settings: parsed.data };
}

const notConfigured = (what: { zh: string; en: string }) =>
  new CrmError('validation', `Trello: no ${what.en} chosen for tickets`, {
    vendorCode: 'NOT_CONFIGURED',
    userMessage: { zh_CN: `请在 Trello 连接设置中选择${what.zh}`, en: `Choose the ${what.en} in the Trello connection settings` },
  });

/** The board and list cards go to; a clear refusal when the form left them out. */
export function target(config: TrelloConfig): { idBoard: string; idList: string } {
  const { idBoard, idList } = config.settings;
  if (!idBoard) throw notConfigured({ zh: '看板', en: 'board' });
  if (!idList) throw notConfigured({ zh: '新工单所在列表', en: 'list for new tickets' });
  return { idBoard, idList };
}

/** The board alone (the list and label choosers need it first). */
export function requireBoard(config: TrelloConfig): string {
  const { idBoard } = config.settings;
  if (!idBoard) throw notConfigured({ zh: '看板', en: 'board' });
  return idBoard;
}

/** The label id a 紧急程度 maps to, if the connection chose one. */
export function priorityLabel(config: TrelloConfig, p: TicketPriority): string | undefined {
  return (config.settings as Record<string, string | undefined>)[PRIORITY_LABEL_FIELDS[p]];
}

/** list id → the status the user mapped it to. */
export function statusLists(config: TrelloConfig): Map<string, TicketStatus> {
  const out = new Map<string, TicketStatus>();
  for (const f of STATUS_LIST_FIELDS) {
    const v = (config.settings as Record<string, string | undefined>)[f.key];
    if (v) out.set(v.toLowerCase(), f.status);
  }
  return out;
}
