// The operations half of a CRM adapter (background only). The declared half is spec.ts.
//
// Contract for every adapter:
// - inputs are Liaison records (lib/model); the adapter maps them with the connection's mapping
//   (spec.defaultMapping overridden by connection.settings.mapping) and validates vendor replies with zod;
// - every failure is a CrmError (errors.ts) so the outbox acts without knowing the vendor;
// - writes take an idempotencyKey (the outbox entry's), used natively (spec.idempotency 'key'),
//   as the upsert value, or remembered to reconcile by lookup after an unknown outcome;
// - an operation the spec declares 'none' / false throws CrmError('unsupported');
// - no adapter touches the Dexie tables of another connection, and none is called inside a
//   Dexie transaction (fetch would let the transaction commit early).
import type { Connection, Customer, Deal, FollowUp } from '../model';
import type { TicketCategory, TicketPriority, TicketStatus } from '../model/enums';
import type { MAPPABLE_CUSTOMER_FIELDS } from './spec';
import type { CrmError } from './errors';

export { CrmError, classifyHttpError, classifyNetworkError, parseRetryAfter, CRM_ERROR_KINDS } from './errors';
export type { CrmErrorKind, ClassifyOptions, HeaderBag } from './errors';

/** Where a Liaison record lives in the CRM. */
export interface RemoteRef {
  remoteId: string;
  /** The CRM's human-facing code (智邦 khid KH2025001, Jira issue key), when it has one. */
  remoteCode?: string;
  /** After a write or read: the record's modification marker, when the reply carries it (see RemoteCustomerRecord.marker). */
  marker?: string;
  /**
   * The write succeeded without some values (an ERP enum whose lookup failed, an option the CRM
   * lacks): what was left out, in the user's terms (field names). Shown in the sync state; the
   * record is not held back for them.
   */
  warnings?: string[];
}

/** Any of these; results match at least one (vendors OR them: HubSpot filterGroups, Bitable conjunction "or"). */
export interface CustomerQuery {
  /** E.164 */
  phone?: string;
  email?: string;
  code?: string;
  name?: string;
}

export interface RemoteCustomer extends RemoteRef {
  name: string;
  phones: string[];
  email?: string;
  company?: string;
  /** Which query keys matched: 'phone' | 'email' | 'code' | 'name'. */
  matchedBy: string[];
  /**
   * What else the search reply carried, in Liaison terms (stage, grade, owner…), for the candidate
   * line beside the chat ("KH2025001 张伟 · 重点客户"). Optional: only what the reply already has.
   */
  fields?: RemoteFieldValues;
}

// ---- The read side (issue 15): the CRM read back, so a team shares one system of record ----

export type MappableCustomerField = (typeof MAPPABLE_CUSTOMER_FIELDS)[number];
/**
 * A customer's fields as the CRM holds them, in Liaison terms (the connection's mapping applied
 * in reverse, values converted: options to Liaison's enums, dates to epoch ms, phones to E.164
 * where the number allows). A key that is absent: this CRM does not map the field. `null`: the
 * CRM maps it and it is empty there. A value that cannot be interpreted (an option Liaison does
 * not know, a malformed date) is left out and named in `unreadable`, never guessed.
 */
export type RemoteFieldValues = { [K in MappableCustomerField]?: Customer[K] | null };

export interface RemoteCustomerRecord extends RemoteRef {
  /**
   * The modification marker: the CRM's modified time (epoch ms as a decimal string), version
   * number or ETag. Compared for equality only; sent back as WriteOptions.ifMarker by adapters
   * that can guard an update with it.
   */
  marker?: string;
  /** When the CRM last changed the record (epoch ms), when it says. */
  modifiedAt?: number;
  fields: RemoteFieldValues;
  /** Field names (Liaison's) whose CRM value could not be read; left out of `fields`. */
  unreadable?: string[];
}

