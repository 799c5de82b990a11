// findCustomers: one CRM search over contacts, OR across filter groups (HubSpot ANDs filters
// inside a group and ORs the groups; ≤ 5 groups): phone IN its stored forms, mobilephone IN the
// same forms (E.164 as Liaison writes, national digits as people type), email EQ, liaison_code
// EQ, and the name as a token when a group is left. Paced by the 4/s search lane.
import type { CustomerQuery, RemoteCustomer } from '../port';
import type { HubspotContext } from './client';
import { SEARCH_MAX_GROUPS, search, type Filter } from './objects';
import { contactReadProperties } from './read-values';
import { CONTACT_READ_PROPERTIES, customerNames, phoneForms, toRemoteCustomer } from './values';

export function contactFilterGroups(ctx: Pick<HubspotContext, 'config'>, query: CustomerQuery): { filters: Filter[] }[] {
  const names = customerNames(ctx.config);
  const groups: { filters: Filter[] }[] = [];
  if (query.phone) {
    const forms = phoneForms(query.phone);
    const props = [...new Set([names.phones ?? 'phone', 'mobilephone'])];
    if (forms.length) for (const p of props) groups.push({ filters: [{ propertyName: p, operator: 'IN', values: forms }] });
  }
  if (query.email?.trim() && names.email) groups.push({ filters: [{ propertyName: names.email, operator: 'EQ', value: query.email.trim().toLowerCase() }] });
  if (query.code?.trim() && names.code) groups.push({ filters: [{ propertyName: names.code, operator: 'EQ', value: query.code.trim() }] });
  if (query.name?.trim() && names.name) groups.push({ filters: [{ propertyName: names.name, operator: 'CONTAINS_TOKEN', value: query.name.trim() }] });
  return groups.slice(0, SEARCH_MAX_GROUPS);
}

export async function findCustomers(ctx: HubspotContext, query: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const filterGroups = contactFilterGroups(ctx, query);
  if (!filterGroups.length) return [];
  const properties = [...new Set([...CONTACT_READ_PROPERTIES, ...contactReadProperties(ctx.config)])];
  const found = await search(ctx, 'contacts', { filterGroups, properties, limit: 100 }, { maxPages: 2, signal });
  return found.map((o) => toRemoteCustomer(o.id, o.properties, ctx.config, query)).filter((c) => c.matchedBy.length > 0);
}
