// "Test connection": GET /api/v2/agents/me names the agent the API key belongs to (a contact's
// key is refused there: only agents create tickets for others), with the helpdesk's domain. With
// a group chosen, GET /api/v2/groups/{id} names it too, so a deleted group shows now rather than
// at the first ticket.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { VerifyResult } from '../port';
import { call, type FreshdeskContext } from './client';

const me = z.object({ id: z.number(), contact: z.object({ name: z.string().nullable().optional(), email: z.string().nullable().optional() }).passthrough(), available: z.boolean().optional() }).passthrough();
const group = z.object({ id: z.number(), name: z.string() }).passthrough();

export async function verify(ctx: FreshdeskContext, signal?: AbortSignal): Promise<VerifyResult> {
  const m = await call(ctx, 'get', 'api/v2/agents/me', { schema: me, signal });
  const host = `${ctx.config.domain}.freshdesk.com`;
  const who = `${m.contact.name ?? `agent ${m.id}`}${m.contact.email ? ` <${m.contact.email}>` : ''}`;
  const { groupId } = ctx.config.settings;
  let where = '';
  if (groupId) {
    try {
      where = ` · ${(await call(ctx, 'get', `api/v2/groups/${groupId}`, { schema: group, signal })).name}`;
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'not-found') {
        throw new CrmError('validation', `Freshdesk: group ${groupId} does not exist`, {
          vendorCode: 'GROUP_NOT_FOUND',
          userMessage: { zh_CN: '所选的 Freshdesk 处理组已不存在，请重新选择', en: 'The chosen Freshdesk group no longer exists; choose it again' },
        });
      }
      throw e;
    }
  }
  return { account: `${who} · ${host}${where}` };
}
