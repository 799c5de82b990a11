// "Test connection": GET /v2/user names the account the token belongs to, GET /v2/team the
// Workspace (the chosen one must be among the token's); with a List chosen, the List, its Space
// and Custom Fields are read too, so a List the account cannot reach, or a Space without Tags,
// is named now rather than at the first ticket.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { VerifyResult } from '../port';
import { call, type ClickUpContext } from './client';
import { listInfo } from './fields';

const me = z.object({ user: z.object({ id: z.number(), username: z.string().nullable().optional(), email: z.string().nullable().optional() }).passthrough() });
const teams = z.object({ teams: z.array(z.object({ id: z.string(), name: z.string() }).passthrough()) });

export async function verify(ctx: ClickUpContext, signal?: AbortSignal): Promise<VerifyResult> {
  const { user } = await call(ctx, 'get', 'api/v2/user', { schema: me, signal });
  const { teams: ws } = await call(ctx, 'get', 'api/v2/team', { schema: teams, signal });
  const s = ctx.config.settings;
  const team = s.teamId ? ws.find((t) => t.id === s.teamId) : ws.length === 1 ? ws[0] : undefined;
  if (s.teamId && !team) {
    throw new CrmError('auth', `ClickUp: the token does not reach Workspace ${s.teamId}`, {
      vendorCode: 'TEAM_NOT_AUTHORIZED',
      userMessage: { zh_CN: '该令牌的账户不是所选工作区的成员：请重新选择工作区', en: 'The token’s account is not a member of the chosen Workspace: choose the Workspace again' },
    });
  }
  const list = s.listId ? await listInfo(ctx, signal, true) : undefined;
  if (list && !list.tags) {
    throw new CrmError('validation', `ClickUp: Tags are turned off in the Space of List ${list.listId}`, {
      vendorCode: 'TAGS_DISABLED',
      userMessage: { zh_CN: `列表「${list.path}」所在空间未启用「标签」(Tags)：请在空间设置 → ClickApps 中启用，或换一个列表`, en: `Tags are turned off in the Space of "${list.path}": turn them on in the Space’s ClickApps, or choose another List` },
    });
  }
  const who = `${user.username ?? user.id}${user.email ? ` <${user.email}>` : ''}`;
  const where = team ? team.name : ws.map((t) => t.name).join(', ');
  return { account: `${who} · ${where}${list ? ` · ${list.path}` : ''}` };
}
