// Trello's REST API routes as the emulator answers them. Shapes follow Trello's own OpenAPI file
// (shared/specs/trello.json = developer.atlassian.com/cloud/trello/swagger.v3.json, third-party
// copy of 2026-01-30; SOURCES.md): Card, Action, Member, Board, TrelloList, Label, Organization,
// and the contract tests check every reply against it (with the recorded overlay for its known
// defects: test/unit/contract/trello/openapi.ts). Behaviour from the same file (every input a
// parameter, ids of 24 hexadecimal characters: TrelloID; the actions' page ≤ 19) and Trello's
// REST reference for cards, boards, members and actions (developer.atlassian.com/cloud/trello/
// rest, read 2026-12-06).
// Error words: Trello answers most errors in plain text: 400 "invalid id" (bugwarrior#639) and
// "invalid value for <param>", 401 "invalid key" / "invalid token" (py-trello#367) and
// "unauthorized permission requested" for a board the token's member is not on, 404 "The
// requested resource was not found.". Where a page does not give the exact words the emulator's
// are its own, in the same plain-text shape. Strict: a missing or malformed idList, a list that
// does not exist, a name or description over 16,384 characters, an unparseable due, a label or
// member not of the card's board, a comment without text, an unknown card field, a page over 19
// are all refused.
import { createHash } from 'node:crypto';

export interface Reply { status: number; body?: unknown; text?: string; headers?: Record<string, string> }

export interface Member { id: string; username: string; fullName: string; initials: string }
export interface Org { id: string; name: string; displayName: string }
export interface List { id: string; name: string; closed: boolean; pos: number; idBoard: string }
export interface Label { id: string; idBoard: string; name: string; color: string | null }
export interface Board { id: string; name: string; idOrganization: string | null; closed: boolean; members: string[]; shortLink: string }
export interface Action { id: string; idMemberCreator: string; type: 'commentCard' | 'updateCard'; date: number; text?: string; listBefore?: string; listAfter?: string }
export interface Card {
  id: string; idShort: number; idBoard: string; idList: string; name: string; desc: string; pos: number;
  due: string | null; start: string | null; dueComplete: boolean; closed: boolean; idLabels: string[]; idMembers: string[];
  address: string | null; locationName: string | null; shortLink: string; dateLastActivity: number; deleted: boolean; actions: Action[];
}
export interface State {
  seq: number; me: string; members: Member[]; orgs: Org[]; boards: Board[]; lists: List[]; labels: Label[];
  cards: Map<string, Card>; shortSeq: Map<string, number>;
}
export interface Ctx { state: State; now: () => number; site: string }

export const MAX_TEXT = 16_384;
const TRELLO_ID = /^[0-9a-f]{24}$/i;
export const text = (status: number, t: string): Reply => ({ status, text: t });
const ok = (body: unknown): Reply => ({ status: 200, body });
const NOT_FOUND = () => text(404, 'The requested resource was not found.');
export const invalid = (param: string) => text(400, `invalid value for ${param}`);

/** An ObjectId-like id: 8 hex of the creation second, then a counter (Trello's ids are MongoDB ObjectIds). */
export function newId(ctx: Ctx): string {
  const secs = Math.floor(ctx.now() / 1000).toString(16).padStart(8, '0');
  return `${secs}${(++ctx.state.seq).toString(16).padStart(16, '0')}`;
}
const shortLink = (id: string) => createHash('sha1').update(id).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
const iso = (ms: number) => new Date(ms).toISOString();

const memberOf = (ctx: Ctx, idOrName: string) => ctx.state.members.find((m) => m.id === idOrName || m.username === idOrName);
const boardById = (ctx: Ctx, id: string) => ctx.state.boards.find((b) => b.id === id.toLowerCase());
const canSee = (ctx: Ctx, b: Board) => b.members.includes(ctx.state.me);

