// "Test connection": GET /v1/users/me names the user and the company the token belongs to.
import { z } from 'zod';
import type { VerifyResult } from '../port';
import { call, type PipedriveContext } from './client';

const meReply = z.object({ data: z.object({ id: z.number(), name: z.string(), email: z.string().optional(), company_name: z.string().optional(), company_domain: z.string().optional() }) });

export async function verify(ctx: PipedriveContext, signal?: AbortSignal): Promise<VerifyResult> {
  const me = (await call(ctx, 'get', 'v1/users/me', { schema: meReply, signal })).data;
  const company = me.company_name ? ` · ${me.company_name}${me.company_domain ? ` (${me.company_domain}.pipedrive.com)` : ''}` : '';
  return { account: `${me.name}${me.email ? ` <${me.email}>` : ''}${company}` };
}
