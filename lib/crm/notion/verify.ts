// verify ("test connection"): GET /v1/users/me names the integration's workspace (a bot user's
// bot.workspace_name), then the customer database is resolved, which proves it is shared with
// the integration (404 object_not_found otherwise) and gives its title.
import { CrmError } from '../errors';
import type { VerifyResult } from '../port';
import { call, type NotionContext } from './client';
import { plain, userSchema } from './objects';
import { dataSource } from './sources';

export async function verify(ctx: NotionContext, signal?: AbortSignal): Promise<VerifyResult> {
  const me = await call(ctx, 'get', 'v1/users/me', { signal, schema: userSchema });
  const workspace = me.bot?.workspace_name?.trim() || me.name?.trim() || 'Notion';
  if (!ctx.config.sources.customers) return { account: `Notion · ${workspace}` };
  try {
    ctx.sources.forget('customers');
    const ds = await dataSource(ctx, 'customers', signal);
    return { account: `Notion · ${workspace} · ${plain(ds.title).trim() || ds.id}` };
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') {
      throw new CrmError('not-found', e.message, {
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.vendorCode ? { vendorCode: e.vendorCode } : {}),
        userMessage: {
          zh_CN: `已连接到工作区「${workspace}」，但找不到客户数据库：请检查链接，并在数据库「…」→「连接」里添加 Liaison 集成`,
          en: `Connected to the workspace "${workspace}", but the customer database was not found: check the link, and add the Liaison integration under the database's "…" → "Connections"`,
        },
      });
    }
    throw e;
  }
}
