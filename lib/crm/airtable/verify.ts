// verify ("test connection"): GET /v0/meta/whoami names the user (email with the
// user.email:read scope), then the chosen base is resolved by name, so a token without access
// to it fails here and not at the first sync. Account shown: email (or user id) · base name.
import { z } from 'zod';
import type { VerifyResult } from '../port';
import { call, type AirtableContext } from './client';
import { baseId, listBases } from './schema';

const whoami = z.object({ id: z.string(), email: z.string().optional(), scopes: z.array(z.string()).optional() }).loose();

export async function verify(ctx: AirtableContext, signal?: AbortSignal): Promise<VerifyResult> {
  const me = await call(ctx, 'get', 'v0/meta/whoami', { signal, schema: whoami });
  const id = await baseId(ctx, signal);
  const name = ctx.config.baseName ?? (await listBases(ctx, signal)).find((b) => b.id === id)?.name ?? id;
  return { account: `${me.email ?? me.id} · ${name}` };
}
