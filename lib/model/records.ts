// Rows of the "liaison" Dexie database. Each is a zod schema because rows read back
// from IndexedDB (or from an imported JSON file) cross a boundary too.
// Times are epoch milliseconds (numbers index well in IndexedDB).
import { z } from 'zod';
import {
  DEAL_STATUSES,
  FOLLOW_UP_METHODS,
  FOLLOW_UP_RESULTS,
  INTENT_LEVELS,
  REMINDER_STATES,
  SYNC_STATES,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from './enums';
import { lazySchema } from './lazy-schema';

const id = lazySchema(() => z.string().min(1).max(100));
const text = (max: number) => z.string().max(max);
const time = lazySchema(() => z.number().int().nonnegative());

export const customerSchema = lazySchema(() => z.object({
  id,
  /** 客户编号: the CRM's code (local CRM: KH2026-0001 by default). */
  code: text(64),
  name: text(200),
  company: text(200).optional(),
  /** E.164, normalized in the background (lib/phone). */
  phones: z.array(text(32)).max(20),
  wechatId: text(100).optional(),
  email: text(320).optional(),
  /** 来源渠道 */
  source: text(100).optional(),
  /** 意向产品 */
  product: text(100).optional(),
  /** 意向金额 */
  amount: z.number().nonnegative().optional(),
  /** 意向等级 */
  intentLevel: z.enum(INTENT_LEVELS).optional(),
  /** 贷款状态 / sales stage, one of settings.stages */
  stage: text(50),
  /** CRM grade (seed 003: WHITE/GRAY/BLACK → 重点客户/潜在客户/暂不跟进) */
  grade: text(50).optional(),
  tags: z.array(text(50)).max(50),
  owner: text(100).optional(),
  /** 搜索关键词 (seed 000: which search a lead came from) */
  keyword: text(200).optional(),
  notes: text(10_000).optional(),
  lastContactAt: time.optional(),
  /** 下次跟进 */
  nextFollowUpAt: time.optional(),
  createdAt: time,
  updatedAt: time,
  /** Derived, indexed (multiEntry): lower-cased name words, pinyin initials and full pinyin, phone digits. */
  searchKeys: z.array(z.string()).default([]),
  /**
   * The code is a temporary one (seed 003 方案B, e.g. WX20261205001) until the code-master CRM
   * assigns the customer's real 客户编号; the UI marks it 临时.
   */
  codeTemporary: z.boolean().optional(),
}));
export type Customer = z.infer<typeof customerSchema>;

/** A chat identity (site + the site's stable key: WhatsApp chat address, Telegram peer id, phone…) → customer. */
export const identitySchema = lazySchema(() => z.object({
  site: text(50),
  key: text(300),
  customerId: id,
  createdAt: time,
}));
export type Identity = z.infer<typeof identitySchema>;

/** A customer field's value as last synced with a CRM (null: empty there). */
export const baseValueSchema = lazySchema(() => z.union([z.string().max(10_000), z.number(), z.array(z.string().max(300)).max(50), z.null()]));
export type BaseValue = z.infer<typeof baseValueSchema>;

/** A field changed both here and in the CRM since the last sync: which value was kept, which replaced. */
export const conflictSchema = lazySchema(() => z.object({
  field: text(40),
  /** Which side's value the connection's rule kept. */
  kept: z.enum(['remote', 'local']),
  keptValue: baseValueSchema,
  replacedValue: baseValueSchema,
  at: time,
}));
export type Conflict = z.infer<typeof conflictSchema>;

/** The customer's record in one CRM connection. */
export const linkSchema = lazySchema(() => z.object({
  customerId: id,
  connectionId: id,
  remoteId: text(200).optional(),
  remoteCode: text(64).optional(),
  syncState: z.enum(SYNC_STATES),
  lastSyncedAt: time.optional(),
  lastError: text(1000).optional(),
  /** The CRM's modification marker of the record as last synced (modified time, version, ETag). */
  marker: text(200).optional(),
  /**
   * The base of the three-way merge: the mapped fields' values as last synced (pushed or pulled),
   * keyed by Liaison field name. Updates send only fields that differ from it.
   */
  base: z.record(z.string().max(40), baseValueSchema).optional(),
  /** When the CRM was last read for this customer. */
  pulledAt: time.optional(),
  /** Fields the last merges settled by the connection's rule, newest first (the sidebar offers to restore). */
  conflicts: z.array(conflictSchema).max(20).optional(),
  /** The last write succeeded without these values (e.g. an ERP enum that failed to resolve). */
  warnings: z.array(text(200)).max(20).optional(),
}));
export type Link = z.infer<typeof linkSchema>;

/** 跟进记录 */
export const followUpSchema = lazySchema(() => z.object({
  id,
  customerId: id,
  /** 跟进方式 */
  method: z.enum(FOLLOW_UP_METHODS),
  /** 跟进内容 */
  content: text(10_000),
  summary: text(500).optional(),
  /** 跟进结果 */
  result: z.enum(FOLLOW_UP_RESULTS).optional(),
  /** 下次行动 */
  nextAction: text(500).optional(),
  /** 下次时间 */
  nextAt: time.optional(),
  /** 跟进时间 */
  at: time,
  /** 跟进人 */
  by: text(100).optional(),
  /** 'remote': logged by someone else in a CRM and read back (source names the connection). */
  origin: z.enum(['manual', 'auto', 'remote']),
  messageIds: z.array(text(300)).max(1000),
  /** The connection it was read from (origin 'remote'). */
  source: id.optional(),
  /** Where it lives in each CRM: "<connectionId> <remoteId>". Indexed, so a pull never imports a row twice. */
  remoteRefs: z.array(text(300)).max(20).optional(),
  /** The customer's ticket this follow-up is about: also posted as a comment where the ticket lives (ticket.comment). */
  ticketId: id.optional(),
}));
export type FollowUp = z.infer<typeof followUpSchema>;

/** 成交记录 */
export const dealSchema = lazySchema(() => z.object({
  id,
  customerId: id,
  product: text(100),
  /** 银行 */
  institution: text(100).optional(),
  amount: z.number().nonnegative().optional(),
  /** 利率, annual percent */
  rate: z.number().nonnegative().optional(),
  /** 期限, months */
  termMonths: z.number().int().nonnegative().optional(),
  /** 佣金 */
  commission: z.number().nonnegative().optional(),
  status: z.enum(DEAL_STATUSES),
  closedAt: time.optional(),
  createdAt: time,
  /** The connection it was read from, when a colleague created it in the CRM. */
  source: id.optional(),
  by: text(100).optional(),
  /** "<connectionId> <remoteId>" per CRM (see followUpSchema.remoteRefs). */
  remoteRefs: z.array(text(300)).max(20).optional(),
}));
export type Deal = z.infer<typeof dealSchema>;

/** A due follow-up. At most one active (state ≠ done) per customer; it mirrors customer.nextFollowUpAt. */
export const reminderSchema = lazySchema(() => z.object({
  id,
  customerId: id,
  dueAt: time,
  /** When it should (next) notify: dueAt, or the end of a snooze. Indexed; the single alarm targets the smallest. */
  fireAt: time,
  state: z.enum(REMINDER_STATES),
  notifiedAt: time.optional(),
  note: text(500).optional(),
  /** The connection whose CRM set this 下次跟进 (read back by a pull); absent: set here. */
  source: id.optional(),
}));
export type Reminder = z.infer<typeof reminderSchema>;

/** One chat message a ticket came from, kept on the ticket (the user chose to file it): what createTicket quotes. */
export const ticketMessageSchema = lazySchema(() => z.object({
  id: text(300).optional(),
  at: time,
  from: z.enum(['customer', 'me']),
  text: text(2000),
}));
export type TicketMessageRow = z.infer<typeof ticketMessageSchema>;

/**
 * Where a ticket lives in one connection. The local CRM's place has its own number
 * (SH20261206-001); a remote place gets remoteId/remoteCode when its ticket.create succeeds and
 * status/vendorStatus each time the ticket is read back (readAt).
 */
export const ticketPlaceSchema = lazySchema(() => z.object({
  connectionId: id,
  remoteId: text(200).optional(),
  /** The number users see there (Case 00001026, PROJ-12, #35, SH20261206-001). */
  remoteCode: text(64).optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  /** The vendor's own word for the status (Waiting on contact, 处理中). */
  vendorStatus: text(100).optional(),
  url: text(2000).optional(),
  /** When the status was last read from there. */
  readAt: time.optional(),
  /** The CRM no longer has it (getTicket answered null). */
  gone: z.boolean().optional(),
}));
export type TicketPlace = z.infer<typeof ticketPlaceSchema>;

/** 工单 / 售后单 (issue 17): a complaint or request beside the chat, filed where the team handles tickets. */
export const ticketSchema = lazySchema(() => z.object({
  id,
  customerId: id,
  /** 标题 */
  subject: z.string().min(1).max(300),
  /** 描述: what the user wrote, quoting the messages. */
  description: text(10_000),
  category: z.enum(TICKET_CATEGORIES),
  /** 紧急程度 */
  priority: z.enum(TICKET_PRIORITIES),
  /** Ours: set here for a local ticket; for a remote one the least advanced status among its places (lib/sync/ticket-place.ts leastAdvanced). */
  status: z.enum(TICKET_STATUSES),
  createdAt: time,
  updatedAt: time,
  by: text(100).optional(),
  messageIds: z.array(text(300)).max(1000),
  messages: z.array(ticketMessageSchema).max(50),
  /** One per connection the ticket was routed to (pending ones without remoteId). */
  places: z.array(ticketPlaceSchema).max(20),
  /** "<connectionId> <remoteId>" per place with a remote id (indexed, multiEntry). */
  remoteRefs: z.array(text(300)).max(20).optional(),
}));
export type Ticket = z.infer<typeof ticketSchema>;

export const OUTBOX_OPS = [
  'customer.create',
  'customer.update',
  'followUp.create',
  'deal.create',
  'task.create',
  'ticket.create',
  /** 客户指派 (lib/assign): the customer's owner set in a CRM that assigns (spec.capabilities.people.assign). */
  'customer.assign',
  /** 通知销售人员 (lib/assign): a direct message to the assignee (people.notify: DingTalk 工作通知, WeCom 应用消息). */
  'person.notify',
  /** A follow-up about a ticket, as a comment on it where it lives (capabilities.tickets.comments): entity the follow-up, `ticketId` the ticket. */
  'ticket.comment',
] as const;
export const OUTBOX_TABLES = ['customers', 'followUps', 'deals', 'reminders', 'tickets'] as const;
export const outboxEntrySchema = lazySchema(() => z.object({
  id,
  op: z.enum(OUTBOX_OPS),
  entity: z.object({ table: z.enum(OUTBOX_TABLES), id }),
  /**
   * ticket.create: wait for the customer's remote id on this connection before sending (the CRM
   * hangs tickets on a customer, spec.capabilities.tickets.needsCustomer, or the customer is
   * being created there and its id should ride along). Every other op but customer.create waits always.
   */
  waitsForCustomer: z.boolean().optional(),
  /**
   * customer.assign / person.notify: who, as they were when assigned (the roster may change
   * before the entry is sent): the team member, their name and their id in this connection.
   */
  assignee: z.object({ memberId: text(64), name: text(100), userId: text(64) }).optional(),
  /** ticket.comment: the ticket the follow-up (entity) is posted on; sent once its place here has a remote id. */
  ticketId: id.optional(),
  connectionId: id,
  idempotencyKey: text(100),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: time,
  state: z.enum(['pending', 'inflight', 'done', 'failed']),
  lastError: text(1000).optional(),
  createdAt: time,
}));
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

/** CRM connection settings (non-secret). Secrets live in the `secrets` table, read only by the background. */
export const connectionSchema = lazySchema(() => z.object({
  id,
  /** Adapter id, e.g. 'local', 'zhibang', 'feishu-bitable'. */
  kind: text(50),
  name: text(100),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  createdAt: time,
}));
export type Connection = z.infer<typeof connectionSchema>;

/** The embedded local CRM: always present, the system of record when nothing else is connected. */
export const LOCAL_CONNECTION_ID = 'local';

/** A record's place in one CRM, as kept in remoteRefs. */
export function remoteRefKey(connectionId: string, remoteId: string): string {
  return `${connectionId} ${remoteId}`;
}

/** A ticket as the sidebar's 创建售后单 form (or a rule) asks for it. */
export const ticketInputSchema = lazySchema(() => z.object({
  subject: z.string().trim().min(1).max(300),
  description: z.string().trim().max(10_000),
  category: z.enum(TICKET_CATEGORIES),
  priority: z.enum(TICKET_PRIORITIES),
  /** The chat messages it came from (quoted in the description; sent to CRMs that keep them). */
  messages: z.array(ticketMessageSchema).max(50).default([]),
}));
export type TicketFormInput = z.input<typeof ticketInputSchema>;

/** One place of a ticket as the sidebar shows it. */
export interface TicketPlaceView {
  connectionId: string;
  /** The connection's name (本地 CRM, 智邦ERP, Zendesk…). */
  connectionName: string;
  /** The number users see there; absent while its create waits. */
  number?: string;
  status?: (typeof TICKET_STATUSES)[number];
  vendorStatus?: string;
  url?: string;
  readAt?: number;
  gone?: boolean;
  /** Its create in the outbox: waiting, sent, or failed (with the reason). */
  sync: 'pending' | 'synced' | 'failed';
  error?: string;
}

export interface TicketView {
  id: string;
  subject: string;
  category: Ticket['category'];
  priority: Ticket['priority'];
  status: Ticket['status'];
  createdAt: number;
  updatedAt: number;
  messageIds: string[];
  /** The ticket lives in the local CRM: its status is set here. */
  local: boolean;
  places: TicketPlaceView[];
}
