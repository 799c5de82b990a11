// Tickets as Trello cards: create (POST /1/cards, every input a query parameter), read back
// (GET /1/cards/{id} with its list).
//
// Idempotency. Trello takes no idempotency key and has no upsert, so a create looks first and
// again after an unknown outcome. The key rides on the card as the description's last line
// (`Liaison <key>`, text.ts), found by reading the board's open cards (GET
// /1/boards/{id}/cards/open). That read comes from the board itself, so a card that committed is
// seen at once; Trello's /1/search would find the marker with a smaller reply, but it is a search
// index and one of the "special routes" with stricter limits ("Rate Limits", read 2026-12-06).
// Open cards rather than all: Trello's own staff asked an extension to stop reading archived
// cards of big boards (adrienjoly/chrome-next-step-for-trello#52, 2017). The price: a card a
// colleague archived, or moved to another board, between a lost reply and the retry is not seen,
// and the retry makes a second card (pinned by a test; docs/trello.md).
//
// Status. Trello has no status field: it is where the card is. In order: archived (closed) →
// 已关闭; in a list the user mapped to 已关闭 / 已解决 → that; due date marked complete → 已解决;
// in a list mapped to 处理中 / 待回复 → that; in the list new cards go to → 新建; any other list →
// 处理中 (someone moved it on). vendorStatus is the list's name, with "archived" / "complete".
import { z } from 'zod';
import { CrmError } from '../errors';
import { abortableSleep } from '../rate-limiter';
import type { RemoteRef, RemoteTicket, TicketInput, WriteOptions } from '../port';
import type { TicketStatus } from '../../model/enums';
import { conversionError, matchOption, optionError, refuseReserved, splitList, toBoolean, toDay, toText } from '../template-values';
import { call, notTrelloId, parseTime, type Params, type TrelloContext } from './client';
import { priorityLabel, statusLists, target, TRELLO_ID } from './config';
import { boardLabels, labelText, RESERVED, type Label } from './fields';
import { cardDescription, cardName, hasMarker, markerLine } from './text';

export const cardSchema = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    desc: z.string().optional(),
    idList: z.string(),
    idBoard: z.string().optional(),
    closed: z.boolean().optional(),
    dueComplete: z.boolean().optional(),
    due: z.string().nullable().optional(),
    idShort: z.number().optional(),
    shortUrl: z.string().optional(),
    url: z.string().optional(),
    dateLastActivity: z.string().optional(),
    list: z.object({ id: z.string(), name: z.string() }).passthrough().optional(),
    members: z.array(z.object({ id: z.string(), fullName: z.string().optional() }).passthrough()).optional(),
  })
  .passthrough();
export type Card = z.infer<typeof cardSchema>;

const READ_FIELDS = 'id,name,idList,idBoard,closed,dueComplete,due,idShort,shortUrl,url,dateLastActivity,idMembers';

/** See the header: where the card is → Liaison's status. */
export function statusOf(ctx: TrelloContext, c: Pick<Card, 'idList' | 'closed' | 'dueComplete'>): TicketStatus {
  if (c.closed) return '已关闭';
  const mapped = statusLists(ctx.config).get(c.idList.toLowerCase());
  if (mapped === '已关闭' || mapped === '已解决') return mapped;
  if (c.dueComplete) return '已解决';
  if (mapped) return mapped;
  if (c.idList.toLowerCase() === ctx.config.settings.idList?.toLowerCase()) return '新建';
  return '处理中';
}

function vendorStatusOf(c: Card, listName: string | undefined): string {
  return [listName ?? c.idList, c.closed ? 'archived' : '', c.dueComplete ? 'complete' : ''].filter(Boolean).join(' · ');
}

function toTicket(ctx: TrelloContext, c: Card, listName?: string): RemoteTicket {
  const modifiedAt = parseTime(c.dateLastActivity);
  const assignee = c.members?.map((m) => m.fullName).filter(Boolean).join('、');
  return {
    remoteId: c.id,
    ...(c.idShort !== undefined ? { remoteCode: `#${c.idShort}` } : {}),
    status: statusOf(ctx, c),
    vendorStatus: vendorStatusOf(c, c.list?.name ?? listName),
    ...(c.name ? { subject: c.name } : {}),
    ...(assignee ? { assignee } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt, marker: String(modifiedAt) } : {}),
    ...(c.shortUrl || c.url ? { url: c.shortUrl ?? c.url! } : {}),
  };
}

/** The open card Liaison created under this key on the board. */
export async function findByKey(ctx: TrelloContext, idBoard: string, key: string, signal?: AbortSignal): Promise<Card | undefined> {
  const marker = markerLine(key);
  const cards = await call(ctx, 'get', `boards/${idBoard}/cards/open`, { schema: z.array(cardSchema), signal });
  return cards.find((c) => hasMarker(c.desc, marker));
}

/** Label names (or ids) → the board's label ids; an unknown one is refused by name before writing. */
function labelIds(field: string, v: string | number, labels: Label[]): string[] {
  return splitList(v).map((want) => {
    const hit = TRELLO_ID.test(want) ? labels.find((l) => l.id === want) : matchOption(labels, want, (l) => [labelText(l), l.name ?? '', l.color ?? '']);
    if (!hit) throw optionError('Trello', field, want, labels.map(labelText));
    return hit.id;
  });
}

