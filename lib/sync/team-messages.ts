// Messages of a team on one CRM (issue 15), merged into lib/messaging/protocol.ts. Extension
// pages only: a chat page's scripts can neither search the CRM nor link its records.
import { z } from 'zod';
import { candidateSearchSchema, customerSchema, remoteCandidateSchema } from '../model';
import { def } from '../messaging/define';
import { lazySchema } from '../model/lazy-schema';

const page = ['page'] as const;
const id = lazySchema(() => z.string().min(1).max(200));
const convRef = lazySchema(() => z.object({ site: z.string().min(1).max(50), threadKey: z.string().min(1).max(300) }));

export const teamMessages = {
  /**
   * The unknown contact of this conversation, searched live in every connected CRM that can be
   * searched, by the phones and emails read from the chat (cached a minute per CRM and query,
   * within each CRM's rate limit). Several matches come back; none is picked.
   */
  'crm.candidates': def(
    page,
    () => z.object({ conv: convRef }),
    () => z.object({ candidates: z.array(remoteCandidateSchema), searched: z.array(candidateSearchSchema) }),
  ),
  /**
   * Link this conversation to a customer found in a CRM: its fields, code, 下次跟进, follow-ups
   * and deals come in, the mapping is recorded, nothing is created in that CRM. A record already
   * linked to a local customer links the chat to that customer.
   */
  'crm.linkRemote': def(
    page,
    () => z.object({ conv: convRef, connectionId: id, remoteId: id }),
    () => z.object({ customer: customerSchema }),
  ),
  /** Read the customer back from its CRMs now (the sidebar's 刷新), whatever the age of the data. */
  'crm.pullCustomer': def(
    page,
    () => z.object({ conv: convRef.optional(), customerId: id }),
    () => z.object({ ok: z.literal(true), errors: z.array(z.string()) }),
  ),
  /**
   * Undo what a conflict rule did to one field: the replaced value becomes the customer's again
   * (and goes to the CRM as an edit). The conflict is then cleared.
   */
  'conflict.restore': def(
    page,
    () => z.object({ conv: convRef.optional(), customerId: id, connectionId: id, field: z.string().min(1).max(40), at: z.number().int().nonnegative() }),
    () => z.object({ customer: customerSchema }),
  ),
  /** Keep what the rule chose: the conflict notice goes away. */
  'conflict.dismiss': def(
    page,
    () => z.object({ conv: convRef.optional(), customerId: id, connectionId: id, field: z.string().min(1).max(40).optional() }),
    () => z.object({ ok: z.literal(true) }),
  ),
};
