// Boards and their columns: read once per role (kept five minutes), listed for the board
// chooser (fieldChoices), and a mapping value resolved to a column by id or title.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { FieldChoice } from '../port';
import { COMPLEXITY, gql, type MondayContext } from './client';
import { requireBoard, type BoardRole } from './config';
import { boardSchema, type Board, type Column } from './objects';

const BOARD_QUERY = `query Board($ids: [ID!]) { boards(ids: $ids) { id name columns { id title type settings } } ${COMPLEXITY} }`;
const boardsReply = z.object({ boards: z.array(boardSchema.nullable()).nullable() });

export async function readBoard(ctx: MondayContext, id: string, signal?: AbortSignal): Promise<Board | undefined> {
  const data = await gql(ctx, BOARD_QUERY, { variables: { ids: [id] }, signal, schema: boardsReply });
  return data.boards?.find((b): b is Board => !!b && b.id === id);
}

export async function board(ctx: MondayContext, role: BoardRole, signal?: AbortSignal): Promise<Board> {
  return ctx.boards.get(role, async () => {
    const id = requireBoard(ctx.config, role);
    const b = await readBoard(ctx, id, signal);
    if (!b) {
      throw new CrmError('not-found', `monday: board ${id} (${role}) not found or not accessible`, {
        vendorCode: 'BOARD_NOT_FOUND',
        userMessage: {
          zh_CN: `monday 找不到${role === 'customers' ? '客户' : role === 'deals' ? '成交' : '任务'}看板 ${id}，或令牌所属用户不是它的成员：请在连接设置中重新选择`,
          en: `monday cannot find the ${role} board ${id}, or the token's user is not a member: choose it again in the connection settings`,
        },
      });
    }
    return b;
  });
}

/** A column by id, else by title (exact, then case- and space-insensitive). `name` is the item name column. */
export function findColumn(b: Board, ref: string | undefined): Column | undefined {
  if (!ref) return undefined;
  const byId = b.columns.find((c) => c.id === ref);
  if (byId) return byId;
  const exact = b.columns.find((c) => c.title === ref);
  if (exact) return exact;
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  return b.columns.find((c) => norm(c.title) === norm(ref));
}

/** Column id → title on a board, for error messages. */
export const titlesOf = (b: Board) => (id: string) => b.columns.find((c) => c.id === id)?.title;

const LIST_QUERY = `query Boards($limit: Int, $page: Int) { boards(limit: $limit, page: $page, state: active, order_by: used_at) { id name items_count workspace { name } } ${COMPLEXITY} }`;
const listReply = z.object({ boards: z.array(z.object({ id: z.string(), name: z.string(), items_count: z.number().nullable().optional(), workspace: z.object({ name: z.string() }).nullable().optional() }).nullable()).nullable() });

/** The boards the token's user can see, most recently used first (the chooser of customers_board / deals_board / tasks_board). */
export async function boardChoices(ctx: MondayContext, fieldKey: string, signal?: AbortSignal): Promise<FieldChoice[] | undefined> {
  if (!['customers_board', 'deals_board', 'tasks_board'].includes(fieldKey)) return undefined;
  const out: FieldChoice[] = [];
  for (let page = 1; page <= 5; page++) {
    const data = await gql(ctx, LIST_QUERY, { variables: { limit: 100, page }, signal, schema: listReply });
    const rows = (data.boards ?? []).filter((b): b is NonNullable<typeof b> => !!b);
    // Subitem boards ("Subitems of …") are not boards a user chooses.
    for (const b of rows) if (!/^Subitems of /.test(b.name)) out.push({ value: b.id, label: b.workspace?.name ? `${b.name} · ${b.workspace.name}` : b.name });
    if (rows.length < 100) break;
  }
  return out;
}
