// verify ("test connection"): `me { name email account { name slug } }` names the token's user
// and account, then the customers board is read (when chosen), which proves the user can see it
// and gives its name.
import { z } from 'zod';
import type { VerifyResult } from '../port';
import { board } from './boards';
import { COMPLEXITY, gql, type MondayContext } from './client';

const ME = `query Me { me { name email account { name slug } } ${COMPLEXITY} }`;
const meReply = z.object({ me: z.object({ name: z.string(), email: z.string().nullable().optional(), account: z.object({ name: z.string(), slug: z.string() }).nullable().optional() }).nullable() });

export async function verify(ctx: MondayContext, signal?: AbortSignal): Promise<VerifyResult> {
  const { me } = await gql(ctx, ME, { signal, schema: meReply });
  const who = [me?.account?.name ?? me?.account?.slug, me?.name].filter(Boolean).join(' · ') || 'monday';
  if (!ctx.config.boards.customers) return { account: `monday.com · ${who}` };
  ctx.boards.forget('customers');
  const b = await board(ctx, 'customers', signal);
  return { account: `monday.com · ${who} · ${b.name}` };
}
