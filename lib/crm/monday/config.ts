// The connection's settings and secret for monday.com, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The token comes
// from deps.secrets only and never appears in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import { mappingSchema, type CrmMapping } from '../spec';

export const mondaySettingsSchema = z.object({
  /** A board link or id (the chooser fills in the id). */
  customers_board: z.string().optional(),
  deals_board: z.string().optional(),
  tasks_board: z.string().optional(),
  /** Overrides of spec.defaultMapping (column titles or ids). */
  mapping: mappingSchema.partial().optional(),
});

export type BoardRole = 'customers' | 'deals' | 'tasks';
export const BOARD_ROLES: readonly BoardRole[] = ['customers', 'deals', 'tasks'];

export interface MondayConfig {
  connectionId: string;
  token: string;
  baseUrl: string;
  mapping: Partial<CrmMapping>;
  boards: Partial<Record<BoardRole, string>>;
}

const ROLE_ZH: Record<BoardRole, string> = { customers: '客户', deals: '成交', tasks: '任务' };

/** The board id in what the user pasted: a board link (…/boards/<id>[/views/…]) or the id alone. */
export function boardId(raw: string): string | undefined {
  const s = raw.trim();
  const fromLink = /\/boards\/(\d{1,20})(?:[/?#]|$)/.exec(s)?.[1];
  if (fromLink) return fromLink;
  return /^\d{1,20}$/.test(s) ? s : undefined;
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl: string): MondayConfig {
  const parsed = mondaySettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
    throw new CrmError('validation', `monday settings: ${where}`, {
      userMessage: { zh_CN: `monday 连接设置有误（${where}）`, en: `The monday connection settings are invalid (${where})` },
    });
  }
  const token = deps.secrets.token?.trim();
  if (!token) {
    throw new CrmError('auth', 'monday: no API token stored for this connection', {
      userMessage: { zh_CN: '请粘贴 monday 个人 API 令牌', en: 'Paste your monday personal API token' },
    });
  }
  const boards: MondayConfig['boards'] = {};
  for (const role of BOARD_ROLES) {
    const pasted = parsed.data[`${role}_board`]?.trim();
    if (!pasted) continue;
    const id = boardId(pasted);
    if (!id) {
      throw new CrmError('validation', `monday settings: ${role}_board holds no board id`, {
        vendorCode: 'BAD_BOARD',
        userMessage: {
          zh_CN: `「${ROLE_ZH[role]}看板」里没有找到看板 ID：请从列表中选择，或粘贴 https://<账号>.monday.com/boards/<数字> 形式的链接`,
          en: `No board id found in the ${role} board field: pick it from the list, or paste a link like https://<account>.monday.com/boards/<number>`,
        },
      });
    }
    boards[role] = id;
  }
  return { connectionId: deps.connection.id, token, baseUrl: baseUrl.replace(/\/+$/, ''), mapping: parsed.data.mapping ?? {}, boards };
}

/** The board for a role, or a CrmError telling the user to choose one. */
export function requireBoard(config: MondayConfig, role: BoardRole): string {
  const id = config.boards[role];
  if (id) return id;
  throw new CrmError(role === 'customers' ? 'validation' : 'unsupported', `monday: no ${role} board chosen`, {
    vendorCode: 'NO_BOARD',
    userMessage: {
      zh_CN: `monday 连接没有选择${ROLE_ZH[role]}看板，请在连接设置中选择`,
      en: `No ${role} board is chosen for the monday connection; choose one in the connection settings`,
    },
  });
}
