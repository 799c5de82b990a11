// A ticket's place in one connection, set after its create and after each read back. Pure, so
// the outbox's record step and the pull share it.
import { LOCAL_CONNECTION_ID, TICKET_STATUSES, remoteRefKey, ticketSchema, type Ticket, type TicketPlace, type TicketStatus } from '../model';

/**
 * The least advanced status among the places that still hold the ticket (新建 < 处理中 < 待回复 <
 * 已解决 < 已关闭): a ticket filed in two systems is solved only when both have solved it, whatever
 * order their answers were read in. Undefined when no place has a status.
 */
export function leastAdvanced(places: readonly TicketPlace[]): TicketStatus | undefined {
  const ranks = places.filter((p) => p.status && p.gone !== true).map((p) => TICKET_STATUSES.indexOf(p.status!));
  return ranks.length ? TICKET_STATUSES[Math.min(...ranks)] : undefined;
}

/**
 * The ticket with `place` merged into its place for that connection (fields absent from `place`
 * keep their value). Ours (ticket.status) follows the read statuses (the least advanced of its
 * places, leastAdvanced) unless the ticket also lives in the local CRM, whose status the user
 * sets here.
 */
export function withPlace(ticket: Ticket, place: TicketPlace, now: number): Ticket {
  const places = [...ticket.places];
  const i = places.findIndex((p) => p.connectionId === place.connectionId);
  const merged: TicketPlace = { ...(i >= 0 ? places[i] : {}), ...place };
  if (i >= 0) places[i] = merged;
  else places.push(merged);
  const refs = new Set(ticket.remoteRefs ?? []);
  if (merged.remoteId) refs.add(remoteRefKey(merged.connectionId, merged.remoteId));
  const local = places.some((p) => p.connectionId === LOCAL_CONNECTION_ID);
  const status = (!local && place.status && leastAdvanced(places)) || ticket.status;
  const changed = status !== ticket.status || JSON.stringify(places) !== JSON.stringify(ticket.places);
  return ticketSchema.parse({ ...ticket, places, remoteRefs: [...refs].slice(-20), status, ...(changed ? { updatedAt: now } : {}) });
}

/** Open: not 已关闭 there (a closed ticket is not read again; 已解决 may still be reopened). */
export const isOpenPlace = (p: TicketPlace) => p.status !== '已关闭' && p.gone !== true;
