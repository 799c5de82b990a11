// The requester a ticket needs: a Freshdesk contact found by the customer's email (GET
// /api/v2/contacts?email=), or, for a customer without one, by phone or mobile (?phone=,
// ?mobile=); else created (POST
// /api/v2/contacts with name and email/phone). These list filters read the database, so a contact
// made a moment ago is found. An email is unique among contacts: a create that meets one answers
// 409 duplicate_value naming it (additional_info.user_id), and that contact is used — which is
// also how a create whose reply was lost is recovered. A phone is not unique, so after an unknown
// outcome the contact is looked up again before any retry.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { TicketInput } from '../port';
import { call, type FreshdeskContext } from './client';
import { errorBodyOf } from './errors';

const contactSchema = z.object({ id: z.number(), name: z.string().nullable().optional(), email: z.string().nullable().optional(), phone: z.string().nullable().optional(), mobile: z.string().nullable().optional() }).passthrough();
const contacts = z.array(contactSchema);

type Who = TicketInput['customer'];

async function byFilter(ctx: FreshdeskContext, filter: 'email' | 'phone' | 'mobile', value: string, signal?: AbortSignal): Promise<number | undefined> {
  const found = await call(ctx, 'get', 'api/v2/contacts', { searchParams: { [filter]: value }, schema: contacts, signal });
  return found.sort((a, b) => a.id - b.id)[0]?.id;
}

/**
 * By email when the customer has one (an email names one contact); by phone, then mobile, only
 * when not: every lookup is a contacts-list request, capped at 20 a minute on the Growth plan.
 */
async function find(ctx: FreshdeskContext, c: Who, signal?: AbortSignal): Promise<number | undefined> {
  const email = c.email?.trim();
  if (email) return byFilter(ctx, 'email', email, signal);
  const phone = c.phones[0]?.trim();
  if (phone) return (await byFilter(ctx, 'phone', phone, signal)) ?? (await byFilter(ctx, 'mobile', phone, signal));
  return undefined;
}

/** The requester's contact id: found, or created. Refuses a customer with neither email nor phone. */
export async function requesterId(ctx: FreshdeskContext, c: Who, signal?: AbortSignal): Promise<number> {
  const email = c.email?.trim();
  const phone = c.phones[0]?.trim();
  if (!email && !phone) {
    throw new CrmError('validation', 'Freshdesk: the customer has no email or phone, and a Freshdesk ticket needs a requester contact with one', {
      vendorCode: 'NO_REQUESTER',
      userMessage: { zh_CN: 'Freshdesk 工单需要客户的邮箱或电话作为提交人：请先为客户填写邮箱或电话', en: 'A Freshdesk ticket needs the customer’s email or phone as its requester: add one to the customer first' },
    });
  }
  const known = await find(ctx, c, signal);
  if (known !== undefined) return known;
  const contact = { name: c.name.trim() || email || phone!, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
  try {
    return (await call(ctx, 'post', 'api/v2/contacts', { json: contact, write: true, schema: contactSchema, signal })).id;
  } catch (e) {
    if (!(e instanceof CrmError)) throw e;
    if (e.kind === 'conflict') {
      const dup = errorBodyOf(e)?.errors?.find((x) => x.code === 'duplicate_value' && typeof x.additional_info?.user_id === 'number');
      if (dup) return dup.additional_info!.user_id as number;
    }
    if (e.kind === 'unknown-outcome') {
      const again = await find(ctx, c, signal).catch(() => undefined);
      if (again !== undefined) return again;
    }
    throw e;
  }
}