function memberJson(m: Member) {
  return { id: m.id, username: m.username, fullName: m.fullName, initials: m.initials, confirmed: true, memberType: 'normal', url: `https://trello.com/${m.username}`, idOrganizations: [], idBoards: [] };
}
function orgJson(o: Org) {
  return { id: o.id, name: o.name, displayName: o.displayName, url: `https://trello.com/w/${o.name}`, idBoards: [], memberships: [], premiumFeatures: [] };
}
function boardJson(ctx: Ctx, b: Board, fields?: string[]) {
  const all: Record<string, unknown> = { id: b.id, name: b.name, desc: '', closed: b.closed, ...(b.idOrganization ? { idOrganization: b.idOrganization } : {}), pinned: false, url: `https://trello.com/b/${b.shortLink}/${encodeURIComponent(b.name)}`, shortUrl: `https://trello.com/b/${b.shortLink}`, labelNames: {}, shortLink: b.shortLink };
  return fields ? Object.fromEntries(['id', ...fields].filter((f) => f in all).map((f) => [f, all[f]])) : all;
}
const listJson = (l: List) => ({ id: l.id, name: l.name, closed: l.closed, pos: l.pos, idBoard: l.idBoard, subscribed: false });
const labelJson = (l: Label) => ({ id: l.id, idBoard: l.idBoard, name: l.name, color: l.color });

function cardUrl(c: Card) {
  const slug = c.name.toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  return `https://trello.com/c/${c.shortLink}/${c.idShort}-${encodeURIComponent(slug)}`;
}

export const CARD_FIELDS = ['id', 'address', 'badges', 'checkItemStates', 'closed', 'coordinates', 'creationMethod', 'dueComplete', 'dateLastActivity', 'desc', 'descData', 'due', 'dueReminder', 'idBoard', 'idChecklists', 'idLabels', 'idList', 'idMembers', 'idMembersVoted', 'idShort', 'idAttachmentCover', 'labels', 'limits', 'locationName', 'manualCoverAttachment', 'name', 'pos', 'shortLink', 'shortUrl', 'start', 'subscribed', 'url', 'cover', 'isTemplate', 'cardRole'];

export function cardJson(ctx: Ctx, c: Card, fields?: string[]) {
  const comments = c.actions.filter((a) => a.type === 'commentCard').length;
  const all: Record<string, unknown> = {
    id: c.id, address: c.address, badges: { attachmentsByType: { trello: { board: 0, card: 0 } }, location: false, votes: 0, viewingMemberVoted: false, subscribed: false, fogbugz: '', checkItems: 0, checkItemsChecked: 0, comments, attachments: 0, description: !!c.desc, due: c.due, start: c.start, dueComplete: c.dueComplete },
    checkItemStates: [], closed: c.closed, coordinates: null, creationMethod: null, dueComplete: c.dueComplete, dateLastActivity: iso(c.dateLastActivity), desc: c.desc, descData: { emoji: {} }, due: c.due, dueReminder: null,
    idBoard: c.idBoard, idChecklists: [], idLabels: c.idLabels, idList: c.idList, idMembers: c.idMembers, idMembersVoted: [], idShort: c.idShort, idAttachmentCover: null,
    labels: c.idLabels.map((id) => ctx.state.labels.find((l) => l.id === id)).filter((l): l is Label => !!l).map(labelJson),
    limits: {}, locationName: c.locationName, manualCoverAttachment: false, name: c.name, pos: c.pos, shortLink: c.shortLink, shortUrl: `https://trello.com/c/${c.shortLink}`, start: c.start, subscribed: false, url: cardUrl(c),
    cover: { idAttachment: null, color: null, idUploadedBackground: null, size: 'normal', brightness: 'dark', isTemplate: false }, isTemplate: false, cardRole: null,
  };
  return fields ? Object.fromEntries(['id', ...fields].map((f) => [f, all[f]])) : all;
}

