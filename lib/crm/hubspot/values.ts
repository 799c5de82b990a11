// Liaison records ↔ HubSpot property values. HubSpot takes and returns every value as a string;
// datetimes as epoch ms (or ISO); enumerations by their internal value. Property names come
// from spec.defaultMapping overridden by the connection's mapping.
import { queryMatches } from '../query-match';
import type { Deal, FollowUp } from '../../model';
import { normalizePhone } from '../../phone';
import type { CustomerPatch, CustomerQuery, RemoteCustomer } from '../port';
import type { MAPPABLE_CUSTOMER_FIELDS } from '../spec';
import type { HubspotConfig } from './config';
import { contactFields } from './read-values';
import { LIAISON_CODE_PROPERTY, LIAISON_ID_PROPERTY, hubspotSpec } from './spec';

type CustomerKey = (typeof MAPPABLE_CUSTOMER_FIELDS)[number];

/**
 * Liaison's default stages → hs_lead_status (NEW, OPEN, IN_PROGRESS, OPEN_DEAL, UNQUALIFIED,
 * ATTEMPTED_TO_CONTACT, CONNECTED, BAD_TIMING). 成交 also moves lifecyclestage to customer.
 */
export const DEFAULT_STAGE_MAP: Record<string, string> = {
  新客户: 'NEW', 已联系: 'CONNECTED', 跟进中: 'IN_PROGRESS', 方案沟通: 'OPEN_DEAL', 谈判中: 'OPEN_DEAL', 成交: 'OPEN_DEAL', 流失: 'UNQUALIFIED',
};
export const WON_STAGE = '成交';

/** Deal statuses → dealstage of the 'default' pipeline. */
export const DEAL_STAGES: Record<string, string> = { 进行中: 'qualifiedtobuy', 已放款: 'closedwon', 已取消: 'closedlost' };

export function customerNames(config: Pick<HubspotConfig, 'mapping'>): Partial<Record<CustomerKey, string>> {
  return { ...hubspotSpec.defaultMapping.customer, ...config.mapping.customer };
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

function encode(key: CustomerKey, v: unknown): string | undefined {
  if (key === 'tags') return Array.isArray(v) && v.length ? v.join(';') : undefined;
  if (key === 'nextFollowUpAt') return typeof v === 'number' && v >= 0 ? String(Math.round(v)) : undefined;
  return text(v);
}

/**
 * Contact properties for a create ('create': empty values left out) or an update ('patch': only
 * keys present; present-but-empty clears with '' — HubSpot's way to unset a property).
 */
export function contactProperties(c: CustomerPatch, config: Pick<HubspotConfig, 'mapping' | 'stageMap'>, mode: 'create' | 'patch'): Record<string, string> {
  const names = customerNames(config);
  const out: Record<string, string> = {};
  const put = (name: string, v: string | undefined) => {
    if (v !== undefined) out[name] = v;
    else if (mode === 'patch') out[name] = '';
  };
  for (const [key, name] of Object.entries(names) as [CustomerKey, string][]) {
    if (!(key in c)) continue;
    const v = (c as Record<string, unknown>)[key];
    if (key === 'phones') {
      // The first number in the mapped property (phone); a second one in mobilephone.
      const phones = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !!x.trim()) : [];
      put(name, phones[0]);
      if (name !== 'mobilephone') put('mobilephone', phones[1]);
    } else if (key === 'stage' && name === 'hs_lead_status') {
      const stage = text(v);
      const status = stage ? ({ ...DEFAULT_STAGE_MAP, ...config.stageMap })[stage] : undefined;
      // An unknown stage leaves the lead status alone rather than writing a value HubSpot refuses.
      if (status) out[name] = status;
      // lifecyclestage may only move forward, so Liaison only ever sets the last step it knows.
      if (stage === WON_STAGE) out.lifecyclestage = 'customer';
    } else put(name, encode(key, v));
  }
  return out;
}

