// A strict emulator of api.monday.com/v2 for the monday adapter's contract tests. It executes
// every document with graphql-js against monday's own schema (shared/specs/monday.graphql,
// version 2026-10, read from ../shared at test time through test/specs/graphql.ts): a field or
// argument monday does not have fails validation, a variable of the wrong type fails coercion.
// Resolvers over an in-memory account (store.ts) implement what the adapter uses: me, boards
// (columns, items_page with query_params), items(ids) with updates, items_page_by_column_values,
// next_items_page, complexity; create_item, change_multiple_column_values, create_update,
// create_column. Anything else the schema allows but this emulator does not implement answers
// an error naming it (never a silent null).
//
// The platform, from developer.monday.com api-reference/docs (read 2026-12-06):
// - authentication: `Authorization: <token>` (no Bearer); a wrong or revoked token → HTTP 401.
//   The 401 body's exact shape is not documented; {errors:[{message:"Not Authenticated",
//   extensions:{code:"UNAUTHENTICATED", status_code:401}}]} is our assumption.
// - api-versioning: the API-Version header; an unknown version → InvalidVersionException.
// - error-handling: application errors answer HTTP 200 with errors[].extensions {code,
//   error_data, status_code} and partial data; transport errors use 4xx/5xx.
// - rate-limits: the complexity budget per minute (10M personal tokens; configurable here) with
//   `complexity { before after query reset_in_x_seconds }`; exhausted → HTTP 429 + Retry-After,
//   errors[].extensions {code: COMPLEXITY_BUDGET_EXHAUSTED, retry_in_seconds} (or, with
//   legacyErrors, the flat ComplexityException body of the changelog "Changes to
//   ComplexityException error reverted"); the per-minute request limit → 429 RATE_LIMIT_EXCEEDED;
//   a single query above 5M points is refused.
// - items_page / next_items_page: limit ≤ 500, opaque cursors valid for 60 minutes; query_params
//   rules on `__last_updated__` take compare_attribute UPDATED_AT and compare_value
//   ["EXACT", "YYYY-MM-DD"] (a day, in the account's time zone: `timeZoneOffsetMinutes`).
// - items_page_by_column_values: ANY of the values within a column, ALL columns; not on
//   board_relation / other unsupported column types.
// Complexity points per query are our own estimate (monday does not publish its formula): 10 per
// top-level field plus 10 per item a page may return (its limit) — enough to exercise the budget.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { loadGraphqlSchema } from '../../specs/graphql';
import { createFaultQueue } from '../fault-queue';
import { createStore, gqlError, SUPPORTED_TYPES, type EmBoard, type EmItem, type EmUpdate, type Json, type Store } from './store';

export interface MondayEmulatorOptions {
  token?: string;
  now?: () => number;
  /** Complexity points per minute (monday: 10M for personal tokens, 1M trial/free). */
  complexityBudget?: number;
  /** Requests per minute (monday: by plan). */
  requestsPerMinute?: number;
  /** The account's time zone, for the day a `__last_updated__` EXACT rule compares. */
  timeZoneOffsetMinutes?: number;
  /** Answer a complexity overrun with the older flat {error_code: "ComplexityException"} body. */
  legacyErrors?: boolean;
}

export interface RequestLogEntry { operation: string; apiVersion: string | undefined; status: number; at: number; /** A 429's retry-after, in ms. */ retryAfterMs?: number }
type Fault = { left: number; api?: string; kind: 'status' | 'drop'; status?: number; commit?: boolean };