/** A follow-up as the CRM holds it (智邦 reply, Bitable/NocoDB row, HubSpot note, Salesforce Task). */
export interface RemoteFollowUp {
  remoteId: string;
  /** When it happened (the CRM's own time field, else its created time), epoch ms. */
  at: number;
  content: string;
  method?: FollowUp['method'];
  result?: FollowUp['result'];
  nextAction?: string;
  nextAt?: number;
  /** The author as the CRM names them (the user's name, else their id). */
  by?: string;
  /**
   * The Liaison idempotency key the row carries when Liaison wrote it (a key column, an external
   * id): a pull never imports Liaison's own rows as a colleague's.
   */
  liaisonKey?: string;
}

export interface RemoteDeal {
  remoteId: string;
  product: string;
  amount?: number;
  status: Deal['status'];
  closedAt?: number;
  createdAt?: number;
  by?: string;
  liaisonKey?: string;
}

export interface ChangesOptions extends OpOptions {
  /** Records modified at or after this time (epoch ms, the CRM's clock). */
  since: number;
  /** The `next` of the previous page of the same read. */
  page?: string;
  /** Records per page (the adapter caps it at the API's maximum). */
  limit?: number;
}

export interface ChangesPage {
  records: RemoteCustomerRecord[];
  /** More records match: call again with page = next. */
  next?: string;
  /**
   * The CRM's own clock when this page was read (epoch ms; e.g. its reply's Date header), where
   * the adapter knows it. A complete pass from the first page on has offered every record modified
   * before the first page's asOf, so the puller may move its watermark up to it (less its
   * margins) even when nothing or only older records came back.
   */
  asOf?: number;
}

export interface ListOptions extends OpOptions {
  /** Only rows at or after this time (epoch ms), where the API can filter; else all, newest first. */
  since?: number;
  /** At most this many, newest first. */
  limit?: number;
}

/** The customer fields an update may carry (never ids, timestamps or derived keys). */
export type CustomerPatch = Partial<Omit<Customer, 'id' | 'createdAt' | 'updatedAt' | 'searchKeys'>>;

/** A reminder as a CRM task (Salesforce Task, Feishu Task, DingTalk todo, Jira issue…). */
export interface TaskInput {
  title: string;
  dueAt: number;
  note?: string;
}

// ---- Tickets (issue 17): 售后服务单, Case, ticket, issue, card ----

/** One chat message a ticket came from (quoted in the description, kept as evidence). */
export interface TicketMessage {
  at: number;
  /** 'customer' or 'me' (the salesperson). */
  from: 'customer' | 'me';
  text: string;
}

/**
 * What createTicket sends. The adapter maps it onto its vendor's object; `customer` is the
 * Liaison customer (for systems that keep the requester on the ticket: Zendesk requester by
 * email/phone, a Jira description line), `remoteCustomerId` its id in this CRM where the CRM has
 * customers and the customer is linked (智邦 ord, Salesforce Contact/Lead, HubSpot contact).
 */
export interface TicketInput {
  subject: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  customer: Pick<Customer, 'id' | 'name' | 'phones' | 'email' | 'company' | 'code'>;
  remoteCustomerId?: string;
  messages: TicketMessage[];
  dueAt?: number;
  /** Whom to assign, in the CRM's own terms (智邦 user id, Jira accountId), where the connection names one. */
  assignee?: string;
}

/** A ticket as the CRM holds it (read back for its live status). */
export interface RemoteTicket extends RemoteRef {
  status: TicketStatus;
  /** The vendor's own status word ("Waiting on contact", "In Progress", 处理中). */
  vendorStatus: string;
  /** The human-facing number: remoteCode when the vendor has one (Case 00001026, PROJ-12, #35). */
  subject?: string;
  assignee?: string;
  modifiedAt?: number;
  /** A link a user can open in the vendor's UI, when it can be built from what the API returns. */
  url?: string;
}

