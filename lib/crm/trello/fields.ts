// What the chosen board offers, and the settings form's choices: the token's boards (GET
// /1/members/{id}/boards with their Workspace), the board's open lists (GET
// /1/boards/{id}/lists) and its labels (GET /1/boards/{id}/labels). A card's own fields are
// fixed (trello.json POST /cards parameters): listFields offers the ones a template may set, with
// the board's label names as idLabels' options. Trello's Custom Fields (a Power-Up) take a
// second write per field after the create, so Liaison does not write them.
import { z } from 'zod';
import type { CrmField, CrmFieldList, FieldChoice } from '../port';
import { call, type TrelloContext } from './client';
import { requireBoard } from './config';
import { PRIORITY_LABEL_FIELDS, STATUS_LIST_FIELDS } from './spec';

export const memberSchema = z.object({ id: z.string(), fullName: z.string().optional(), username: z.string().optional() }).passthrough();
export const labelSchema = z.object({ id: z.string(), name: z.string().nullable().optional(), color: z.string().nullable().optional() }).passthrough();
export type Label = z.infer<typeof labelSchema>;
const listSchema = z.object({ id: z.string(), name: z.string(), closed: z.boolean().optional() }).passthrough();
const boardSchema = z
  .object({ id: z.string(), name: z.string(), closed: z.boolean().optional(), idOrganization: z.string().nullable().optional(), organization: z.object({ id: z.string(), displayName: z.string().optional() }).passthrough().nullable().optional() })
  .passthrough();

/** The token's member id: GET /1/members/me once per adapter (the /1/members route has its own, tighter limit). */
export function memberId(ctx: TrelloContext, signal?: AbortSignal): Promise<string> {
  if (!ctx.memberId) {
    const p = call(ctx, 'get', 'members/me', { schema: memberSchema, signal }).then((m) => m.id);
    ctx.memberId = p;
    p.catch(() => {
      if (ctx.memberId === p) delete ctx.memberId;
    });
  }
  return ctx.memberId;
}

export async function boardLabels(ctx: TrelloContext, idBoard: string, signal?: AbortSignal): Promise<Label[]> {
  return call(ctx, 'get', `boards/${idBoard}/labels`, { searchParams: { limit: 1000 }, schema: z.array(labelSchema), signal });
}

export async function boardLists(ctx: TrelloContext, idBoard: string, signal?: AbortSignal): Promise<z.infer<typeof listSchema>[]> {
  return call(ctx, 'get', `boards/${idBoard}/lists`, { searchParams: { filter: 'open', fields: 'id,name,closed' }, schema: z.array(listSchema), signal });
}

/** A label as a person sees it: its name, else its colour. */
export const labelText = (l: Label) => l.name?.trim() || (l.color ? `(${l.color})` : l.id);

/** Liaison writes name, desc, idList and due itself; idCardSource / keepFromSource would copy another card into this one. */
export const RESERVED: Record<string, string> = {
  name: 'the ticket subject',
  desc: 'the ticket text, customer, quoted messages and the idempotency marker',
  idList: 'the configured list',
  due: 'the ticket’s due time',
  idCardSource: 'a card is never copied',
  keepFromSource: 'a card is never copied',
  urlSource: 'no attachment is made',
  fileSource: 'no attachment is made',
  cardRole: 'a ticket is an ordinary card',
};

/** The card parameters a template may set (POST /1/cards), the board's label names as idLabels' options. */
export async function listFields(ctx: TrelloContext, signal?: AbortSignal): Promise<CrmFieldList & { ticket: CrmField[] }> {
  const labels = await boardLabels(ctx, requireBoard(ctx.config), signal);
  const ticket: CrmField[] = [
    { name: 'idLabels', label: 'Labels', type: 'array<label>', options: labels.map(labelText) },
    { name: 'idMembers', label: 'Members', type: 'array<member id>' },
    { name: 'start', label: 'Start date', type: 'date' },
    { name: 'pos', label: 'Position', type: 'position', options: ['top', 'bottom'] },
    { name: 'dueComplete', label: 'Due complete', type: 'boolean' },
    { name: 'address', label: 'Address', type: 'string' },
    { name: 'locationName', label: 'Location name', type: 'string' },
  ];
  return { ticket };
}

async function boards(ctx: TrelloContext, signal?: AbortSignal): Promise<FieldChoice[]> {
  const id = await memberId(ctx, signal);
  const list = await call(ctx, 'get', `members/${id}/boards`, { searchParams: { filter: 'open', organization: true }, schema: z.array(boardSchema), signal });
  return list.filter((b) => !b.closed).map((b) => ({ value: b.id, label: b.organization?.displayName ? `${b.name}（${b.organization.displayName}）` : b.name }));
}

/** The settings form's choices: boards, the board's lists, the board's labels. */
export async function fieldChoices(ctx: TrelloContext, fieldKey: string, signal?: AbortSignal): Promise<FieldChoice[] | undefined> {
  if (fieldKey === 'idBoard') return boards(ctx, signal);
  if (fieldKey === 'idList' || STATUS_LIST_FIELDS.some((f) => f.key === fieldKey)) {
    const lists = await boardLists(ctx, requireBoard(ctx.config), signal);
    return lists.filter((l) => !l.closed).map((l) => ({ value: l.id, label: l.name }));
  }
  if (Object.values(PRIORITY_LABEL_FIELDS).includes(fieldKey)) {
    const labels = await boardLabels(ctx, requireBoard(ctx.config), signal);
    return labels.map((l) => ({ value: l.id, label: l.name?.trim() ? `${l.name}${l.color ? ` (${l.color})` : ''}` : labelText(l) }));
  }
  return undefined;
}
