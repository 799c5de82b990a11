// The one message protocol between Liaison's contexts. Every message type declares its
// request and response schemas and which contexts may send it; the background's router
// (router.ts) checks the sender and parses the request before any handler runs.
//
// A content script only reports what its page shows (conversation.observed, health.report):
// every action on customers comes from an extension page (the sidebar framed in a chat tab, the
// popup, options), so a chat page's scripts, even with the content script's world in hand,
// cannot search, link, read or change a customer.
// Contexts: 'content' = a content script in a chat tab; 'page' = an extension page
// (popup, options, the framed sidebar). A content script reports for its own site only, size-
// capped by the schemas; it never receives customer data, settings or credentials.
import { z } from 'zod';
import {
  conversationSchema,
  customerSchema,
  customerSummarySchema,
  customerViewSchema,
  dashboardSchema,
  dealSchema,
  followUpSchema,
  readerHealthSchema,
  settingsSchema,
  FOLLOW_UP_METHODS,
  FOLLOW_UP_RESULTS,
  INTENT_LEVELS,
  type CustomerView,
  type ReaderHealth,
} from '../model';
import { connectionDraftSchema, connectionViewSchema } from '../connections/views';
import { bulkMessages } from './messages/bulk';
import { ticketMessages } from './messages/tickets';
import { leadMessages } from '../leads/messages';
import { customSiteMessages } from '../custom-sites/messages';
import { strategyMessages } from '../strategy/messages';
import { robotMessages } from '../notify/messages';
import { assignMessages } from '../assign/messages';
import { syncMessages } from '../sync/messages';
import { teamMessages } from '../sync/team-messages';
import { DEAL_STATUSES } from '../model/enums';
import { llmConfigSchema, understandingConfigSchema, understandingViewSchema } from '../suggest/config';
import { def } from './define';
import { lazySchema } from '../model/lazy-schema';

export type SenderContext = 'content' | 'page';

const time = lazySchema(() => z.number().int().nonnegative());
/** A conversation named by a content script: which chat the action is about. */
export const convRefSchema = lazySchema(() => z.object({ site: z.string().min(1).max(50), threadKey: z.string().min(1).max(300) }));
export type ConvRef = z.infer<typeof convRefSchema>;

/** Fields a user may set on a customer (create or edit). */
export const customerInputSchema = lazySchema(() => z
  .object({
    name: z.string().trim().min(1).max(200),
    company: z.string().trim().max(200),
    /** Phones as typed; normalized to E.164 by the background (invalid ones are rejected with a clear error). */
    phones: z.array(z.string().max(64)).max(20),
    wechatId: z.string().trim().max(100),
    email: z.string().trim().max(320),
    source: z.string().max(100),
    product: z.string().max(100),
    amount: z.number().nonnegative().nullable(),
    intentLevel: z.enum(INTENT_LEVELS).nullable(),
    stage: z.string().min(1).max(50),
    grade: z.string().max(50),
    tags: z.array(z.string().trim().min(1).max(50)).max(50),
    owner: z.string().max(100),
    keyword: z.string().max(200),
    notes: z.string().max(10_000),
    nextFollowUpAt: time.nullable(),
  })
  .partial());
export type CustomerInput = z.infer<typeof customerInputSchema>;

export const followUpInputSchema = lazySchema(() => z.object({
  method: z.enum(FOLLOW_UP_METHODS),
  content: z.string().trim().min(1).max(10_000),
  result: z.enum(FOLLOW_UP_RESULTS).optional(),
  nextAction: z.string().max(500).optional(),
  /** 下次跟进: sets the customer's next follow-up and its reminder. */
  nextAt: time.optional(),
  at: time.optional(),
  messageIds: z.array(z.string().max(300)).max(1000).optional(),
  /**
   * Without nextAt, a follow-up normally completes the reminder due today (the follow-up it asked
   * for happened). A quick note from the popup is just a note: it sends false.
   */
  completesReminder: z.boolean().optional(),
  /** 关联工单: one of the customer's tickets; the follow-up is also posted on it as a comment where the ticket lives. */
  ticketId: z.string().min(1).max(100).optional(),
}));
export type FollowUpInput = z.infer<typeof followUpInputSchema>;