function actionJson(ctx: Ctx, c: Card, a: Action) {
  const m = memberOf(ctx, a.idMemberCreator)!;
  const b = boardById(ctx, c.idBoard)!;
  const l = ctx.state.lists.find((x) => x.id === c.idList)!;
  const card = { id: c.id, name: c.name, idShort: c.idShort, shortLink: c.shortLink };
  const data = a.type === 'commentCard' ? { text: a.text, card, board: { id: b.id, name: b.name, shortLink: b.shortLink }, list: { id: l.id, name: l.name } } : { card, board: { id: b.id, name: b.name, shortLink: b.shortLink }, listBefore: { id: a.listBefore, name: ctx.state.lists.find((x) => x.id === a.listBefore)?.name }, listAfter: { id: a.listAfter, name: ctx.state.lists.find((x) => x.id === a.listAfter)?.name }, old: { idList: a.listBefore } };
  return { id: a.id, idMemberCreator: a.idMemberCreator, data, type: a.type, date: iso(a.date), limits: { reactions: { perAction: { status: 'ok', disableAt: 900, warnAt: 720 }, uniquePerAction: { status: 'ok', disableAt: 17, warnAt: 14 } } }, memberCreator: { id: m.id, activityBlocked: false, fullName: m.fullName, idMemberReferrer: null, initials: m.initials, username: m.username } };
}

// ---- members and organizations
export function getMember(ctx: Ctx, idOrName: string): Reply {
  const m = idOrName === 'me' ? memberOf(ctx, ctx.state.me) : memberOf(ctx, idOrName);
  return m ? ok(memberJson(m)) : NOT_FOUND();
}

const isMe = (ctx: Ctx, id: string) => id === 'me' || id === ctx.state.me || id === memberOf(ctx, ctx.state.me)!.username;

export function memberBoards(ctx: Ctx, id: string, q: URLSearchParams): Reply {
  if (!isMe(ctx, id)) return text(401, 'unauthorized permission requested');
  const filter = q.get('filter') ?? 'all';
  if (!['all', 'closed', 'members', 'open', 'organization', 'public', 'starred'].includes(filter)) return invalid('filter');
  const withOrg = q.get('organization') === 'true';
  const boards = ctx.state.boards.filter((b) => canSee(ctx, b) && (filter === 'open' ? !b.closed : filter === 'closed' ? b.closed : true));
  return ok(boards.map((b) => {
    const o = ctx.state.orgs.find((x) => x.id === b.idOrganization);
    return { ...boardJson(ctx, b), ...(withOrg ? { organization: o ? { id: o.id, name: o.name, displayName: o.displayName } : null } : {}) };
  }));
}

export function memberOrgs(ctx: Ctx, id: string): Reply {
  if (!isMe(ctx, id)) return text(401, 'unauthorized permission requested');
  const mine = new Set(ctx.state.boards.filter((b) => canSee(ctx, b)).map((b) => b.idOrganization));
  return ok(ctx.state.orgs.filter((o) => mine.has(o.id)).map(orgJson));
}

export function getOrg(ctx: Ctx, id: string): Reply {
  const o = ctx.state.orgs.find((x) => x.id === id.toLowerCase());
  return o ? ok(orgJson(o)) : NOT_FOUND();
}

// ---- boards
function visibleBoard(ctx: Ctx, id: string): Board | Reply {
  const b = boardById(ctx, id);
  if (!b) return NOT_FOUND();
  if (!canSee(ctx, b)) return text(401, 'unauthorized permission requested');
  return b;
}
const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x;

const BOARD_FIELDS = ['id', 'name', 'desc', 'descData', 'closed', 'idMemberCreator', 'idOrganization', 'pinned', 'url', 'shortUrl', 'prefs', 'labelNames', 'starred', 'limits', 'memberships', 'enterpriseOwned', 'shortLink'];
function fieldList(q: URLSearchParams, allowed: string[]): string[] | undefined | Reply {
  const raw = q.get('fields');
  if (raw === null || raw === 'all') return undefined;
  const fields = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return fields.every((f) => allowed.includes(f)) ? fields : invalid('fields');
}

export function getBoard(ctx: Ctx, id: string, q: URLSearchParams): Reply {
  const b = visibleBoard(ctx, id);
  if (isReply(b)) return b;
  const fields = fieldList(q, BOARD_FIELDS);
  if (isReply(fields)) return fields;
  return ok(boardJson(ctx, b, fields));
}

