// 过滤有效线索 (seed 000): the background's side of lead extraction. What the injected script
// returned comes from an arbitrary page, so it is parsed (shape and lengths) before use; phones
// are normalized here (lib/phone: the metadata lives in the background only), invalid numbers
// are kept visible but marked, and duplicates (already a local customer, or twice on the page)
// are marked so the review starts with only the new, valid leads selected.
import { z } from 'zod';
import type { LiaisonDb } from '../db/db';
import type { Customer } from '../model';
import { normalizePhone, type CountryCode } from '../phone';
import { lazySchema } from '../model/lazy-schema';

const text = (max: number) => z.string().transform((s) => s.slice(0, max));

/** The extraction script's result (lib/leads/extract.ts PageLeads), as untrusted input. */
export const pageLeadsSchema = lazySchema(() => z.object({
  url: text(2000),
  title: text(300),
  keyword: text(200).optional(),
  candidates: z
    .array(
      z.object({
        name: text(200).optional(),
        phones: z.array(text(64)).max(20),
        wechatIds: z.array(text(100)).max(10),
        content: text(2000),
      }),
    )
    .max(1000),
}));
export type PageLeadsInput = z.infer<typeof pageLeadsSchema>;

export type LeadStatus = 'new' | 'duplicate-local' | 'duplicate-page' | 'invalid';

export interface ReviewLead {
  /** Position on the page (stable id within one review). */
  id: number;
  /** The name found on the page, else a stand-in (the contact) the user can edit. */
  name: string;
  nameFound: boolean;
  /** E.164. */
  phones: string[];
  /** As written on the page, not a phone number. */
  invalidPhones: string[];
  wechatId?: string;
  content: string;
  status: LeadStatus;
  /** duplicate-local: the customer it matches; duplicate-page: the lead id it repeats. */
  duplicateOf?: { customerId: string; customerName: string; code?: string } | { leadId: number };
}

export interface LeadReview {
  id: string;
  at: number;
  url: string;
  title: string;
  keyword?: string;
  leads: ReviewLead[];
  counts: Record<LeadStatus, number>;
}

export const REVIEW_KEY_PREFIX = 'leads:';

export async function buildReview(
  db: LiaisonDb,
  page: PageLeadsInput,
  opts: { id: string; now: number; defaultRegion?: CountryCode },
): Promise<LeadReview> {
  const region = opts.defaultRegion ?? 'CN';
  const prepared = page.candidates.map((c, id) => {
    const phones: string[] = [];
    const invalidPhones: string[] = [];
    for (const raw of c.phones) {
      const e164 = normalizePhone(raw, region);
      if (e164) {
        if (!phones.includes(e164)) phones.push(e164);
      } else if (!invalidPhones.includes(raw)) invalidPhones.push(raw);
    }
    const wechatId = c.wechatIds[0];
    const name = c.name?.trim();
    return { id, c, phones, invalidPhones, wechatId, name };
  });

  // Existing customers for every phone and WeChat id on the page: two index reads.
  const allPhones = [...new Set(prepared.flatMap((p) => p.phones))];
  const allWechats = [...new Set(prepared.map((p) => p.wechatId).filter((w): w is string => !!w))];
  const [byPhoneRows, byWechatRows] = await Promise.all([
    allPhones.length ? db.customers.where('phones').anyOf(allPhones).toArray() : ([] as Customer[]),
    allWechats.length ? db.customers.where('wechatId').anyOf(allWechats).toArray() : ([] as Customer[]),
  ]);
  const byPhone = new Map<string, Customer>();
  for (const c of byPhoneRows) for (const p of c.phones) if (!byPhone.has(p)) byPhone.set(p, c);
  const byWechat = new Map(byWechatRows.map((c) => [c.wechatId!, c]));

  const seen = new Map<string, number>();
  const leads: ReviewLead[] = prepared.map((p) => {
    const keys = [...p.phones.map((x) => `p:${x}`), ...(p.wechatId ? [`w:${p.wechatId}`] : [])];
    const local = p.phones.map((x) => byPhone.get(x)).find((c) => c !== undefined) ?? (p.wechatId ? byWechat.get(p.wechatId) : undefined);
    const earlier = keys.map((k) => seen.get(k)).find((x) => x !== undefined);
    for (const k of keys) if (!seen.has(k)) seen.set(k, p.id);
    let status: LeadStatus;
    let duplicateOf: ReviewLead['duplicateOf'];
    // Nothing to reach the person by: an order number or a 9-digit typo is not a lead.
    if (keys.length === 0) status = 'invalid';
    else if (local) {
      status = 'duplicate-local';
      duplicateOf = { customerId: local.id, customerName: local.name, ...(local.code ? { code: local.code } : {}) };
    } else if (earlier !== undefined) {
      status = 'duplicate-page';
      duplicateOf = { leadId: earlier };
    } else status = 'new';
    return {
      id: p.id,
      name: (p.name || p.wechatId || p.phones[0] || p.invalidPhones[0] || '').slice(0, 200),
      nameFound: !!p.name,
      phones: p.phones,
      invalidPhones: p.invalidPhones,
      ...(p.wechatId ? { wechatId: p.wechatId } : {}),
      content: p.c.content,
      status,
      ...(duplicateOf ? { duplicateOf } : {}),
    };
  });
  const counts: Record<LeadStatus, number> = { new: 0, 'duplicate-local': 0, 'duplicate-page': 0, invalid: 0 };
  for (const l of leads) counts[l.status] += 1;
  return {
    id: opts.id,
    at: opts.now,
    url: page.url,
    title: page.title,
    ...(page.keyword ? { keyword: page.keyword } : {}),
    leads,
    counts,
  };
}