export interface OpOptions {
  signal?: AbortSignal;
}
export interface WriteOptions extends OpOptions {
  idempotencyKey: string;
  /**
   * The user's template mapping (lib/mapping, connection.settings.templates) rendered for this
   * record by the outbox worker: CRM field name → value. The adapter sets these on top of the
   * values it maps itself, converting to the field's type where it knows it (a Bitable number
   * field gets a number, a date field epoch ms…). Fields the adapter needs for itself
   * (idempotency keys, ids, links/associations) are never overwritten; empty values never
   * arrive here (they would blank what the CRM has).
   *
   * Every remote adapter refuses, as CrmError('validation') naming the field and before writing:
   * a reserved field (vendorCode RESERVED_FIELD), a value its type cannot take (TEMPLATE_VALUE,
   * TEMPLATE_OPTION) and a field no value can be written to (FIELD_NOT_WRITABLE). A field the
   * CRM does not have is sent, for the CRM to refuse by name — except NocoDB, which would drop it
   * silently, so its adapter refuses it (UNKNOWN_COLUMN). Conversions: lib/crm/template-values.ts.
   */
  fields?: Record<string, string | number>;
  /**
   * updateCustomer only: the marker of the record the patch was computed against. An adapter
   * whose spec declares read.conditionalUpdate sends it (If-Match, If-Unmodified-Since) and throws
   * CrmError('conflict') when the record changed since; the others ignore it.
   */
  ifMarker?: string;
}

export type FieldSection = 'customer' | 'followUp' | 'deal';

/** One value of a settings field as the CRM lists it. */
export interface FieldChoice {
  value: string;
  label: string;
}

/** One field of the CRM's own, as its API describes it (for the mapping editor and validation). */
export interface CrmField {
  name: string;
  label?: string;
  /** The vendor's type name (text, number, date, picklist…), shown in the editor. */
  type?: string;
  /** Picklist / single-select values, when the API lists them. */
  options?: string[];
}

/** The fields a template may write, per section; a missing section means "not known". */
/** `ticket`: a ticket system's ticket/issue fields (Jira createmeta, Zendesk ticket fields). */
export type CrmFieldList = Partial<Record<FieldSection | 'ticket', CrmField[]>>;

export type BatchItemResult = { ok: true; ref: RemoteRef } | { ok: false; error: CrmError };

export interface PrepareResult {
  /** Merged into connection.settings. */
  settings: Record<string, unknown>;
  /** Tables created now (their names) or fields added ("表.字段"), and fields that are missing or mistyped ("表.字段"). */
  created: string[];
  problems: string[];
  /** Syncing works with these settings (problems, if any, are fields it will skip). */
  usable: boolean;
}

export interface VerifyResult {
  /** Who the credentials belong to, shown after "test connection" (account, tenant, host). */
  account?: string;
}

