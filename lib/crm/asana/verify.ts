// "Test connection": GET /users/me names the account the token belongs to and its workspaces;
// with a workspace chosen, it must be one of them, and with a project chosen, GET /projects/{gid}
// names it and checks it is in that workspace and not archived, so a wrong choice is named now
// rather than at the first ticket.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { VerifyResult } from '../port';
import { call, type AsanaContext } from './client';

const me = z.object({ gid: z.string(), name: z.string().optional(), email: z.string().nullable().optional(), workspaces: z.array(z.object({ gid: z.string(), name: z.string().optional() }).passthrough()).optional() }).passthrough();
const project = z.object({ gid: z.string(), name: z.string().optional(), archived: z.boolean().optional(), workspace: z.object({ gid: z.string() }).passthrough().nullable().optional() }).passthrough();

export async function verify(ctx: AsanaContext, signal?: AbortSignal): Promise<VerifyResult> {
  const m = await call(ctx, 'get', 'users/me', { searchParams: { opt_fields: 'name,email,workspaces.name' }, schema: me, signal });
  const who = `${m.name ?? m.gid}${m.email ? ` <${m.email}>` : ''}`;
  const s = ctx.config.settings;
  if (!s.workspaceGid) return { account: who };
  const ws = m.workspaces?.find((w) => w.gid === s.workspaceGid);
  if (!ws) {
    throw new CrmError('validation', `Asana: workspace ${s.workspaceGid} is not one of the account's`, {
      vendorCode: 'WORKSPACE_NOT_FOUND',
      userMessage: { zh_CN: '令牌所属账户不在所选的 Asana 工作区中，请重新选择工作区', en: 'The token’s account is not in the chosen Asana workspace; choose the workspace again' },
    });
  }
  if (!s.projectGid) return { account: `${who} · ${ws.name ?? ws.gid}` };
  const p = await call(ctx, 'get', `projects/${s.projectGid}`, { searchParams: { opt_fields: 'name,archived,workspace' }, schema: project, signal });
  if (p.workspace && p.workspace.gid !== ws.gid) {
    throw new CrmError('validation', `Asana: project ${p.gid} is not in workspace ${ws.gid}`, {
      vendorCode: 'PROJECT_NOT_IN_WORKSPACE',
      userMessage: { zh_CN: '所选项目不属于所选工作区，请重新选择项目', en: 'The chosen project is not in the chosen workspace; choose the project again' },
    });
  }
  if (p.archived) {
    throw new CrmError('validation', `Asana: project ${p.gid} is archived`, {
      vendorCode: 'PROJECT_ARCHIVED',
      userMessage: { zh_CN: '所选 Asana 项目已归档，请选择一个进行中的项目', en: 'The chosen Asana project is archived; choose an active one' },
    });
  }
  return { account: `${who} · ${ws.name ?? ws.gid} · ${p.name ?? p.gid}` };
}
