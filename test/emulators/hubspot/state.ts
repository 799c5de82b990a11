// In-memory state of the HubSpot emulator: one portal with CRM objects (contacts, deals, notes,
// tasks), their property definitions, associations, private app tokens, the daily counter and
// the request log. Everything is inspectable from tests; nothing here knows about HTTP.

export type PropType = 'string' | 'number' | 'datetime' | 'enumeration';
export interface PropDef {
  name: string;
  label: string;
  type: PropType;
  fieldType: string;
  groupName: string;
  options?: string[];
  hasUniqueValue?: boolean;
  readOnly?: boolean;
  /** Stored values must look like an email (contacts.email). */
  email?: boolean;
  custom?: boolean;
}

export const OBJECT_TYPES = ['contacts', 'deals', 'notes', 'tasks', 'tickets'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export interface EmObject {
  id: string;
  type: ObjectType;
  /** Stored as strings; datetimes as epoch ms strings. */
  properties: Record<string, string>;
  createdAt: number;
  /** The modified time (lastmodifieddate / hs_lastmodifieddate / updatedAt): advances on every write. */
  updatedAt: number;
  /** Archived (DELETE): GET answers 404 unless archived=true, search and batch/read leave it out. */
  archived?: boolean;
}

/** A user who can own records (GET /crm/v3/owners). */
export interface EmOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
}

export interface EmAssociation {
  fromType: ObjectType;
  fromId: string;
  toType: ObjectType;
  toId: string;
  typeId: number;
}

export interface EmToken {
  scopes: string[];
  state: 'active' | 'expired' | 'revoked';
}

export interface RequestLogEntry {
  /** When the request arrived (epoch ms). */
  at: number;
  method: string;
  path: string;
  /** Route id, e.g. 'objects.search', 'objects.batch_upsert'. */
  api: string;
  /** The object type of crm/v3/objects routes. */
  objectType?: string;
  status: number;
  /** Error category of a non-2xx reply (RATE_LIMITS, VALIDATION_ERROR…). */
  category?: string;
  /** policyName of a 429 (TEN_SECONDLY_ROLLING, SECONDLY, DAILY). */
  policy?: string;
  /** Retry-After sent with a 429, in seconds. */
  retryAfterSeconds?: number;
  /** Inputs in a batch request body. */
  inputs?: number;
  outcome: 'replied' | 'dropped' | 'refused';
}

const ro = (name: string, type: PropType = 'string'): PropDef => ({ name, label: name, type, fieldType: type === 'datetime' ? 'date' : 'text', groupName: 'system', readOnly: true });
const str = (name: string, groupName: string, extra: Partial<PropDef> = {}): PropDef => ({ name, label: name, type: 'string', fieldType: 'text', groupName, ...extra });
const en = (name: string, groupName: string, options: string[]): PropDef => ({ name, label: name, type: 'enumeration', fieldType: 'select', groupName, options });
const num = (name: string, groupName: string): PropDef => ({ name, label: name, type: 'number', fieldType: 'number', groupName });
const dt = (name: string, groupName: string): PropDef => ({ name, label: name, type: 'datetime', fieldType: 'date', groupName });