export function boardLists(ctx: Ctx, id: string, q: URLSearchParams): Reply {
  const b = visibleBoard(ctx, id);
  if (isReply(b)) return b;
  const filter = q.get('filter') ?? 'open';
  if (!['all', 'closed', 'none', 'open'].includes(filter)) return invalid('filter');
  const fields = fieldList(q, ['id', 'name', 'closed', 'pos', 'idBoard', 'subscribed']);
  if (isReply(fields)) return fields;
  const lists = ctx.state.lists.filter((l) => l.idBoard === b.id && (filter === 'all' || (filter === 'open' ? !l.closed : filter === 'closed' ? l.closed : false))).sort((x, y) => x.pos - y.pos);
  return ok(lists.map((l) => (fields ? Object.fromEntries(['id', ...fields].map((f) => [f, listJson(l)[f as keyof ReturnType<typeof listJson>]])) : listJson(l))));
}

export function boardLabels(ctx: Ctx, id: string, q: URLSearchParams): Reply {
  const b = visibleBoard(ctx, id);
  if (isReply(b)) return b;
  const limit = q.has('limit') ? Number(q.get('limit')) : 50;
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000) return invalid('limit');
  return ok(ctx.state.labels.filter((l) => l.idBoard === b.id).slice(0, limit).map(labelJson));
}

export function boardCards(ctx: Ctx, id: string, filter: string): Reply {
  const b = visibleBoard(ctx, id);
  if (isReply(b)) return b;
  if (!['all', 'closed', 'complete', 'incomplete', 'none', 'open', 'visible'].includes(filter)) return invalid('filter');
  const cards = [...ctx.state.cards.values()].filter((c) => !c.deleted && c.idBoard === b.id).filter((c) => {
    switch (filter) {
      case 'all': return true;
      case 'closed': return c.closed;
      case 'complete': return c.dueComplete;
      case 'incomplete': return !c.dueComplete;
      case 'none': return false;
      default: return !c.closed;
    }
  });
  return ok(cards.map((c) => cardJson(ctx, c)));
}

// ---- cards
function dateParam(v: string): string | null | undefined {
  if (v === '' || v === 'null') return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? iso(t) : undefined;
}