export interface MondayEmulator {
  url: string;
  token: string;
  store: Store;
  log: RequestLogEntry[];
  control: {
    addBoard(name: string, columns?: { title: string; type: string; labels?: string[] }[]): EmBoard;
    column(boardId: string, title: string): string;
    items(boardId: string): EmItem[];
    /** A colleague edits an item in monday: values in the column_values write form (by column title), bumping updated_at. */
    editAsColleague(itemId: string, values: Record<string, Json>, at?: number): void;
    addItemAsColleague(boardId: string, name: string, values?: Record<string, Json>): string;
    addUpdateAsColleague(itemId: string, body: string, userName?: string): string;
    deleteItem(itemId: string): void;
    revokeToken(): void;
    failNext(f: { status: number; api?: string; count?: number; commit?: boolean }): void;
    /** The connection closes without a reply; with commit the document was executed first. */
    dropNext(f?: { api?: string; count?: number; commit?: boolean }): void;
    setComplexityLeft(points: number): void;
    /** From now on at most `n` requests a minute (this minute's count restarts at 0). */
    limitRequestsPerMinute(n: number | undefined): void;
    /** The fault tests' rate-limit window on the emulator's clock: 429 RATE_LIMIT_EXCEEDED until `at`. */
    rateLimitUntil(at: number): void;
    /** Per-request random faults (the sync fault tests), asked when no queued fault applies. */
    setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined): void;
    clearLog(): void;
  };
  close(): Promise<void>;
}

const PAGE_MAX = 500;
const CURSOR_TTL_MS = 60 * 60_000;
const QUERY_MAX = 5_000_000;
const WINDOW_MS = 60_000;
const VERSIONS = new Set(['2025-04', '2025-07', '2025-10', '2026-01', '2026-04', '2026-07', '2026-10']);

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const VALUE_TYPES: Record<string, string> = { text: 'TextValue', long_text: 'LongTextValue', numbers: 'NumbersValue', phone: 'PhoneValue', email: 'EmailValue', status: 'StatusValue', date: 'DateValue', dropdown: 'DropdownValue' };

