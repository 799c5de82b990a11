// 客户联系 contacts of the follow user (settings.followUserId):
// - find: POST externalcontact/batch/get_by_user {userid_list:[followUser], cursor, limit:100}
//   (BatchGetExternalContactByUser.yaml) page by page, kept one minute per adapter instance so a
//   burst of lookups beside the chat costs one pass (at most MAX_PAGES pages), matched here by
//   remark mobiles, remark / WeChat name and company;
// - create: impossible (the customer adds the salesperson on WeChat) → CrmError('unsupported');
// - update: POST externalcontact/remark {userid, external_userid, remark, description,
//   remark_company, remark_mobiles} (RemarkExternalContact.yaml; not all empty) and the corp tags
//   (tags.ts), both setting values, so a retry writes the same thing again;
// - read: GET externalcontact/get?external_userid (GetExternalContact.yaml; cursor when the
//   contact has more than 500 follow users): the follow user's entry, marker = values.markerOf.
import { z } from 'zod';
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { CustomerPatch, CustomerQuery, RemoteCustomer, RemoteCustomerRecord, RemoteRef, WriteOptions } from '../port';
import { queryMatches } from '../query-match';
import { call, forget, memo, type WecomContext } from './client';
import { userText } from './errors';
import { syncTags } from './tags';
import { fromWecom, markerOf, toWecom, type FollowEntry } from './values';

const contactSchema = z
  .object({
    external_userid: z.string().min(1),
    name: z.string().default(''),
    type: z.number().int().optional(),
    corp_name: z.string().optional(),
    corp_full_name: z.string().optional(),
  })
  .passthrough();
const tagSchema = z.object({ group_name: z.string().optional(), tag_name: z.string(), type: z.number().int().optional(), tag_id: z.string().optional() }).passthrough();
const followUserSchema = z
  .object({
    userid: z.string(),
    remark: z.string().optional(),
    description: z.string().optional(),
    createtime: z.number().int().optional(),
    tags: z.array(tagSchema).optional(),
    remark_corp_name: z.string().optional(),
    remark_mobiles: z.array(z.string()).optional(),
  })
  .passthrough();
const followInfoSchema = followUserSchema.omit({ tags: true }).extend({ tag_id: z.array(z.string()).optional() });
const getReply = z.object({ external_contact: contactSchema, follow_user: z.array(followUserSchema).default([]), next_cursor: z.string().optional() });
const batchReply = z.object({
  external_contact_list: z.array(z.object({ external_contact: contactSchema, follow_info: followInfoSchema })).default([]),
  next_cursor: z.string().optional(),
});
const ok = z.object({ errcode: z.literal(0) }).passthrough();

type Listed = z.infer<typeof batchReply>['external_contact_list'][number];

/** Pages of 100 read per lookup pass (5,000 contacts); a member with more is named in the error. */
export const MAX_PAGES = 50;
/** How long one pass over the follow user's contacts answers lookups (1 min: cheap next to 10,000/min). */
export const CONTACTS_TTL_MS = 60_000;
const CONTACTS_KEY = 'contacts';

export function checkId(id: string): string {
  // external_userid: wm/wo + base64-ish (the docs' examples), at most 64 bytes here.
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) throw new CrmError('not-found', `WeCom: "${id.slice(0, 40)}" is not an external_userid`);
  return id;
}

async function allContacts(ctx: WecomContext, signal?: AbortSignal): Promise<Listed[]> {
  return memo(ctx, CONTACTS_KEY, CONTACTS_TTL_MS, async () => {
    const out: Listed[] = [];
    let cursor = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await call(ctx, 'post', 'cgi-bin/externalcontact/batch/get_by_user', { json: { userid_list: [ctx.config.followUserId], cursor, limit: 100 }, schema: batchReply, signal });
      out.push(...r.external_contact_list);
      if (!r.next_cursor) return out;
      cursor = r.next_cursor;
    }
    throw new CrmError('validation', `WeCom: ${ctx.config.followUserId} has more than ${MAX_PAGES * 100} customers; Liaison reads at most that many per lookup`, {
      vendorCode: 'TOO_MANY_CONTACTS',
      userMessage: { zh_CN: `跟进成员的企业微信客户超过 ${MAX_PAGES * 100} 位，Liaison 无法逐一查找`, en: `The follow-up member has more than ${MAX_PAGES * 100} WeCom customers; Liaison cannot search them all` },
    });
  });
}

