// The declared half of a CRM adapter: names, auth, host permissions, capabilities, rate
// limits and the default field mapping. Pure data, so the options page can render the
// "connect" form and request host permissions without bundling any vendor client
// (operations live in port.ts + each adapter's adapter.ts, imported by the background only).
//
// The shape was checked against the seventeen systems of shared/reference/crm-apis.md:
// - auth kinds: pasted tokens (HubSpot, Notion, Airtable PAT, Monday, Jira email+token, Asana,
//   ClickUp, Linear key, Trello key+token, Pipedrive), OAuth + PKCE with the user's own client id
//   (Salesforce, Dynamics, Airtable, Linear), app id + secret (Feishu, DingTalk, WeCom),
//   user + password on the customer's own host (智邦ERP), none (local).
// - capabilities: WeCom cannot create customers; Bitable/Airtable keep follow-ups in a linked table;
//   task tools (Jira, Asana, ClickUp, Linear, Trello, Monday) make a "customer" an issue/card/item.
// - hosts: fixed (api.hubapi.com), per tenant from a field (智邦 http://ip:port, Dynamics org URL).
import { z } from 'zod';
import { lazySchema } from '../model/lazy-schema';

const nonBlank = z.string().regex(/\S/, 'must not be blank');
/** UI text in both shipped languages; neither may be blank (the registry meta-test relies on it). */
export const localizedSchema = lazySchema(() => z.object({ zh_CN: nonBlank, en: nonBlank }));
export type Localized = z.infer<typeof localizedSchema>;

