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
import type { CrmError } from './errors';

export { CrmError, classifyHttpError, classifyNetworkError, parseRetryAfter, CRM_ERROR_KINDS } from './errors';
export type { CrmErrorKind, ClassifyOptions, HeaderBag } from './errors';

/** Where a Liaison record lives in the CRM. */
export interface RemoteRef {
  remoteId: string;
  /** The CRM's human-facing code (智邦 khid KH2025001, Jira issue key), when it has one. */
  remoteCode?: string;
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
}

/** The customer fields an update may carry (never ids, timestamps or derived keys). */
export type CustomerPatch = Partial<Omit<Customer, 'id' | 'createdAt' | 'updatedAt' | 'searchKeys'>>;

/** A reminder as a CRM task (Salesforce Task, Feishu Task, DingTalk todo, Jira issue…). */
export interface TaskInput {
  title: string;
  dueAt: number;
  note?: string;
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
export type CrmFieldList = Partial<Record<FieldSection, CrmField[]>>;

export type BatchItemResult = { ok: true; ref: RemoteRef } | { ok: false; error: CrmError };

export interface PrepareResult {
  /** Merged into connection.settings. */
  settings: Record<string, unknown>;
  /** Tables created now (their names), and fields that are missing or mistyped ("表.字段"). */
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