export async function startMondayEmulator(opts: MondayEmulatorOptions = {}): Promise<MondayEmulator> {
  const schema: GraphQLSchema = loadGraphqlSchema('monday.graphql');
  const now = opts.now ?? Date.now;
  const token = opts.token ?? `eyJtondayToken.${Math.random().toString(36).slice(2)}`;
  let validToken: string | undefined = token;
  const store = createStore(now);
  const log: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  let limitedUntil = 0;
  const budget = opts.complexityBudget ?? 10_000_000;
  let perMinute = opts.requestsPerMinute;
  let window = { start: now(), used: 0, requests: 0 };
  const cursors = new Map<string, { ids: string[]; pos: number; expires: number }>();
  const zoneMs = (opts.timeZoneOffsetMinutes ?? 0) * 60_000;

  const roll = () => {
    if (now() - window.start >= WINDOW_MS) window = { start: now(), used: 0, requests: 0 };
  };
  const resetIn = () => Math.max(1, Math.ceil((window.start + WINDOW_MS - now()) / 1000));

  // ---- resolvers ----
  const userOut = (id: string) => {
    const u = store.users.get(id);
    return u ? { id: u.id, name: u.name, email: u.email } : null;
  };
  const columnOut = (b: EmBoard) => (args: { ids?: string[]; types?: string[] }) =>
    b.columns.filter((c) => (!args.ids || args.ids.includes(c.id)) && (!args.types || args.types.includes(c.type))).map((c) => ({
      id: c.id, title: c.title, type: c.type, archived: false, description: null, width: null, revision: '1',
      settings: c.type === 'status' ? { labels: Object.fromEntries(c.labels.map((l, i) => [String(i), l])) } : c.type === 'dropdown' ? { labels: c.labels.map((l, i) => ({ id: i + 1, name: l })) } : {},
      settings_str: '{}', capabilities: {},
    }));
  const itemOut = (item: EmItem): Record<string, unknown> => {
    const b = store.boards.get(item.boardId)!;
    return {
      id: item.id,
      name: item.name,
      state: item.state,
      created_at: iso(item.createdAt),
      updated_at: iso(item.updatedAt),
      creator_id: item.creatorId,
      creator: () => userOut(item.creatorId),
      board: () => boardOut(b),
      email: `pulse-${item.id}@example.monday.com`,
      url: `https://example.monday.com/boards/${b.id}/pulses/${item.id}`,
      subscribers: [],
      column_values: (args: { ids?: string[]; types?: string[] }) =>
        b.columns.filter((c) => c.type !== 'name' && (!args.ids || args.ids.includes(c.id)) && (!args.types || args.types.includes(c.type))).map((c) => {
          const v = item.values[c.id];
          return { __typename: VALUE_TYPES[c.type] ?? 'UnsupportedValue', id: c.id, type: c.type, text: v?.text ?? (c.type === 'text' ? '' : null), value: v && v.value !== null ? JSON.stringify(v.value) : null, is_leaf: true };
        }),
      updates: (args: { limit?: number; page?: number }) => {
        const limit = Math.min(args.limit ?? 25, 100);
        const page = Math.max(1, args.page ?? 1);
        const sorted = [...item.updates].sort((a, b2) => b2.createdAt - a.createdAt || (a.id < b2.id ? 1 : -1));
        return sorted.slice((page - 1) * limit, page * limit).map(updateOut);
      },
    };
  };
  const updateOut = (u: EmUpdate) => ({
    id: u.id, body: u.body, text_body: u.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(), created_at: iso(u.createdAt), updated_at: iso(u.createdAt),
    creator_id: u.creatorId, creator: () => userOut(u.creatorId), item_id: u.itemId, edited_at: iso(u.createdAt), likes: [], pinned_to_top: [], replies: [],
  });
  const pageOf = (ids: string[], limit: number) => {
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) throw gqlError('InvalidArgumentException', `limit must be between 1 and ${PAGE_MAX}`);
    const items = ids.slice(0, limit).map((id) => store.items.get(id)!).filter(Boolean);
    let cursor: string | null = null;
    if (ids.length > limit) {
      cursor = `MSw${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
      cursors.set(cursor, { ids, pos: limit, expires: now() + CURSOR_TTL_MS });
    }
    return { cursor, items: items.map(itemOut) };
  };
  const dayOf = (ms: number) => new Date(ms + zoneMs).toISOString().slice(0, 10);
  const lastUpdatedRule = (rule: { column_id: string; compare_value: unknown; compare_attribute?: string | null; operator?: string | null }) => {
    const cv = rule.compare_value;
    if (rule.compare_attribute !== 'UPDATED_AT' || !Array.isArray(cv) || cv[0] !== 'EXACT' || typeof cv[1] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(cv[1])) {
      throw gqlError('InvalidArgumentException', '__last_updated__ rules take compare_attribute "UPDATED_AT" and compare_value ["EXACT", "YYYY-MM-DD"]');
    }
    const day = cv[1];
    const op = rule.operator ?? 'any_of';
    const tests: Record<string, (d: string) => boolean> = {
      any_of: (d) => d === day, greater_than: (d) => d > day, greater_than_or_equals: (d) => d >= day, lower_than: (d) => d < day, lower_than_or_equal: (d) => d <= day,
    };
    const t = tests[op];
    if (!t) throw gqlError('InvalidArgumentException', `operator ${op} is not supported on __last_updated__`);
    return (i: EmItem) => t(dayOf(i.updatedAt));
  };
  const boardOut = (b: EmBoard): Record<string, unknown> => ({
    id: b.id, name: b.name, state: 'active', board_kind: 'public', permissions: 'everyone', url: `https://example.monday.com/boards/${b.id}`,
    items_count: [...store.items.values()].filter((i) => i.boardId === b.id && i.state === 'active').length,
    workspace: { id: '1', name: b.workspace }, columns: columnOut(b), owners: [], subscribers: [],
    items_page: (args: { limit: number; cursor?: string | null; query_params?: { rules?: { column_id: string; compare_value: unknown; compare_attribute?: string | null; operator?: string | null }[]; order_by?: { column_id: string; direction?: string | null }[]; operator?: string | null; groups?: unknown; ids?: string[] } | null }) => {
      if (args.cursor) throw gqlError('InvalidArgumentException', 'this emulator pages items_page through next_items_page only');
      const q = args.query_params ?? {};
      if (q.groups) throw gqlError('InvalidArgumentException', 'query_params.groups is not implemented by this emulator');
      if (q.operator && q.operator !== 'and') throw gqlError('InvalidArgumentException', 'query_params.operator or is not implemented by this emulator');
      let list = [...store.items.values()].filter((i) => i.boardId === b.id && i.state === 'active');
      if (q.ids) list = list.filter((i) => q.ids!.includes(i.id));
      for (const rule of q.rules ?? []) {
        if (rule.column_id === '__last_updated__') list = list.filter(lastUpdatedRule(rule));
        else {
          const c = b.columns.find((x) => x.id === rule.column_id);
          if (!c) throw gqlError('InvalidColumnIdException', `This column ID doesn't exist for the board`, { column_id: rule.column_id });
          if ((rule.operator ?? 'any_of') !== 'any_of' || !Array.isArray(rule.compare_value)) throw gqlError('InvalidArgumentException', 'only any_of rules with a list of values are implemented by this emulator');
          const want = (rule.compare_value as unknown[]).map(String);
          list = list.filter((i) => want.includes(c.id === 'name' ? i.name : (i.values[c.id]?.text ?? '')));
        }
      }
      const order = q.order_by ?? [];
      if (order.length > 1) throw gqlError('InvalidArgumentException', 'one order_by column is implemented by this emulator');
      const o = order[0];
      if (o) {
        const dir = o.direction === 'desc' ? -1 : 1;
        if (o.column_id === '__last_updated__') list.sort((a, c) => dir * (a.updatedAt - c.updatedAt) || (a.id < c.id ? -1 : 1));
        else if (b.columns.some((c) => c.id === o.column_id)) list.sort((a, c) => dir * (a.values[o.column_id]?.text ?? '').localeCompare(c.values[o.column_id]?.text ?? ''));
        else throw gqlError('InvalidColumnIdException', `This column ID doesn't exist for the board`, { column_id: o.column_id });
      } else list.sort((a, c) => a.createdAt - c.createdAt || (a.id < c.id ? -1 : 1));
      return pageOf(list.map((i) => i.id), args.limit);
    },
  });
  const boardById = (id: string): EmBoard => {
    const b = store.boards.get(String(id));
    if (!b) throw gqlError('InvalidBoardIdException', 'Board not found', { board_id: String(id) });
    return b;
  };
  const activeItem = (id: string): EmItem => {
    const i = store.items.get(String(id));
    if (!i || i.state !== 'active') throw gqlError('InvalidItemIdException', 'Item not found', { item_id: String(id) });
    return i;
  };

  let cost = 0;
  const root = {
    complexity: () => ({ before: budget - window.used, after: budget - window.used - cost, query: cost, reset_in_x_seconds: resetIn() }),
    me: () => ({ ...userOut(store.me.id), account: { id: '1', name: '联络演示', slug: 'liaison-demo', show_timeline_weekends: true, first_day_of_the_week: 'monday' } }),
    boards: (args: { ids?: string[]; limit?: number; page?: number; state?: string }) => {
      const all = [...store.boards.values()];
      const chosen = args.ids ? all.filter((b) => args.ids!.includes(b.id)) : all;
      const limit = args.limit ?? 25;
      const page = Math.max(1, args.page ?? 1);
      return chosen.slice((page - 1) * limit, page * limit).map(boardOut);
    },
    items: (args: { ids?: string[]; limit?: number }) => {
      if (!args.ids) throw gqlError('InvalidArgumentException', 'items without ids is not implemented by this emulator');
      return args.ids.map((id) => store.items.get(String(id))).filter((i): i is EmItem => !!i).slice(0, args.limit ?? 25).map(itemOut);
    },
    items_page_by_column_values: (args: { board_id: string; columns?: { column_id: string; column_values: (string | null)[] }[]; limit: number; cursor?: string | null }) => {
      if (args.cursor) return root.next_items_page({ cursor: args.cursor, limit: args.limit });
      const b = boardById(args.board_id);
      if (!args.columns?.length) throw gqlError('InvalidArgumentException', 'columns is required without a cursor');
      let list = [...store.items.values()].filter((i) => i.boardId === b.id && i.state === 'active');
      for (const col of args.columns) {
        const c = b.columns.find((x) => x.id === col.column_id);
        if (!c) throw gqlError('InvalidColumnIdException', `This column ID doesn't exist for the board`, { column_id: col.column_id });
        if (c.type !== 'name' && !(SUPPORTED_TYPES as readonly string[]).includes(c.type)) throw gqlError('InvalidArgumentException', `column type ${c.type} is not supported by items_page_by_column_values`, { column_id: c.id });
        const want = col.column_values.filter((v): v is string => typeof v === 'string');
        list = list.filter((i) => {
          const have = c.id === 'name' ? i.name : (i.values[c.id]?.text ?? '');
          return want.includes(have);
        });
      }
      list.sort((a, c) => a.createdAt - c.createdAt || (a.id < c.id ? -1 : 1));
      return pageOf(list.map((i) => i.id), args.limit);
    },
    next_items_page: (args: { cursor: string; limit: number }) => {
      const c = cursors.get(args.cursor);
      if (!c || c.expires < now()) throw gqlError('CursorExpiredError', 'The cursor is invalid or has expired (cursors are valid for 60 minutes)');
      if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > PAGE_MAX) throw gqlError('InvalidArgumentException', `limit must be between 1 and ${PAGE_MAX}`);
      const rest = c.ids.slice(c.pos).filter((id) => store.items.get(id)?.state === 'active');
      cursors.delete(args.cursor);
      return pageOf(rest, args.limit);
    },
    create_item: (args: { board_id: string; item_name: string; column_values?: unknown; create_labels_if_missing?: boolean | null; group_id?: string | null }) => {
      const b = boardById(args.board_id);
      return itemOut(store.createItem(b, args.item_name, args.column_values ?? '{}', args.create_labels_if_missing === true, store.me.id));
    },
    change_multiple_column_values: (args: { board_id: string; item_id?: string | null; column_values: unknown; create_labels_if_missing?: boolean | null }) => {
      const b = boardById(args.board_id);
      const item = activeItem(args.item_id ?? '');
      if (item.boardId !== b.id) throw gqlError('InvalidItemIdException', 'Item not found in board', { item_id: item.id, board_id: b.id });
      return itemOut(store.changeItem(b, item, args.column_values, args.create_labels_if_missing === true));
    },
    create_update: (args: { item_id?: string | null; body: string; parent_id?: string | null }) => {
      if (args.parent_id) throw gqlError('InvalidArgumentException', 'replies are not implemented by this emulator');
      const item = activeItem(args.item_id ?? '');
      if (!args.body.trim()) throw gqlError('InvalidArgumentException', 'body must not be empty');
      return updateOut(store.addUpdate(item, args.body, store.me.id));
    },
    create_column: (args: { board_id: string; title: string; column_type: string; id?: string | null }) => {
      const b = boardById(args.board_id);
      if (!(SUPPORTED_TYPES as readonly string[]).includes(args.column_type)) throw gqlError('InvalidArgumentException', `column type ${args.column_type} is not implemented by this emulator`);
      if (!args.title.trim()) throw gqlError('InvalidArgumentException', 'title must not be empty');
      const c = { id: args.id ?? `${args.column_type}_mk${store.nextId().slice(-5)}`, title: args.title, type: args.column_type, labels: [] };
      if (b.columns.some((x) => x.id === c.id)) throw gqlError('InvalidArgumentException', 'a column with this id exists');
      b.columns.push(c);
      return columnOut(b)({ ids: [c.id] })[0];
    },
  };
  const IMPLEMENTED = new Set(Object.keys(root));

  function estimate(op: OperationDefinitionNode, variables: Record<string, unknown>): number {
    let points = 0;
    const visit = (sel: readonly import('graphql').SelectionNode[] | undefined) => {
      for (const s of sel ?? []) {
        if (s.kind !== 'Field') continue;
        const limitArg = s.arguments?.find((a) => a.name.value === 'limit');
        let limit: number | undefined;
        if (limitArg?.value.kind === 'IntValue') limit = Number(limitArg.value.value);
        else if (limitArg?.value.kind === 'Variable') limit = Number(variables[limitArg.value.name.value]);
        points += 10 + (Number.isFinite(limit) && (s.name.value.includes('items') || s.name.value === 'updates') ? 10 * limit! : 0);
        visit(s.selectionSet?.selections);
      }
    };
    visit(op.selectionSet.selections);
    return points;
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', date: new Date(now()).toUTCString(), ...headers });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const entry: RequestLogEntry = { operation: 'unknown', apiVersion: req.headers['api-version'] as string | undefined, status: 200, at: now() };
    log.push(entry);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v2') return send(res, (entry.status = 404), { error_message: 'Not found', status_code: 404 });
    let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, (entry.status = 400), { errors: [{ message: 'The request body is not JSON', extensions: { code: 'JsonParseException', status_code: 400 } }] });
    }
    const query = typeof payload.query === 'string' ? payload.query : '';
    entry.operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    const fault = faults.take(entry.operation, entry);
    if (fault?.kind === 'status' && !fault.commit) {
      return send(res, (entry.status = fault.status!), { error_message: 'Internal server error', status_code: fault.status });
    }
    if (fault?.kind === 'drop' && !fault.commit) return void req.socket.destroy();
    const auth = req.headers.authorization;
    if (!auth || !validToken || auth !== validToken) {
      return send(res, (entry.status = 401), { errors: [{ message: 'Not Authenticated', extensions: { code: 'UNAUTHENTICATED', status_code: 401 } }] });
    }
    if (entry.apiVersion !== undefined && !VERSIONS.has(entry.apiVersion)) {
      return send(res, 200, { errors: [{ message: `API version ${entry.apiVersion} does not exist`, extensions: { code: 'InvalidVersionException', status_code: 400 } }] });
    }
    if (now() < limitedUntil) {
      const wait = Math.max(1, Math.ceil((limitedUntil - now()) / 1000));
      entry.retryAfterMs = wait * 1000;
      return send(res, (entry.status = 429), { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: wait, status_code: 429 } }] }, { 'retry-after': String(wait) });
    }
    roll();
    window.requests += 1;
    if (perMinute !== undefined && window.requests > perMinute) {
      const wait = resetIn();
      return send(res, (entry.status = 429), { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: wait, status_code: 429 } }] }, { 'retry-after': String(wait) });
    }
    let doc: DocumentNode;
    try {
      doc = parse(query);
    } catch (e) {
      return send(res, 200, { errors: [{ message: (e as Error).message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', status_code: 400 } }] });
    }
    const invalid = validate(schema, doc);
    if (invalid.length) return send(res, 200, { errors: invalid.map((e) => ({ message: e.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', status_code: 400 } })) });
    const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    if (!op) return send(res, 200, { errors: [{ message: 'no operation', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    for (const s of op.selectionSet.selections) {
      if (s.kind === 'Field' && !s.name.value.startsWith('__') && !IMPLEMENTED.has(s.name.value)) {
        return send(res, 200, { errors: [{ message: `${s.name.value} is valid against monday's schema but not implemented by this emulator`, extensions: { code: 'NOT_IMPLEMENTED_BY_EMULATOR' } }] });
      }
    }
    const variables = (payload.variables && typeof payload.variables === 'object' ? payload.variables : {}) as Record<string, unknown>;
    cost = estimate(op, variables);
    if (cost > QUERY_MAX) return send(res, 200, { errors: [{ message: `Query has complexity of ${cost}, which exceeds max complexity of ${QUERY_MAX}`, extensions: { code: 'maxComplexityExceeded', status_code: 400 } }] });
    if (window.used + cost > budget) {
      const wait = resetIn();
      if (opts.legacyErrors) {
        const msg = `Complexity budget exhausted, query cost ${cost} budget remaining ${budget - window.used} out of ${budget} reset in ${wait} seconds`;
        return send(res, 200, { error_code: 'ComplexityException', status_code: 429, error_message: msg, error_data: {}, errors: [msg], account_id: 1 });
      }
      return send(res, (entry.status = 429), { errors: [{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', complexity: cost, complexity_budget_left: budget - window.used, complexity_budget_limit: budget, retry_in_seconds: wait, status_code: 429 } }], account_id: 1 }, { 'retry-after': String(wait) });
    }
    const result = await execute({ schema, document: doc, rootValue: root, variableValues: variables });
    window.used += cost;
    if (fault?.kind === 'drop') return void req.socket.destroy();
    if (fault?.kind === 'status') return send(res, (entry.status = fault.status!), { error_message: 'Internal server error', status_code: fault.status });
    const errors = result.errors?.map((e: GraphQLError) => ({ message: e.message, path: e.path, extensions: { status_code: 200, ...e.extensions } }));
    send(res, 200, { data: result.data ?? null, ...(errors?.length ? { errors } : {}), account_id: 1, extensions: { request_id: `req-${log.length}` } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error_message: `emulator: ${(e as Error).message}`, status_code: 500 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const titleToId = (b: EmBoard, title: string) => {
    const c = b.columns.find((x) => x.title === title || x.id === title);
    if (!c) throw new Error(`emulator: no column ${title} on board ${b.name}`);
    return c.id;
  };
  const byTitle = (b: EmBoard, values: Record<string, Json>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k === 'name' ? 'name' : titleToId(b, k), v]));
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    store,
    log,
    control: {
      addBoard: (name, columns) => store.addBoard(name, columns),
      column: (boardId, title) => titleToId(store.boards.get(boardId)!, title),
      items: (boardId) => [...store.items.values()].filter((i) => i.boardId === boardId && i.state === 'active'),
      editAsColleague(itemId, values, at) {
        const item = store.items.get(itemId)!;
        const b = store.boards.get(item.boardId)!;
        store.changeItem(b, item, JSON.stringify(byTitle(b, values)), true);
        if (at !== undefined) item.updatedAt = at;
      },
      addItemAsColleague(boardId, name, values = {}) {
        const b = store.boards.get(boardId)!;
        return store.createItem(b, name, JSON.stringify(byTitle(b, values)), true, store.addUser('同事')).id;
      },
      addUpdateAsColleague(itemId, body, userName = '李同事') {
        return store.addUpdate(store.items.get(itemId)!, body, store.addUser(userName)).id;
      },
      deleteItem(itemId) {
        store.items.get(itemId)!.state = 'deleted';
      },
      revokeToken() {
        validToken = undefined;
      },
      failNext: (f) => faults.push({ kind: 'status', status: f.status, left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) }),
      dropNext: (f = {}) => faults.push({ kind: 'drop', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) }),
      rateLimitUntil: (at) => void (limitedUntil = Math.max(limitedUntil, at)),
      setFaultPolicy: (p) => faults.setPolicy(p),
      setComplexityLeft(points) {
        roll();
        window.used = budget - points;
      },
      limitRequestsPerMinute(n) {
        perMinute = n;
        window.requests = 0;
      },
      clearLog: () => void log.splice(0),
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