export async function findCustomers(ctx: WecomContext, q: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  // WeCom holds no e-mail or code for a contact: without a phone or a name nothing can match.
  if (!q.phone && !q.name?.trim()) return [];
  const list = await allContacts(ctx, signal);
  const out: RemoteCustomer[] = [];
  for (const { external_contact: c, follow_info: f } of list) {
    if (f.userid.toLowerCase() !== ctx.config.followUserId.toLowerCase()) continue;
    const phones = f.remark_mobiles ?? [];
    const name = f.remark?.trim() || c.name;
    // WeCom holds no e-mail or code for a contact: only phone and name can match.
    const matchedBy = new Set([...queryMatches({ ...(q.phone ? { phone: q.phone } : {}), ...(q.name ? { name: q.name } : {}) }, { phones, name }), ...queryMatches(q.name ? { name: q.name } : {}, { phones: [], name: c.name })]);
    if (!matchedBy.size) continue;
    const entry: FollowEntry = { ...f, tagNames: [] };
    const { fields } = fromWecom(entry, ctx.config.mapping);
    delete fields.tags; // the batch reply carries tag ids only
    const company = f.remark_corp_name || c.corp_name;
    out.push({ remoteId: c.external_userid, name, phones: fields.phones ?? [], ...(company ? { company } : {}), matchedBy: [...matchedBy], fields });
    if (out.length >= 20) break;
  }
  return out;
}

export async function createCustomer(_ctx: WecomContext, _c: Customer, _opts: WriteOptions): Promise<RemoteRef> {
  throw new CrmError('unsupported', 'WeCom: external contacts cannot be created through the API; the customer adds the salesperson on WeChat, then Liaison links them by lookup', {
    userMessage: {
      zh_CN: '企业微信不能通过接口创建客户：请让客户在微信上添加跟进成员，之后 Liaison 会按手机号或姓名找到并关联该客户',
      en: 'WeCom cannot create customers through its API: have the customer add the follow-up member on WeChat; Liaison then finds and links them by phone or name',
    },
  });
}

/** The follow user's entry on the contact, or null when the contact or the relation is gone. */
async function followEntry(ctx: WecomContext, id: string, signal?: AbortSignal): Promise<{ contact: z.infer<typeof contactSchema>; entry: z.infer<typeof followUserSchema> } | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    let r: z.infer<typeof getReply>;
    try {
      r = await call(ctx, 'get', 'cgi-bin/externalcontact/get', { searchParams: { external_userid: checkId(id), ...(cursor ? { cursor } : {}) }, schema: getReply, signal });
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'not-found') return null;
      throw e;
    }
    const entry = r.follow_user.find((u) => u.userid.toLowerCase() === ctx.config.followUserId.toLowerCase());
    if (entry) return { contact: r.external_contact, entry };
    if (!r.next_cursor) return null;
    cursor = r.next_cursor;
  }
  return null;
}

function asEntry(e: z.infer<typeof followUserSchema>): FollowEntry {
  return { ...e, tagNames: (e.tags ?? []).map((t) => t.tag_name) };
}

export async function getCustomer(ctx: WecomContext, id: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const hit = await followEntry(ctx, id, signal);
  if (!hit) return null;
  const entry = asEntry(hit.entry);
  const { fields, unreadable } = fromWecom(entry, ctx.config.mapping);
  return { remoteId: hit.contact.external_userid, marker: await markerOf(entry), fields, ...(unreadable.length ? { unreadable } : {}) };
}

export async function updateCustomer(ctx: WecomContext, id: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const { write, warnings } = toWecom(patch, ctx.config.mapping, opts.fields);
  const { tags, ...remark } = write;
  checkId(id);
  if (Object.keys(remark).length) {
    // A contact that is no longer the member's answers 84061 (errors.ts: not-found).
    await call(ctx, 'post', 'cgi-bin/externalcontact/remark', { json: { userid: ctx.config.followUserId, external_userid: id, ...remark }, write: true, schema: ok, signal: opts.signal });
  }
  if (tags) {
    // The member's current corp tags, so the ones Liaison no longer has are removed.
    const hit = await followEntry(ctx, id, opts.signal);
    if (!hit) throw new CrmError('not-found', `WeCom: ${id} is not a contact of ${ctx.config.followUserId}`, { vendorCode: '84061', userMessage: userText.gone });
    const current = (hit.entry.tags ?? []).flatMap((t) => (t.type === 1 && t.tag_id ? [t.tag_id] : []));
    const missing = await syncTags(ctx, id, tags, current, opts.signal);
    for (const name of missing) warnings.push(`tag "${name}" (no such corp tag in WeCom; an admin creates it under 客户联系 → 客户标签)`);
  }
  forget(ctx, CONTACTS_KEY);
  return { remoteId: id, ...(warnings.length ? { warnings } : {}) };
}