export const AUTH_KINDS = ['none', 'token', 'oauth2-pkce', 'app-credentials', 'password'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** One input of the connect form. Secret fields go to the `secrets` table, others to connection.settings. */
export const crmFieldSchema = lazySchema(() => z.object({
  key: z.string().regex(/^[a-zA-Z][\w.-]*$/),
  label: localizedSchema,
  /** How to get the value (Activepieces-style steps): where to click in the vendor's console. */
  help: localizedSchema,
  secret: z.boolean(),
  type: z.enum(['text', 'password', 'url', 'email', 'select']),
  required: z.boolean().default(true),
  placeholder: z.string().optional(),
  /** For type 'select' (e.g. Feishu CN / Lark intl, Zoho data centre). */
  options: z.array(z.object({ value: z.string(), label: localizedSchema })).optional(),
  /**
   * Once connected, the CRM lists the values this field takes (an ERP enum such as 智邦's
   * 客户来源): the form offers them by name (the adapter's fieldChoices), typing stays possible.
   */
  remoteChoices: z.boolean().optional(),
}));
export type CrmField = z.input<typeof crmFieldSchema>;

/**
 * OAuth 2.0 authorization code + PKCE through launchWebAuthFlow. URLs may use {{fieldKey}}
 * for per-tenant hosts (Dynamics {{orgUrl}}, Salesforce My Domain).
 */
export const oauthSchema = lazySchema(() => z.object({
  authorizeUrl: z.string().min(1),
  tokenUrl: z.string().min(1),
  scopes: z.array(z.string()),
  /** 'required' means the flow needs the user's own app secret (no broker of ours exists). */
  clientSecret: z.enum(['none', 'optional', 'required']),
  extraAuthorizeParams: z.record(z.string(), z.string()).optional(),
}));

export const authSchema = lazySchema(() => z
  .object({
    kind: z.enum(AUTH_KINDS),
    fields: z.array(crmFieldSchema),
    oauth: oauthSchema.optional(),
  })
  .refine((a) => (a.kind === 'oauth2-pkce') === (a.oauth !== undefined), 'oauth2-pkce needs oauth, and only it'));

/** A fixed match pattern (which may carry {{field}} templates, see hostPatternsFor), or the origin of a URL the user enters in a field (self-hosted 智邦). */
export const hostPermissionSchema = lazySchema(() => z.union([z.string().min(1), z.object({ fromField: z.string().min(1) })]));
export type HostPermission = z.infer<typeof hostPermissionSchema>;

/** 'linked-record': the CRM has no such object; the adapter writes a row in a linked table. */
export const supportSchema = lazySchema(() => z.enum(['native', 'linked-record', 'none']));
export type Support = z.infer<typeof supportSchema>;

export const readCapabilitiesSchema = lazySchema(() => z.object({
  /** adapter.getCustomer: one customer with its fields and modification marker. */
  getCustomer: z.boolean(),
  /** adapter.listFollowUps: the customer's follow-ups with author and time. */
  followUps: z.boolean(),
  /** adapter.listDeals */
  deals: z.boolean(),
  /**
   * 'modified-filter': adapter.changesSince asks the CRM for records modified since a time (Bitable
   * and NocoDB filters, HubSpot search on lastmodifieddate, Salesforce SystemModstamp); 'none':
   * the pull reads each linked customer with getCustomer.
   */
  changes: z.enum(['modified-filter', 'none']),
  /** adapter.followUpsSince: follow-ups of all customers changed since a time, filtered by the CRM (absent: false). */
  followUpChanges: z.boolean().optional(),
  /** updateCustomer honours WriteOptions.ifMarker and throws CrmError('conflict') on a changed record. */
  conditionalUpdate: z.boolean(),
  /** How long after a write changesSince may still miss it (HubSpot's search index lags): the pull re-reads this far back. */
  changesLagMs: z.number().int().nonnegative().optional(),
}));
export type ReadCapabilities = z.infer<typeof readCapabilitiesSchema>;

export const ticketCapabilitiesSchema = lazySchema(() => z.object({
  /** The vendor's word for it, shown in the UI: 售后服务单 / Case / Ticket / Issue / Card. */
  noun: localizedSchema,
  read: z.boolean(),
  comments: z.boolean(),
  needsCustomer: z.boolean(),
}));
export type TicketCapabilities = z.infer<typeof ticketCapabilitiesSchema>;

/**
 * Colleagues in this system (seed 003 #2 销售线索自动分配): what a person's id is called here and
 * what Liaison can do with it. `assign`: adapter.assignOwner sets the customer's owner in this CRM
 * (智邦 客户指派); `notify`: adapter.notifyPerson sends that person a direct message (DingTalk
 * 工作通知, WeCom 应用消息). The ids are kept per team member (lib/assign/team.ts).
 */
export const peopleCapabilitiesSchema = lazySchema(() => z.object({
  idLabel: localizedSchema,
  /** Where the user finds a colleague's id. */
  idHelp: localizedSchema,
  /** A regular expression (source) the id must match. */
  idPattern: z.string().min(1),
  assign: z.boolean(),
  notify: z.boolean(),
}));
export type PeopleCapabilities = z.infer<typeof peopleCapabilitiesSchema>;

export const capabilitiesSchema = lazySchema(() => z.object({
  createCustomer: z.boolean(),
  updateCustomer: z.boolean(),
  findCustomers: z.boolean(),
  followUps: supportSchema,
  deals: supportSchema,
  tasks: supportSchema,
  /** Max records per batch create call, when the API has one (Bitable 500, Salesforce 200, HubSpot 100, Airtable 10). */
  batchCreate: z.number().int().positive().optional(),
  /** The read side (adapter.getCustomer / listFollowUps / listDeals / changesSince): what this CRM can be read back for. */
  read: readCapabilitiesSchema,
  /**
   * Tickets (issue 17): adapter.createTicket, getTicket (read) and addTicketComment (comments).
   * Absent: this system takes no tickets. `needsCustomer`: a ticket must hang on a linked customer
   * (智邦 售后服务单, HubSpot association); trackers and help desks take the customer as text or a requester.
   */
  tickets: ticketCapabilitiesSchema.optional(),
  /** Colleagues (lib/assign): absent when this system can neither assign customers nor message people. */
  people: peopleCapabilitiesSchema.optional(),
}));
export type CrmCapabilities = z.infer<typeof capabilitiesSchema>;

/**
 * How a create is made safe to retry after an unknown outcome (a killed fetch):
 * 'key': the API takes an idempotency key (Bitable client_token); 'upsert': upsert on a unique
 * field (Salesforce external id, HubSpot idProperty, Airtable fieldsToMergeOn);
 * 'lookup': search before create (Notion, 智邦).
 */
export const idempotencySchema = lazySchema(() => z.enum(['key', 'upsert', 'lookup']));

export const rateLimitSchema = lazySchema(() => z.object({
  requestsPerSecond: z.number().positive().optional(),
  burst: z.number().int().positive().optional(),
  /** Bitable: one concurrent write per table; 智邦: serialize writes. */
  concurrentWrites: z.number().int().positive().optional(),
  /** Daily call budget where documented (Monday free 200, Zoho credits…). */
  dailyQuota: z.number().int().positive().optional(),
}));

/** Liaison fields an adapter maps; values are the CRM's field names (or column ids). */
export const MAPPABLE_CUSTOMER_FIELDS = [
  'code', 'name', 'company', 'phones', 'wechatId', 'email', 'source', 'product', 'amount',
  'intentLevel', 'stage', 'grade', 'tags', 'owner', 'keyword', 'notes', 'nextFollowUpAt',
] as const;
export const MAPPABLE_FOLLOW_UP_FIELDS = ['method', 'content', 'summary', 'result', 'nextAction', 'nextAt', 'at', 'by'] as const;
export const MAPPABLE_DEAL_FIELDS = ['product', 'institution', 'amount', 'rate', 'termMonths', 'commission', 'status', 'closedAt'] as const;

const mapOf = <T extends readonly [string, ...string[]]>(keys: T) => z.partialRecord(z.enum(keys), z.string().min(1));
export const mappingSchema = lazySchema(() => z.object({
  customer: mapOf(MAPPABLE_CUSTOMER_FIELDS),
  followUp: mapOf(MAPPABLE_FOLLOW_UP_FIELDS).optional(),
  deal: mapOf(MAPPABLE_DEAL_FIELDS).optional(),
}));
export type CrmMapping = z.infer<typeof mappingSchema>;

export const crmSpecSchema = lazySchema(() => z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  names: localizedSchema,
  docsUrl: z.string().optional(),
  auth: authSchema,
  /** Non-secret settings that are not auth (Bitable app_token/table_id, Notion data source, Monday board). */
  configFields: z.array(crmFieldSchema).default([]),
  hostPermissions: z.array(hostPermissionSchema),
  capabilities: capabilitiesSchema,
  idempotency: idempotencySchema,
  rateLimit: rateLimitSchema,
  defaultMapping: mappingSchema,
  /**
   * Whether this CRM's customer code (客户编号) replaces Liaison's by default once it assigns one
   * (seed 003 方案A: the ERP is the master of customer codes). The user can change it per connection.
   */
  codeMaster: z.boolean().optional(),
  /** A one-click preparation the adapter offers (adapter.prepare): "create the recommended tables". */
  setup: z.object({ label: localizedSchema, help: localizedSchema }).optional(),
}));
export type CrmSpec = z.input<typeof crmSpecSchema>;