/** The upsert key and code of a contact: liaison_id = the Liaison customer id (stable across outbox entries). */
export function withLiaisonId(properties: Record<string, string>, liaisonId: string): Record<string, string> {
  return { ...properties, [LIAISON_ID_PROPERTY]: liaisonId };
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/** A note's body: the content (or the summary of an auto-logged one), then result and next step. */
export function noteBody(f: FollowUp): string {
  const lines = [
    text(f.content) ?? text(f.summary) ?? '',
    ...(f.method ? [`跟进方式：${f.method}`] : []),
    ...(f.result ? [`跟进结果：${f.result}`] : []),
    ...(f.nextAction ? [`下次行动：${f.nextAction}`] : []),
    ...(f.nextAt ? [`下次时间：${new Date(f.nextAt).toISOString()}`] : []),
  ].filter(Boolean);
  return lines.map(escapeHtml).join('<br>').slice(0, 65_000);
}

/**
 * The note's last line names the follow-up's Liaison id ("[Liaison <id>]"), so a pull recognises
 * Liaison's own notes (read-values.ts parseNoteBody → liaisonKey) and never imports them as a
 * colleague's. Notes have no idempotency key or unique property to carry it (engagement.ts), so
 * it goes in the text; it is appended to a templated hs_note_body too.
 */
export function withNoteMarker(body: string, followUpId: string): string {
  const marker = `[Liaison ${followUpId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100)}]`;
  return `${body.slice(0, 65_000 - marker.length - 4)}${body ? '<br>' : ''}${marker}`;
}

export function dealProperties(d: Deal): Record<string, string> {
  const detail = [
    d.institution ? `银行 ${d.institution}` : undefined,
    d.rate !== undefined ? `利率 ${d.rate}%` : undefined,
    d.termMonths !== undefined ? `期限 ${d.termMonths} 月` : undefined,
    d.commission !== undefined ? `佣金 ${d.commission}` : undefined,
  ].filter(Boolean);
  return {
    dealname: [d.product, d.institution].filter(Boolean).join(' · ').slice(0, 250) || 'Liaison deal',
    pipeline: 'default',
    dealstage: DEAL_STAGES[d.status] ?? 'qualifiedtobuy',
    ...(d.amount !== undefined ? { amount: String(d.amount) } : {}),
    ...(d.closedAt !== undefined ? { closedate: String(d.closedAt) } : {}),
    ...(detail.length ? { description: detail.join(' · ') } : {}),
    [LIAISON_ID_PROPERTY]: d.id,
  };
}

/** The forms a phone may be stored in: E.164 as Liaison writes, national digits as people type. */
export function phoneForms(raw: string): string[] {
  const e164 = normalizePhone(raw);
  if (!e164) {
    const cleaned = raw.replace(/[^\d+]/g, '');
    return cleaned ? [cleaned] : [];
  }
  const out = new Set([e164]);
  if (e164.startsWith('+86')) out.add(e164.slice(3));
  else if (e164.startsWith('+1')) out.add(e164.slice(2));
  out.add(e164.slice(1)); // digits with the country code, no plus
  return [...out];
}

export const CONTACT_READ_PROPERTIES = ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company', LIAISON_CODE_PROPERTY, LIAISON_ID_PROPERTY];

export function toRemoteCustomer(id: string, p: Record<string, string | null>, config: Pick<HubspotConfig, 'mapping' | 'stageMap'>, query: CustomerQuery): RemoteCustomer {
  const names = customerNames(config);
  const get = (name: string | undefined) => (name ? (p[name] ?? undefined)?.trim() || undefined : undefined);
  const name = [get('firstname'), get('lastname')].filter(Boolean).join(' ');
  const phones = [...new Set([get(names.phones), get('mobilephone')].filter((x): x is string => !!x).map((x) => normalizePhone(x) ?? x))];
  const email = get(names.email);
  const company = get(names.company);
  const code = get(names.code);
  const matchedBy = queryMatches(query, { phones, email, code, name });
  // What the search reply already carries, in Liaison terms (stage, code, owner…), for the candidate line.
  const { fields } = contactFields(p, config);
  return { remoteId: id, ...(code ? { remoteCode: code } : {}), name, phones, ...(email ? { email } : {}), ...(company ? { company } : {}), matchedBy, fields };
}
