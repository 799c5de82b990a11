// prepare(): one-click setup. Reads each chosen board's columns and adds what is missing with
// create_column(board_id, title, column_type) (api-reference/reference/columns#create-a-column):
// the mapped customer columns typed as below, the Liaison key text column, and on the deals /
// tasks boards their columns, the "Liaison 客户" text column and the tasks' due date column. A
// column that exists with another type is left alone and listed as a problem (Liaison then
// writes what it can). Status labels are not created here: every write passes
// create_labels_if_missing: true.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { MappableCustomerField, PrepareResult } from '../port';
import { board, findColumn } from './boards';
import { COMPLEXITY, gql, type MondayContext } from './client';
import type { BoardRole } from './config';
import { dealNames, type DealField } from './deals';
import { columnSchema, type Board } from './objects';
import { CUSTOMER_ITEM_COLUMN, LIAISON_KEY_COLUMN, mondaySpec, TASK_DUE_COLUMN, TASK_NOTE_COLUMN } from './spec';

/** The column type setup gives each Liaison field. */
export const CUSTOMER_TYPES: Record<MappableCustomerField, string> = {
  name: 'name', code: 'text', company: 'text', phones: 'phone', wechatId: 'text', email: 'email', source: 'status', product: 'text', amount: 'numbers',
  intentLevel: 'status', stage: 'status', grade: 'status', tags: 'dropdown', owner: 'text', keyword: 'text', notes: 'long_text', nextFollowUpAt: 'date',
};
const DEAL_TYPES: Record<DealField, string> = { product: 'name', institution: 'text', amount: 'numbers', rate: 'numbers', termMonths: 'numbers', commission: 'numbers', status: 'status', closedAt: 'date' };
/** Types a column may also have and still be read and written. */
const COMPATIBLE: Record<string, string[]> = { text: ['text', 'long_text'], status: ['status', 'dropdown', 'text'], phone: ['phone', 'text'], email: ['email', 'text'], dropdown: ['dropdown', 'text'], long_text: ['long_text', 'text'], numbers: ['numbers'], date: ['date'] };

const CREATE_COLUMN = `mutation CreateColumn($board: ID!, $title: String!, $type: ColumnType!) { create_column(board_id: $board, title: $title, column_type: $type) { id title type } ${COMPLEXITY} }`;
const createReply = z.object({ create_column: columnSchema.nullable() });

async function ensure(ctx: MondayContext, role: BoardRole, b: Board, wanted: [string, string][], out: { created: string[]; problems: string[] }, signal?: AbortSignal): Promise<void> {
  for (const [title, type] of wanted) {
    if (type === 'name' || title === 'name') continue; // the item name column always exists
    const have = findColumn(b, title);
    if (have) {
      if (!(COMPATIBLE[type] ?? [type]).includes(have.type)) out.problems.push(`${role}.${title}: ${have.type} ≠ ${type}`);
      continue;
    }
    const data = await gql(ctx, CREATE_COLUMN, { variables: { board: b.id, title, type }, write: true, signal, schema: createReply });
    if (!data.create_column) throw new CrmError('validation', `monday: create_column returned nothing for ${role}.${title}`);
    b.columns.push(data.create_column);
    out.created.push(`${role}.${title}`);
  }
}

export async function prepare(ctx: MondayContext, signal?: AbortSignal): Promise<PrepareResult> {
  ctx.boards.clear();
  const out = { created: [] as string[], problems: [] as string[] };
  const names = { ...mondaySpec.defaultMapping.customer, ...ctx.config.mapping.customer } as Partial<Record<MappableCustomerField, string>>;
  const customers = await board(ctx, 'customers', signal);
  const wanted = (Object.entries(names) as [MappableCustomerField, string][]).map(([f, title]): [string, string] => [title, CUSTOMER_TYPES[f]]);
  await ensure(ctx, 'customers', customers, [...wanted, [LIAISON_KEY_COLUMN, 'text']], out, signal);
  const keyProblem = out.problems.find((p) => p.startsWith(`customers.${LIAISON_KEY_COLUMN}:`));
  for (const role of ['deals', 'tasks'] as const) {
    if (!ctx.config.boards[role]) continue;
    let b: Board;
    try {
      b = await board(ctx, role, signal);
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'not-found') {
        out.problems.push(`${role}: board not found or not accessible`);
        continue;
      }
      throw e;
    }
    const cols: [string, string][] =
      role === 'deals'
        ? (Object.entries(dealNames(ctx)) as [DealField, string][]).map(([f, title]) => [title, DEAL_TYPES[f] ?? 'text'])
        : [[TASK_DUE_COLUMN, 'date'], [TASK_NOTE_COLUMN, 'long_text']];
    await ensure(ctx, role, b, [...cols, [CUSTOMER_ITEM_COLUMN, 'text'], [LIAISON_KEY_COLUMN, 'text']], out, signal);
  }
  ctx.boards.clear();
  return { settings: {}, created: out.created, problems: out.problems, usable: !keyProblem };
}