/**
 * What a system that takes tickets and nothing else declares (the work trackers and Freshdesk):
 * no customers, follow-ups on customers, deals or tasks (the adapter's methods refuse, see
 * tickets-only.ts), no read side for customers; tickets with their status read back and
 * follow-ups as comments, never hung on a customer record.
 */
export function ticketsOnlyCapabilities(noun: Localized) {
  return {
    createCustomer: false,
    updateCustomer: false,
    findCustomers: false,
    followUps: 'none',
    deals: 'none',
    tasks: 'none',
    read: { getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false },
    tickets: { noun, read: true, comments: true, needsCustomer: false },
  } as const satisfies CrmCapabilities;
}

/** Keeps the literal id (`const`) so adapters.ts can require a factory for every spec at compile time. */
export function defineCrmSpec<const T extends CrmSpec>(spec: T): T {
  return spec;
}

/**
 * The match pattern for a URL the user typed. Ports are dropped: Chrome patterns without a port
 * match any port, and Firefox patterns may not carry one.
 */
export function hostPatternFromUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * A string pattern's {{field}} templates filled from the form values (Zoho's
 * https://www.zohoapis.{{dc}}/*): null when a value is missing or is not made of host characters
 * (letters, digits, dots, hyphens), so a value can never widen the pattern.
 */
function expandHostPattern(pattern: string, values: Record<string, unknown>): string | null {
  let ok = true;
  const out = pattern.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
    const v = values[key];
    if (typeof v !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v.trim())) ok = false;
    return typeof v === 'string' ? v.trim().toLowerCase() : '';
  });
  return ok ? out : null;
}

/** The host permissions to request for a connection, from the spec and the values the user entered. */
export function hostPatternsFor(spec: Pick<CrmSpec, 'hostPermissions'>, values: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const p of spec.hostPermissions) {
    if (typeof p === 'string') {
      const pattern = p.includes('{{') ? expandHostPattern(p, values) : p;
      if (pattern) out.add(pattern);
    } else {
      const v = values[p.fromField];
      const pattern = typeof v === 'string' ? hostPatternFromUrl(v) : null;
      if (pattern) out.add(pattern);
    }
  }
  return [...out];
}