export interface CrmAdapter {
  /** Cheap authenticated call ("test connection"); throws CrmError('auth') on bad credentials. */
  verify(opts?: OpOptions): Promise<VerifyResult>;
  findCustomers(query: CustomerQuery, opts?: OpOptions): Promise<RemoteCustomer[]>;
  createCustomer(customer: Customer, opts: WriteOptions): Promise<RemoteRef>;
  updateCustomer(remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef>;
  addFollowUp(remoteCustomerId: string, followUp: FollowUp, opts: WriteOptions): Promise<RemoteRef>;
  createDeal(remoteCustomerId: string, deal: Deal, opts: WriteOptions): Promise<RemoteRef>;
  createTask(remoteCustomerId: string, task: TaskInput, opts: WriteOptions): Promise<RemoteRef>;
  /**
   * Table CRMs (Bitable, NocoDB): create the recommended tables or check the user's own, and
   * return the settings to persist (table ids, fields to skip). Declared by spec.setup.
   */
  prepare?(opts?: OpOptions): Promise<PrepareResult>;
  /** Only where spec.capabilities.batchCreate is set; at most that many items per call. */
  batchCreateCustomers?(items: { customer: Customer; idempotencyKey: string; fields?: Record<string, string | number> }[], opts?: OpOptions): Promise<BatchItemResult[]>;
  /**
   * The CRM's own writable fields per section, from its API where it has one (HubSpot
   * properties, Salesforce describe, Bitable/NocoDB table fields) or the documented list.
   * Excludes the fields the adapter reserves for itself. Used to refuse a mapping that names a
   * field the CRM does not have, when it is saved rather than at every sync.
   */
  listFields?(opts?: OpOptions): Promise<CrmFieldList>;
  /** The values a settings field with `remoteChoices` takes in this CRM (id and display name). */
  fieldChoices?(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;

  // The read side. Present exactly where spec.capabilities.read declares it (the registry meta-test checks).
  /** One customer by remote id; null when the CRM no longer has it (deleted, merged away). */
  getCustomer?(remoteId: string, opts?: OpOptions): Promise<RemoteCustomerRecord | null>;
  /** The customer's follow-ups, newest first, with author and time (read.followUps). */
  listFollowUps?(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteFollowUp[]>;
  /** The customer's deals (read.deals). */
  listDeals?(remoteCustomerId: string, opts?: ListOptions): Promise<RemoteDeal[]>;
  /** Customers modified since a time, filtered by the CRM (read.changes 'modified-filter'), a page at a time. */
  changesSince?(opts: ChangesOptions): Promise<ChangesPage>;
  /**
   * Follow-ups of every customer created or modified since a time, filtered by the CRM, a page at
   * a time (read.followUpChanges): how the periodic pull brings colleagues' follow-ups without a
   * request per customer.
   */
  followUpsSince?(opts: ChangesOptions): Promise<FollowUpChangesPage>;

  // Tickets (issue 17). Present exactly where spec.capabilities.tickets declares them (the registry meta-test checks).
  /**
   * Create a ticket (智邦 售后服务单, Salesforce Case, HubSpot ticket, Jira issue, Zendesk ticket…),
   * idempotent on opts.idempotencyKey as the adapter's spec.idempotency says. The returned ref
   * carries the number users see (remoteCode) and, where the reply has it, the status.
   */
  createTicket?(ticket: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }>;
  /** The ticket's current state; null when the CRM no longer has it (capabilities.tickets.read). */
  getTicket?(remoteId: string, opts?: OpOptions): Promise<RemoteTicket | null>;
  /** A follow-up on the ticket as a comment/note/story (capabilities.tickets.comments). */
  addTicketComment?(remoteTicketId: string, followUp: FollowUp, opts: WriteOptions): Promise<RemoteRef>;

  // Colleagues (seed 003 #2 分配). Present exactly where spec.capabilities.people declares them (the registry meta-test checks).
  /** Make `userId` (an id of spec.capabilities.people) the customer's owner in this CRM (people.assign). */
  assignOwner?(remoteCustomerId: string, userId: string, opts: WriteOptions): Promise<void>;
  /**
   * Send one colleague a direct message (people.notify). Throws CrmError('validation') when the
   * system says it could not deliver to that person (not in the app's range), never reports a
   * message it knows was dropped as sent.
   */
  notifyPerson?(userId: string, notice: PersonNotice, opts: WriteOptions): Promise<void>;
}

/** A direct message to a colleague: a title (the notification's first line) and plain text. */
export interface PersonNotice {
  title: string;
  text: string;
}

export interface FollowUpChangesPage {
  /** Each with the remote id of the customer it belongs to, and when the row itself was last changed (the CRM's clock; not `at`, which a user sets). */
  rows: (RemoteFollowUp & { customerRemoteId: string; modifiedAt?: number })[];
  /** More rows match: call again with page = next. */
  next?: string;
  /** As ChangesPage.asOf. */
  asOf?: number;
}

/**
 * What the background gives a factory. `db` is typed loosely here so remote adapters don't
 * depend on Dexie; the local adapter narrows it.
 */
export interface AdapterDeps<Db = unknown> {
  db: Db;
  connection: Connection;
  /** From the `secrets` table; never leaves the background. */
  secrets: Record<string, string>;
  now: () => number;
  fetch?: typeof fetch;
  /**
   * OAuth adapters hand refreshed tokens here (merge into the connection's secrets). On the
   * generic deps because the background builds every adapter through one factory table.
   */
  onSecrets?: (patch: Record<string, string>) => void | Promise<void>;
}