function templateParams(fields: Record<string, string | number>, labels: () => Label[]): { params: Params; labels: string[] } {
  const params: Params = {};
  let extra: string[] = [];
  for (const [name, v] of Object.entries(fields)) {
    switch (name) {
      case 'idLabels':
        extra = labelIds(name, v, labels());
        break;
      case 'idMembers': {
        const ids = splitList(v);
        const bad = ids.find((x) => !TRELLO_ID.test(x));
        if (bad !== undefined) throw conversionError('Trello', name, 'member id', bad);
        params.idMembers = ids.join(',');
        break;
      }
      case 'start':
        params.start = toDay('Trello', name, v);
        break;
      case 'pos': {
        const t = toText(v).trim();
        if (t !== 'top' && t !== 'bottom' && !(Number(t) >= 0)) throw conversionError('Trello', name, 'position', 'top, bottom or a number ≥ 0');
        params.pos = t;
        break;
      }
      case 'dueComplete':
        params.dueComplete = toBoolean('Trello', name, v);
        break;
      default:
        // address, locationName and anything else: sent as text, for Trello (and trello.json) to judge.
        params[name] = toText(v);
    }
  }
  return { params, labels: extra };
}

export async function createTicket(ctx: TrelloContext, t: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }> {
  const { idBoard, idList } = target(ctx.config);
  refuseReserved('Trello', opts.fields, (name) => RESERVED[name]);
  const name = cardName(t.subject);
  const desc = cardDescription(t, opts.idempotencyKey);
  const warnings: string[] = [];
  const wantLabel = priorityLabel(ctx.config, t.priority);
  const needLabels = !!wantLabel || Object.keys(opts.fields ?? {}).includes('idLabels');
  const labels = needLabels ? await boardLabels(ctx, idBoard, opts.signal) : [];
  const tpl = templateParams(opts.fields ?? {}, () => labels);
  const ids = [...tpl.labels];
  if (wantLabel) {
    if (labels.some((l) => l.id.toLowerCase() === wantLabel.toLowerCase())) ids.unshift(wantLabel);
    else warnings.push(`priority label: ${wantLabel} is not a label of the board`);
  }
  const params: Params = {
    ...tpl.params,
    idList,
    name,
    desc,
    pos: tpl.params.pos ?? 'bottom',
    ...(t.dueAt !== undefined ? { due: new Date(t.dueAt).toISOString() } : {}),
    // Comma-separated, as Trello's reference describes both lists.
    ...(ids.length ? { idLabels: [...new Set(ids)].join(',') } : {}),
    ...(t.assignee && !tpl.params.idMembers ? (TRELLO_ID.test(t.assignee) ? { idMembers: t.assignee } : {}) : {}),
  };
  if (t.assignee && !TRELLO_ID.test(t.assignee)) warnings.push(`assignee: "${t.assignee.slice(0, 40)}" is not a Trello member id`);
  const withWarnings = <T extends object>(r: T) => ({ ...r, ...(warnings.length ? { warnings } : {}) });

  // What a found or created card returns: one read of it gives the sidebar its list's name.
  const settle = async (c: Card) => {
    const read = await getTicket(ctx, c.id, opts.signal).catch(() => null);
    return withWarnings(read ? { remoteId: read.remoteId, ...(read.remoteCode ? { remoteCode: read.remoteCode } : {}), status: read.status, vendorStatus: read.vendorStatus, ...(read.url ? { url: read.url } : {}), ...(read.marker ? { marker: read.marker } : {}) } : refOf(ctx, c));
  };
  const found = await findByKey(ctx, idBoard, opts.idempotencyKey, opts.signal);
  if (found) return settle(found);
  let created: Card;
  try {
    created = await call(ctx, 'post', 'cards', { json: params, write: true, schema: cardSchema, signal: opts.signal });
  } catch (e) {
    if (!(e instanceof CrmError) || e.kind !== 'unknown-outcome') throw e;
    for (const delay of ctx.reconcileDelaysMs) {
      if (delay) await abortableSleep(delay, opts.signal);
      const again = await findByKey(ctx, idBoard, opts.idempotencyKey, opts.signal).catch(() => undefined);
      if (again) return settle(again);
    }
    throw e;
  }
  return settle(created);
}

function refOf(ctx: TrelloContext, c: Card) {
  const t = toTicket(ctx, c);
  return { remoteId: t.remoteId, ...(t.remoteCode ? { remoteCode: t.remoteCode } : {}), status: t.status, vendorStatus: t.vendorStatus, ...(t.url ? { url: t.url } : {}), ...(t.marker ? { marker: t.marker } : {}) };
}

export async function getTicket(ctx: TrelloContext, remoteId: string, signal?: AbortSignal): Promise<RemoteTicket | null> {
  const bad = notTrelloId(remoteId, 'card');
  if (bad) throw bad;
  try {
    const c = await call(ctx, 'get', `cards/${remoteId}`, { searchParams: { fields: READ_FIELDS, list: true, members: true, member_fields: 'fullName' }, schema: cardSchema, signal });
    return toTicket(ctx, c);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}