export function createCard(ctx: Ctx, p: URLSearchParams): Reply {
  const idList = p.get('idList');
  if (!idList || !TRELLO_ID.test(idList)) return invalid('idList');
  const list = ctx.state.lists.find((l) => l.id === idList.toLowerCase());
  if (!list) return invalid('idList');
  const b = boardById(ctx, list.idBoard)!;
  if (!canSee(ctx, b)) return text(401, 'unauthorized permission requested');
  if (p.has('idCardSource') || p.has('urlSource') || p.has('fileSource')) return text(400, 'The Trello emulator does not copy cards or attach files');
  const name = p.get('name') ?? '';
  if (name.length > MAX_TEXT) return invalid('name');
  const desc = p.get('desc') ?? '';
  if (desc.length > MAX_TEXT) return invalid('desc');
  let pos = 0;
  const onList = [...ctx.state.cards.values()].filter((c) => c.idList === list.id && !c.deleted);
  const rawPos = p.get('pos') ?? 'bottom';
  if (rawPos === 'top') pos = Math.min(65536, ...onList.map((c) => c.pos)) / 2;
  else if (rawPos === 'bottom') pos = Math.max(0, ...onList.map((c) => c.pos)) + 65536;
  else if (/^\d+(\.\d+)?$/.test(rawPos)) pos = Number(rawPos);
  else return invalid('pos');
  let due: string | null = null;
  if (p.has('due')) {
    const d = dateParam(p.get('due')!);
    if (d === undefined) return invalid('due');
    due = d;
  }
  let start: string | null = null;
  if (p.has('start')) {
    const d = dateParam(p.get('start')!);
    if (d === undefined) return invalid('start');
    start = d;
  }
  const dc = p.get('dueComplete');
  if (dc !== null && dc !== 'true' && dc !== 'false') return invalid('dueComplete');
  const ids = (k: string) => (p.get(k) ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const idLabels = ids('idLabels');
  if (idLabels.some((id) => !ctx.state.labels.some((l) => l.id === id && l.idBoard === b.id))) return invalid('idLabels');
  const idMembers = ids('idMembers');
  if (idMembers.some((id) => !b.members.includes(id))) return invalid('idMembers');
  const n = (ctx.state.shortSeq.get(b.id) ?? 0) + 1;
  ctx.state.shortSeq.set(b.id, n);
  const id = newId(ctx);
  const card: Card = {
    id, idShort: n, idBoard: b.id, idList: list.id, name, desc, pos, due, start, dueComplete: dc === 'true', closed: false,
    idLabels: [...new Set(idLabels)], idMembers: [...new Set(idMembers)], address: p.get('address'), locationName: p.get('locationName'),
    shortLink: shortLink(id), dateLastActivity: ctx.now(), deleted: false, actions: [],
  };
  ctx.state.cards.set(id, card);
  return ok(cardJson(ctx, card));
}

export function cardOf(ctx: Ctx, id: string): Card | Reply {
  if (!TRELLO_ID.test(id)) return text(400, 'invalid id');
  const c = ctx.state.cards.get(id.toLowerCase());
  if (!c || c.deleted) return NOT_FOUND();
  if (!canSee(ctx, boardById(ctx, c.idBoard)!)) return text(401, 'unauthorized card permission requested');
  return c;
}

export function getCard(ctx: Ctx, id: string, q: URLSearchParams): Reply {
  const c = cardOf(ctx, id);
  if (isReply(c)) return c;
  const fields = fieldList(q, CARD_FIELDS);
  if (isReply(fields)) return fields;
  const out: Record<string, unknown> = cardJson(ctx, c, fields);
  if (q.get('list') === 'true') out.list = listJson(ctx.state.lists.find((l) => l.id === c.idList)!);
  if (q.get('members') === 'true') {
    const mf = (q.get('member_fields') ?? 'avatarHash,fullName,initials,username').split(',');
    out.members = c.idMembers.map((m) => memberOf(ctx, m)!).map((m) => Object.fromEntries(['id', ...mf].map((f) => [f, (memberJson(m) as Record<string, unknown>)[f]])));
  }
  return ok(out);
}

export const ACTIONS_PER_PAGE = 50;
export function cardActions(ctx: Ctx, id: string, q: URLSearchParams): Reply {
  const c = cardOf(ctx, id);
  if (isReply(c)) return c;
  const page = q.has('page') ? Number(q.get('page')) : 0;
  if (!Number.isInteger(page) || page < 0 || page > 19) return invalid('page');
  const filter = (q.get('filter') ?? 'commentCard,updateCard:idList').split(',').map((s) => s.trim());
  const known = ['all', 'commentCard', 'updateCard', 'updateCard:idList', 'createCard'];
  if (filter.some((f) => !known.includes(f))) return invalid('filter');
  const wanted = (a: Action) => filter.includes('all') || filter.includes(a.type) || (a.type === 'updateCard' && filter.includes('updateCard:idList'));
  const list = c.actions.filter(wanted).sort((x, y) => y.date - x.date || (y.id < x.id ? -1 : 1));
  return ok(list.slice(page * ACTIONS_PER_PAGE, (page + 1) * ACTIONS_PER_PAGE).map((a) => actionJson(ctx, c, a)));
}

export function addComment(ctx: Ctx, id: string, p: URLSearchParams, as?: string): Reply {
  const c = cardOf(ctx, id);
  if (isReply(c)) return c;
  const t = p.get('text');
  if (!t || !t.trim() || t.length > MAX_TEXT) return invalid('text');
  const a: Action = { id: newId(ctx), idMemberCreator: as ?? ctx.state.me, type: 'commentCard', date: ctx.now(), text: t };
  c.actions.push(a);
  c.dateLastActivity = ctx.now();
  return ok(actionJson(ctx, c, a));
}
