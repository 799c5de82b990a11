// Finding customers: email (and code/name when mapped) with SOQL on the customer object; phones
// with SOSL, because Salesforce stores phones as typed ("(0755) 1234-5678", "+86 138…") and only
// SOSL's IN PHONE FIELDS matches them whatever the format. SOSL returns Leads AND Contacts, so a
// customer kept as a Contact is found from a Lead connection too (ids carry their object).
// Docs: resources_query.htm, resources_search.htm, sforce_api_calls_soql_select_quotedstringescapes.htm.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { CustomerQuery, RemoteCustomer } from '../port';
import { sfCall, soqlString, soslTerm, type SalesforceContext } from './client';
import { candidateFields, candidateReadFields } from './read-values';
import { customerMapping, toRemoteCustomer, type SfPerson } from './values';

const person = z.object({
  Id: z.string(),
  Name: z.string().nullish(),
  Email: z.string().nullish(),
  Phone: z.string().nullish(),
  MobilePhone: z.string().nullish(),
  Company: z.string().nullish(),
  attributes: z.object({ type: z.string().optional() }).passthrough().optional(),
}).passthrough();
const queryReply = z.object({ totalSize: z.number(), done: z.boolean(), records: z.array(person) });
const searchReply = z.object({ searchRecords: z.array(person) });

export const FIND_LIMIT = 20;

/** The digits people and imports usually type: the national number (13800138000 for +8613800138000). */
export function phoneSearchTerm(phone: string): string | undefined {
  const p = parsePhoneNumberFromString(phone, 'CN');
  const d = p?.nationalNumber ?? phone.replace(/\D/g, '');
  return d.length >= 5 ? d : undefined;
}

export async function findCustomers(ctx: SalesforceContext, q: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const object = ctx.config.customerObject;
  const map = customerMapping(ctx.config);
  const found = new Map<string, SfPerson>();
  // The candidate line's extras (code, stage, grade, owner) ride on the same queries, for the configured object only.
  const extra = candidateReadFields(object, ctx.config);
  const base = ['Id', 'Name', 'Email', 'Phone', 'MobilePhone'];

  const where: string[] = [];
  if (q.email?.trim()) where.push(`Email = ${soqlString(q.email.trim())}`);
  if (q.code?.trim() && map.code) where.push(`${map.code} = ${soqlString(q.code.trim())}`);
  if (q.name?.trim()) where.push(`Name = ${soqlString(q.name.trim())}`);
  if (where.length) {
    const fields = [...new Set([...base, ...(object === 'Lead' ? ['Company'] : []), ...extra])];
    const soql = `SELECT ${fields.join(', ')} FROM ${object} WHERE ${where.join(' OR ')} LIMIT ${FIND_LIMIT}`;
    const r = await sfCall(ctx, 'get', 'query', { searchParams: { q: soql }, signal, schema: queryReply });
    for (const rec of r.records) found.set(rec.Id, rec);
  }

  const term = q.phone ? phoneSearchTerm(q.phone) : undefined;
  if (term) {
    const returning = (o: 'Lead' | 'Contact') => [...new Set([...base, ...(o === 'Lead' ? ['Company'] : []), ...(o === object ? extra : [])])].join(', ');
    const sosl = `FIND {${soslTerm(term)}} IN PHONE FIELDS RETURNING Lead(${returning('Lead')}), Contact(${returning('Contact')}) LIMIT ${FIND_LIMIT}`;
    const r = await sfCall(ctx, 'get', 'search', { searchParams: { q: sosl }, signal, schema: searchReply });
    for (const rec of r.searchRecords) if (!found.has(rec.Id)) found.set(rec.Id, rec);
  }
  return [...found.values()]
    .map((r) => {
      const c = toRemoteCustomer(r, q);
      const type = r.attributes?.type === 'Contact' || r.attributes?.type === 'Lead' ? r.attributes.type : object;
      const fields = type === object ? candidateFields(r as unknown as Record<string, unknown>, object, ctx.config) : {};
      const code = typeof fields.code === 'string' ? fields.code : undefined;
      return { ...c, ...(Object.keys(fields).length ? { fields } : {}), ...(code ? { remoteCode: code } : {}) };
    })
    .filter((c) => c.matchedBy.length > 0);
}