/** Default properties (a subset of HubSpot's, with their documented internal enum values). */
export function defaultProperties(): Record<ObjectType, Map<string, PropDef>> {
  // Modified/created time properties: contacts have lastmodifieddate/createdate, the other objects
  // hs_lastmodifieddate (+ createdate on deals, hs_createdate on engagements) — the search guide:
  // "lastmodifieddate for contacts, hs_lastmodifieddate for other objects".
  const sys = [ro('hs_object_id')];
  const times: Record<ObjectType, string[]> = { contacts: ['createdate', 'lastmodifieddate'], deals: ['createdate', 'hs_lastmodifieddate'], notes: ['hs_createdate', 'hs_lastmodifieddate'], tasks: ['hs_createdate', 'hs_lastmodifieddate'], tickets: ['createdate', 'hs_lastmodifieddate'] };
  const contact: PropDef[] = [
    str('email', 'contactinformation', { email: true }), str('firstname', 'contactinformation'), str('lastname', 'contactinformation'),
    str('phone', 'contactinformation'), str('mobilephone', 'contactinformation'), str('company', 'contactinformation'),
    str('jobtitle', 'contactinformation'), str('website', 'contactinformation'), str('city', 'contactinformation'),
    en('lifecyclestage', 'contactinformation', ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']),
    en('hs_lead_status', 'sales_properties', ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING']),
    str('hubspot_owner_id', 'sales_properties'),
  ];
  const deal: PropDef[] = [
    str('dealname', 'dealinformation'), num('amount', 'dealinformation'), dt('closedate', 'dealinformation'), str('description', 'dealinformation'),
    en('pipeline', 'dealinformation', ['default']),
    en('dealstage', 'dealinformation', ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost']),
    en('dealtype', 'dealinformation', ['newbusiness', 'existingbusiness']), str('hubspot_owner_id', 'dealinformation'),
  ];
  const note: PropDef[] = [str('hs_note_body', 'engagement'), dt('hs_timestamp', 'engagement'), str('hubspot_owner_id', 'engagement'), str('hs_attachment_ids', 'engagement')];
  const task: PropDef[] = [
    str('hs_task_subject', 'task'), str('hs_task_body', 'task'), dt('hs_timestamp', 'task'),
    en('hs_task_status', 'task', ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
    en('hs_task_priority', 'task', ['LOW', 'MEDIUM', 'HIGH']), en('hs_task_type', 'task', ['CALL', 'EMAIL', 'TODO']),
    str('hs_task_reminders', 'task'), str('hubspot_owner_id', 'task'),
  ];
  // Tickets (tickets guide, developers.hubspot.com/docs/guides/api/crm/objects/tickets, and the
  // default ticket properties, read 2026-12-06): subject, content, hs_pipeline, hs_pipeline_stage
  // (pipeline and stage ids, checked against the portal's pipelines: pipelines.ts),
  // hs_ticket_priority LOW/MEDIUM/HIGH/URGENT, hs_ticket_category, source_type, owner.
  const ticket: PropDef[] = [
    str('subject', 'ticketinformation'), str('content', 'ticketinformation'), str('hs_pipeline', 'ticketinformation'), str('hs_pipeline_stage', 'ticketinformation'),
    en('hs_ticket_priority', 'ticketinformation', ['LOW', 'MEDIUM', 'HIGH', 'URGENT']),
    en('hs_ticket_category', 'ticketinformation', ['PRODUCT_ISSUE', 'BILLING_ISSUE', 'FEATURE_REQUEST', 'GENERAL_INQUIRY']),
    en('source_type', 'ticketinformation', ['CHAT', 'EMAIL', 'FORM', 'PHONE']), str('hubspot_owner_id', 'ticketinformation'),
  ];
  const map = (type: ObjectType, defs: PropDef[]) => new Map([...sys, ...times[type].map((n) => ro(n, 'datetime')), ...defs].map((d) => [d.name, d]));
  return { contacts: map('contacts', contact), deals: map('deals', deal), notes: map('notes', note), tasks: map('tasks', task), tickets: map('tickets', ticket) };
}

/** The system time properties of a type: created, modified. */
export function timeProperties(type: ObjectType): { created: string; modified: string } {
  return type === 'contacts' ? { created: 'createdate', modified: 'lastmodifieddate' } : { created: type === 'deals' || type === 'tickets' ? 'createdate' : 'hs_createdate', modified: 'hs_lastmodifieddate' };
}

/** HUBSPOT_DEFINED association type ids → (from, to). */
export const ASSOCIATION_TYPES: Record<number, [ObjectType, ObjectType]> = {
  202: ['notes', 'contacts'],
  201: ['contacts', 'notes'],
  204: ['tasks', 'contacts'],
  203: ['contacts', 'tasks'],
  3: ['deals', 'contacts'],
  4: ['contacts', 'deals'],
  214: ['notes', 'deals'],
  216: ['tasks', 'deals'],
  // Tickets (associations guide, "Association type IDs", read 2026-12-06): ticket→contact 16,
  // contact→ticket 15, note→ticket 228, ticket→note 227.
  16: ['tickets', 'contacts'],
  15: ['contacts', 'tickets'],
  228: ['notes', 'tickets'],
  227: ['tickets', 'notes'],
};
/** Each HUBSPOT_DEFINED type id and the id of the same association seen from the other side. */
export const REVERSE_ASSOCIATION: Record<number, number> = { 202: 201, 201: 202, 204: 203, 203: 204, 3: 4, 4: 3, 16: 15, 15: 16, 228: 227, 227: 228 };
/** The default (most generic) type between two object types: what PUT …/associations/default/… creates. */
export function defaultAssociationType(from: ObjectType, to: ObjectType): number | undefined {
  const hit = Object.entries(ASSOCIATION_TYPES).find(([, [f, t]]) => f === from && t === to);
  return hit ? Number(hit[0]) : undefined;
}

/** A ticket pipeline stage; metadata.ticketState OPEN or CLOSED (pipelines guide). */
export interface EmStage {
  id: string;
  label: string;
  displayOrder: number;
  ticketState: 'OPEN' | 'CLOSED';
}
export interface EmPipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: EmStage[];
}
/** A new portal's ticket pipeline: "Support Pipeline" id 0, stages 1 New, 2 Waiting on contact, 3 Waiting on us, 4 Closed. */
export function defaultTicketPipelines(): EmPipeline[] {
  return [
    {
      id: '0', label: 'Support Pipeline', displayOrder: 0,
      stages: [
        { id: '1', label: 'New', displayOrder: 0, ticketState: 'OPEN' },
        { id: '2', label: 'Waiting on contact', displayOrder: 1, ticketState: 'OPEN' },
        { id: '3', label: 'Waiting on us', displayOrder: 2, ticketState: 'OPEN' },
        { id: '4', label: 'Closed', displayOrder: 3, ticketState: 'CLOSED' },
      ],
    },
  ];
}

export interface EmulatorState {
  portalId: number;
  objects: Record<ObjectType, Map<string, EmObject>>;
  properties: Record<ObjectType, Map<string, PropDef>>;
  associations: EmAssociation[];
  tokens: Map<string, EmToken>;
  daily: { limit: number; used: number };
  /** Properties created through the API (prepare counts). */
  propertiesCreated: string[];
  requests: RequestLogEntry[];
  nextId: number;
  owners: EmOwner[];
  /** Ticket pipelines (GET /crm/v3/pipelines/tickets…); tests add or edit them. */
  ticketPipelines: EmPipeline[];
}

export function createState(portalId: number): EmulatorState {
  return {
    portalId,
    objects: { contacts: new Map(), deals: new Map(), notes: new Map(), tasks: new Map(), tickets: new Map() },
    properties: defaultProperties(),
    associations: [],
    tokens: new Map(),
    daily: { limit: 250_000, used: 0 },
    propertiesCreated: [],
    requests: [],
    nextId: 51_001,
    owners: [],
    ticketPipelines: defaultTicketPipelines(),
  };
}

let corr = 0;
export function correlationId(): string {
  corr += 1;
  const hex = (n: number, len: number) => n.toString(16).padStart(len, '0').slice(-len);
  return `${hex(Date.now(), 8)}-${hex(corr, 4)}-4${hex(corr * 7, 3)}-a${hex(corr * 13, 3)}-${hex(corr * 31 + 0xabc, 12)}`;
}
