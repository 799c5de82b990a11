// Notes and tasks have no idempotency key or unique property in HubSpot, so before creating one
// the contact's engagements are searched for the same natural key (associated contact +
// hs_timestamp to the millisecond, + subject for tasks): a retry after a lost reply finds the
// first attempt's record. The check costs one search (4/s lane) per create; follow-ups are
// human-paced. Search is eventually consistent (seconds), which the outbox's backoff covers.
import type { HubspotContext } from './client';
import { associationTo, createObject, search, type Filter } from './objects';

export async function createEngagementOnce(
  ctx: HubspotContext,
  type: 'notes' | 'tasks',
  contactId: string,
  properties: Record<string, string>,
  naturalKey: string[],
  associationTypeId: number,
  signal?: AbortSignal,
): Promise<string> {
  const filters: Filter[] = [
    { propertyName: 'associations.contact', operator: 'EQ', value: contactId },
    ...naturalKey.map((p): Filter => ({ propertyName: p, operator: 'EQ', value: properties[p] ?? '' })),
  ];
  const found = await search(ctx, type, { filterGroups: [{ filters }], properties: naturalKey, limit: 10 }, { maxPages: 1, signal });
  if (found[0]) return found[0].id;
  const created = await createObject(ctx, type, properties, [associationTo(contactId, associationTypeId)], signal);
  return created.id;
}