/** A deal (成交) as the sidebar's "创建成交?" or a rule creates it. */
export const dealInputSchema = lazySchema(() => z.object({
  product: z.string().trim().min(1).max(100),
  amount: z.number().nonnegative().optional(),
  institution: z.string().trim().max(100).optional(),
  rate: z.number().nonnegative().optional(),
  termMonths: z.number().int().nonnegative().optional(),
  status: z.enum(DEAL_STATUSES).optional(),
}));
export type DealInput = z.infer<typeof dealInputSchema>;

const ok = lazySchema(() => z.object({ ok: z.literal(true) }));

export const protocol = {
  /** A chat page reports what it shows. It gets nothing back: the sidebar page asks by its tab (sidebar.state). */
  'conversation.observed': def(['content'], () => z.object({ conversation: conversationSchema, health: readerHealthSchema.optional() }), () => ok),
  /**
   * The sidebar page framed in a chat tab: what its own tab shows (sender.tab), as the tab's
   * content script last reported it, and the customer view. `reobserve` understands the
   * conversation's messages again (after the chat was linked to a customer).
   */
  'sidebar.state': def(
    ['page'],
    () => z.object({ reobserve: z.boolean().optional() }),
    () => z.object({ tabId: z.number().int().nullable(), seq: z.number().int(), conv: convRefSchema.nullable(), view: customerViewSchema.nullable(), health: readerHealthSchema.nullable() }),
  ),
  /** The sidebar page was collapsed or expanded: the background tells its tab's content script to dock the frame. */
  'sidebar.layout': def(['page'], () => z.object({ collapsed: z.boolean() }), () => ok),
  /** Create a customer; from a chat it is linked to that conversation at once. */
  'customer.create': def(['page'], () => z.object({ conv: convRefSchema.optional(), fields: customerInputSchema }), () => z.object({ customer: customerSchema })),
  'customer.link': def(['page'], () => z.object({ conv: convRefSchema, customerId: z.string().min(1) }), () => ok),
  'customer.unlink': def(['page'], () => z.object({ conv: convRefSchema }), () => ok),
  'customer.update': def(['page'], () => z.object({ conv: convRefSchema.optional(), customerId: z.string().min(1), patch: customerInputSchema }), () => z.object({ customer: customerSchema })),
  /** Name, phone, pinyin initials, code. Content scripts get summaries only. */
  'customer.search': def(['page'], () => z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100).default(20) }), () => z.object({ results: z.array(customerSummarySchema) })),
  'followUp.log': def(['page'], () => z.object({ conv: convRefSchema.optional(), customerId: z.string().min(1), followUp: followUpInputSchema }), () => z.object({ followUp: followUpSchema })),
  'reminder.done': def(['page'], () => z.object({ conv: convRefSchema.optional(), customerId: z.string().min(1) }), () => ok),
  'reminder.snooze': def(['page'], () => z.object({ conv: convRefSchema.optional(), customerId: z.string().min(1), minutes: z.number().int().min(1).max(7 * 24 * 60).optional() }), () => ok),
  /** Popup: today's due and overdue follow-ups, counts, sync summary. */
  'dashboard.get': def(['page'], () => z.object({}), () => dashboardSchema),
  /** Focus the tab with the customer's chat, or open it. */
  'chat.open': def(['page'], () => z.object({ customerId: z.string().min(1) }), () => z.object({ opened: z.boolean() })),
  'settings.get': def(['page'], () => z.object({}), () => settingsSchema),
  'settings.save': def(['page'], () => z.object({ settings: settingsSchema }), () => settingsSchema),
  /** All local data as a JSON document (no secrets). */
  'data.export': def(['page'], () => z.object({}), () => z.object({ json: z.string(), counts: z.record(z.string(), z.number()) })),
  /** Import a document made by data.export. mode 'merge' keeps existing rows; 'replace' clears first. */
  'data.import': def(['page'], () => z.object({ json: z.string().max(200_000_000), mode: z.enum(['merge', 'replace']) }), () => z.object({ counts: z.record(z.string(), z.number()) })),
  /** How far the running import is (rows written of rows to write), or null when none runs. */
  'data.importProgress': def(['page'], () => z.object({}), () => z.object({ progress: z.object({ done: z.number(), total: z.number() }).nullable() })),
  /** CRM connections (settings and which secrets are stored; never secret values). */
  'connection.list': def(['page'], () => z.object({}), () => z.object({ connections: z.array(connectionViewSchema) })),
  /** Create or edit a connection. The page requests the host permission first, from the user's click. */
  'connection.save': def(['page'], () => z.object({ draft: connectionDraftSchema }), () => z.object({ connection: connectionViewSchema })),
  /** "Test connection" on a draft (blank secrets use the stored ones): who the credentials belong to, or why they fail. */
  'connection.test': def(['page'], () => z.object({ draft: connectionDraftSchema }), () => z.object({ account: z.string().optional() })),
  /** The CRM's one-click preparation (spec.setup): create or check its tables; settings are saved. */
  /** The values a saved connection's field takes in its CRM (spec field remoteChoices: 智邦 客户来源). */
  'connection.choices': def(['page'], () => z.object({ id: z.string().min(1), field: z.string().min(1).max(100) }), () => z.object({ choices: z.array(z.object({ value: z.string(), label: z.string() })) })),
  'connection.prepare': def(['page'], () => z.object({ id: z.string().min(1) }), () => z.object({ created: z.array(z.string()), problems: z.array(z.string()), usable: z.boolean() })),
  /**
   * "Connect with Salesforce" (oauth2-pkce specs) on a saved connection: the background runs the
   * PKCE flow in chrome.identity, stores the tokens in the connection's secrets and verifies them.
   * Only the account comes back, never a token. The page requests the host permissions first.
   */
  'connection.oauth': def(['page'], () => z.object({ id: z.string().min(1) }), () => z.object({ account: z.string().optional() })),
  'connection.setEnabled': def(['page'], () => z.object({ id: z.string().min(1), enabled: z.boolean() }), () => ok),
  'connection.remove': def(['page'], () => z.object({ id: z.string().min(1) }), () => ok),
  /** Retry a customer's failed or waiting sync now (the sidebar's retry), or everything on a connection. */
  'sync.retry': def(['page'], () => z.object({ conv: convRefSchema.optional(), customerId: z.string().min(1).optional(), connectionId: z.string().min(1).optional() }), () => z.object({ count: z.number() })),
  /** Per connection: queued, failed (with the last reason), last success, breaker state. */
  'sync.health': def(
    ['page'],
    () => z.object({}),
    () => z.object({
      connections: z.array(
        z.object({
          connectionId: z.string(),
          queued: z.number(),
          failed: z.number(),
          lastSuccessAt: z.number().optional(),
          lastError: z.string().optional(),
          breaker: z.enum(['closed', 'open', 'half-open']).optional(),
          /** When the CRM was last read back (the periodic pull), and why the last pull failed. */
          lastPullAt: z.number().optional(),
          lastPullError: z.string().optional(),
        }),
      ),
    }),
  ),
  ...bulkMessages,
  ...leadMessages,
  ...customSiteMessages,
  ...strategyMessages,
  ...robotMessages,
  ...assignMessages,
  ...syncMessages,
  ...teamMessages,
  ...ticketMessages,
  /** A chat page that cannot be read says so (nothing else is sent from a half-read page). */
  'health.report': def(['content'], () => z.object({ health: readerHealthSchema }), () => ok),
  /** The last health report of each site reader (options page). */
  'health.get': def(['page'], () => z.object({}), () => z.object({ sites: z.array(readerHealthSchema.extend({ at: z.number() })) })),
  /**
   * 复制页面结构 from options → 网站状态: the background asks an open tab of the site (SkeletonAsk)
   * for its chat area's skeleton (lib/readers/diagnostics.ts: shapes only, never page text) and
   * hands it over only if it is one (isSkeleton). null: no tab of that site answered.
   */
  'diagnostics.skeleton': def(['page'], () => z.object({ site: z.string().min(1).max(50) }), () => z.object({ skeleton: z.string().max(200_000).nullable() })),
  /** Accept a deal suggestion: the deal and its outbox rows for CRMs that keep deals, in one transaction. */
  'deal.create': def(['page'], () => z.object({ conv: convRefSchema.optional(), customerId: z.string().min(1), deal: dealInputSchema }), () => z.object({ deal: dealSchema })),
  /** Per-customer "never log automatically" (or undo it). */
  'autolog.never': def(['page'], () => z.object({ conv: convRefSchema.optional(), customerId: z.string().min(1), never: z.boolean() }), () => ok),
  /** 理解与自动记录 settings; the LLM key is never returned, only whether one is stored. */
  'understanding.get': def(['page'], () => z.object({}), () => understandingViewSchema),
  /** apiKey: non-blank replaces the stored key, omitted/blank keeps it, null removes it. */
  'understanding.save': def(['page'], () => z.object({ config: understandingConfigSchema, apiKey: z.string().max(500).nullable().optional() }), () => understandingViewSchema),
  /** "Test" the LLM endpoint with a fixed prompt that carries no customer data (blank key = the stored one). */
  'llm.test': def(['page'], () => z.object({ llm: llmConfigSchema, apiKey: z.string().max(500).optional() }), () => z.object({ reply: z.string(), ms: z.number() })),
} as const;

