// "Test connection": GET /1/members/me names the account the token belongs to; its Workspaces
// (GET /1/members/{id}/organizations) or, with a board chosen, the board and its Workspace
// (GET /1/boards/{id}, GET /1/organizations/{id}); with a list chosen, that it is an open list of
// the board, so a wrong choice is named now rather than at the first ticket.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { VerifyResult } from '../port';
import { call, type TrelloContext } from './client';
import { boardLists, memberSchema } from './fields';

const orgSchema = z.object({ id: z.string(), displayName: z.string().optional(), name: z.string().optional() }).passthrough();
const boardSchema = z.object({ id: z.string(), name: z.string(), closed: z.boolean().optional(), idOrganization: z.string().nullable().optional() }).passthrough();

export async function verify(ctx: TrelloContext, signal?: AbortSignal): Promise<VerifyResult> {
  const me = await call(ctx, 'get', 'members/me', { schema: memberSchema, signal });
  ctx.memberId = Promise.resolve(me.id);
  const who = `${me.fullName ?? me.username ?? me.id}${me.username ? ` (@${me.username})` : ''}`;
  const s = ctx.config.settings;
  if (!s.idBoard) {
    const orgs = await call(ctx, 'get', `members/${me.id}/organizations`, { schema: z.array(orgSchema), signal });
    const names = orgs.map((o) => o.displayName ?? o.name ?? o.id);
    return { account: `${who} · ${names.length ? names.slice(0, 3).join('、') + (names.length > 3 ? ` +${names.length - 3}` : '') : 'no Workspace'}` };
  }
  const board = await call(ctx, 'get', `boards/${s.idBoard}`, { searchParams: { fields: 'name,closed,idOrganization' }, schema: boardSchema, signal });
  if (board.closed) {
    throw new CrmError('validation', `Trello: board ${board.name} is closed`, {
      vendorCode: 'BOARD_CLOSED',
      userMessage: { zh_CN: `看板「${board.name}」已关闭，请重新打开它或选择另一个看板`, en: `The board "${board.name}" is closed; reopen it or choose another board` },
    });
  }
  const org = board.idOrganization ? await call(ctx, 'get', `organizations/${board.idOrganization}`, { schema: orgSchema, signal }) : undefined;
  if (s.idList) {
    const lists = await boardLists(ctx, s.idBoard, signal);
    if (!lists.some((l) => l.id.toLowerCase() === s.idList!.toLowerCase() && !l.closed)) {
      throw new CrmError('validation', `Trello: list ${s.idList} is not an open list of board ${board.name}`, {
        vendorCode: 'LIST_NOT_ON_BOARD',
        userMessage: { zh_CN: `所选列表不在看板「${board.name}」上或已归档，请重新选择列表`, en: `The chosen list is not an open list of the board "${board.name}"; choose the list again` },
      });
    }
  }
  return { account: `${who} · ${org?.displayName ?? org?.name ?? 'no Workspace'} · ${board.name}` };
}