export type Protocol = typeof protocol;
export type MessageType = keyof Protocol;
export type RequestOf<T extends MessageType> = z.input<Protocol[T]['request']>;
export type ParsedRequestOf<T extends MessageType> = z.output<Protocol[T]['request']>;
export type ResponseOf<T extends MessageType> = z.output<Protocol[T]['response']>;

/** The wire envelope. */
export type Envelope<T extends MessageType = MessageType> = { liaison: 1; type: T; payload: RequestOf<T> };
export type Reply<T extends MessageType = MessageType> =
  | { ok: true; data: ResponseOf<T> }
  | { ok: false; error: { code: ErrorCode; message: string } };

export type ErrorCode = 'bad-request' | 'forbidden' | 'not-found' | 'invalid' | 'conflict' | 'internal';

/** diagnostics.skeleton's ask of one chat tab of `site` (entrypoints/background/diagnostics.ts → entrypoints/page-skeleton.ts). */
export type SkeletonAsk = { liaison: 1; ask: 'diagnostics.skeleton'; site: string };

/** Pushed by the background to every tab and extension page after data changed. */
export type ChangeEvent = { liaison: 1; event: 'changed'; tables: string[]; at: number };
/**
 * To extension pages only: a chat tab's content script reported. With `state`, that tab's
 * sidebar shows it at once (a switch costs no second round trip); without, it re-reads.
 */
export type TabEvent = {
  liaison: 1;
  event: 'tab';
  tabId: number;
  seq: number;
  state?: { conv: { site: string; threadKey: string } | null; view: CustomerView | null; health: ReaderHealth | null };
};
/** To a chat tab's content script only: layout of the frame, or "report what you read again". */
export type ContentEvent = { liaison: 1; event: 'sidebar.layout'; collapsed: boolean } | { liaison: 1; event: 'reader.reobserve' };
export const CHANGE_EVENT = 'changed' as const;
