// The sObjects the emulator knows, with the field rules Salesforce enforces on writes: unknown
// fields (INVALID_FIELD), read-only fields (INVALID_FIELD_FOR_INSERT_UPDATE), restricted
// picklists, email/date formats, lengths, references, required fields (REQUIRED_FIELD_MISSING).

export type ObjectName = 'Lead' | 'Contact' | 'Task' | 'Opportunity' | 'Case' | 'CaseComment';
export const OBJECT_NAMES: ObjectName[] = ['Lead', 'Contact', 'Task', 'Opportunity', 'Case', 'CaseComment'];
export const KEY_PREFIX: Record<ObjectName, string> = { Lead: '00Q', Contact: '003', Task: '00T', Opportunity: '006', Case: '500', CaseComment: '00a' };
/**
 * Objects that can carry a custom field such as the external ID. CaseComment cannot: it takes no
 * custom fields (Object Reference, CaseComment: "Custom fields are not supported"; read 2026-12-06).
 */
export const CUSTOMIZABLE: ObjectName[] = ['Lead', 'Contact', 'Task', 'Opportunity', 'Case'];

type FieldType = 'string' | 'textarea' | 'email' | 'phone' | 'picklist' | 'multipicklist' | 'date' | 'datetime' | 'boolean' | 'currency' | 'double' | 'percent' | 'int' | 'reference' | 'id';
export interface FieldDef {
  type: FieldType;
  /** What describe calls it (the API name when absent). */
  label?: string;
  required?: boolean;
  readOnly?: boolean;
  /** Settable on insert only (Task.TaskSubtype). */
  createOnly?: boolean;
  length?: number;
  values?: string[];
  restricted?: boolean;
  defaultValue?: string | boolean;
  referenceTo?: (ObjectName | 'User' | 'Account')[];
  externalId?: boolean;
}

// System fields every object has (Object Reference, "System Fields", read 2026-12-06): set by
// the org on every save, never writable through the API. OwnerId is writable in a real org;
// Liaison never writes it, so the emulator keeps it read-only (a simplification).
const common: Record<string, FieldDef> = {
  Id: { type: 'id', readOnly: true },
  CreatedDate: { type: 'datetime', readOnly: true },
  CreatedById: { type: 'reference', readOnly: true, referenceTo: ['User'] },
  LastModifiedDate: { type: 'datetime', readOnly: true },
  LastModifiedById: { type: 'reference', readOnly: true, referenceTo: ['User'] },
  SystemModstamp: { type: 'datetime', readOnly: true },
  OwnerId: { type: 'reference', readOnly: true, referenceTo: ['User'] },
};

/** Relationship names in SOQL paths (CreatedBy.Name): the id field they follow. All lead to User here. */
export const RELATIONSHIPS: Record<string, string> = { CreatedBy: 'CreatedById', LastModifiedBy: 'LastModifiedById', Owner: 'OwnerId' };
/** The User fields a relationship path may read. */
export const USER_FIELDS = ['Id', 'Name'] as const;
export const OBJECTS: Record<ObjectName, Record<string, FieldDef>> = {
  Lead: {
    ...common,
    FirstName: { type: 'string', length: 40 },
    LastName: { type: 'string', length: 80, required: true },
    Name: { type: 'string', readOnly: true },
    Company: { type: 'string', length: 255, required: true },
    Title: { type: 'string', length: 128 },
    Email: { type: 'email', length: 80 },
    Phone: { type: 'phone', length: 40 },
    MobilePhone: { type: 'phone', length: 40 },
    LeadSource: { type: 'picklist', values: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'], restricted: false },
    Status: { type: 'picklist', values: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'], restricted: true, defaultValue: 'Open - Not Contacted' },
    Description: { type: 'textarea', length: 32_000 },
    IsConverted: { type: 'boolean', readOnly: true, defaultValue: false },
  },
  Contact: {
    ...common,
    FirstName: { type: 'string', length: 40 },
    LastName: { type: 'string', length: 80, required: true },
    Name: { type: 'string', readOnly: true },
    Email: { type: 'email', length: 80 },
    Phone: { type: 'phone', length: 40 },
    MobilePhone: { type: 'phone', length: 40 },
    LeadSource: { type: 'picklist', values: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'], restricted: false },
    Description: { type: 'textarea', length: 32_000 },
  },
  Task: {
    ...common,
    Subject: { type: 'string', length: 255 },
    Description: { type: 'textarea', length: 32_000 },
    ActivityDate: { type: 'date' },
    Status: { type: 'picklist', values: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], restricted: true, defaultValue: 'Not Started' },
    Priority: { type: 'picklist', values: ['High', 'Normal', 'Low'], restricted: true, defaultValue: 'Normal' },
    TaskSubtype: { type: 'picklist', values: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], restricted: true, createOnly: true },
    WhoId: { type: 'reference', referenceTo: ['Lead', 'Contact'] },
    IsReminderSet: { type: 'boolean', defaultValue: false },
    ReminderDateTime: { type: 'datetime' },
    // Derived from Status (Completed is the closed value of the standard TaskStatus picklist).
    IsClosed: { type: 'boolean', readOnly: true, defaultValue: false },
  },
  Opportunity: {
    ...common,
    Name: { type: 'string', length: 120, required: true },
    StageName: { type: 'picklist', values: ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'], restricted: true, required: true },
    CloseDate: { type: 'date', required: true },
    Amount: { type: 'currency' },
    Description: { type: 'textarea', length: 32_000 },
  },
  // Case (Object Reference "Case", sforce_api_objects_case.htm, read 2026-12-06): the standard
  // picklists' default values of a new org (Status New/Working/Escalated/Closed, default New;
  // Priority High/Medium/Low, default Medium; Origin Phone/Email/Web), Supplied* = the web-to-case
  // contact details (SuppliedName 80, SuppliedEmail 80, SuppliedPhone 40, SuppliedCompany 80),
  // CaseNumber an auto-number, IsClosed and ClosedDate set by the org from the Status.
  // Picklists are restricted here (an admin may add values: control.addField replaces a def).
  Case: {
    ...common,
    CaseNumber: { type: 'string', readOnly: true },
    Subject: { type: 'string', length: 255 },
    Description: { type: 'textarea', length: 32_000 },
    Status: { type: 'picklist', values: ['New', 'Working', 'Escalated', 'Closed'], restricted: true, defaultValue: 'New' },
    Priority: { type: 'picklist', values: ['High', 'Medium', 'Low'], restricted: true, defaultValue: 'Medium' },
    Origin: { type: 'picklist', values: ['Phone', 'Email', 'Web'], restricted: true },
    Type: { type: 'picklist', values: ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'], restricted: true },
    ContactId: { type: 'reference', referenceTo: ['Contact'] },
    // "This field can't be updated after the case has been created" (Health Cloud Object Reference,
    // Care Authorization Case Input: suppliedCompany/Email/Name/Phone → Case.Supplied*).
    SuppliedName: { type: 'string', length: 80, createOnly: true },
    SuppliedEmail: { type: 'email', length: 80, createOnly: true },
    SuppliedPhone: { type: 'string', length: 40, createOnly: true },
    SuppliedCompany: { type: 'string', length: 80, createOnly: true },
    IsClosed: { type: 'boolean', readOnly: true, defaultValue: false },
    ClosedDate: { type: 'datetime', readOnly: true },
  },
  // CaseComment (sforce_api_objects_casecomment.htm): ParentId (the Case, required, set on create
  // only), CommentBody (textarea, 4,000 bytes — counted as characters here), IsPublished.
  CaseComment: {
    Id: common.Id!,
    CreatedDate: common.CreatedDate!,
    CreatedById: common.CreatedById!,
    LastModifiedDate: common.LastModifiedDate!,
    LastModifiedById: common.LastModifiedById!,
    SystemModstamp: common.SystemModstamp!,
    ParentId: { type: 'reference', referenceTo: ['Case'], required: true, createOnly: true },
    CommentBody: { type: 'textarea', length: 4000 },
    IsPublished: { type: 'boolean', defaultValue: false },
  },
};

export interface SfErr {
  status: number;
  errorCode: string;
  message: string;
  fields: string[];
  duplicateResult?: unknown;
}
const err = (errorCode: string, message: string, fields: string[] = [], status = 400): SfErr => ({ status, errorCode, message, fields });

const ID_RE = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export interface WriteCheck {
  object: ObjectName;
  fields: Record<string, unknown>;
  mode: 'insert' | 'update';
  /** The object's field defs, including the external ID field when present. */
  defs: Record<string, FieldDef>;
  lookup(id: string): { type: ObjectName } | undefined;
  /** Fields of the record being updated. */
  existing?: Record<string, unknown>;
}

/** The first rule the write breaks, in Salesforce's order (shape, then values, then required). */
export function checkWrite(c: WriteCheck): SfErr | undefined {
  if (c.fields === null || typeof c.fields !== 'object' || Array.isArray(c.fields)) return err('JSON_PARSER_ERROR', 'Unexpected parameter encountered during deserialization');
  const readOnly: string[] = [];
  for (const [k, v] of Object.entries(c.fields)) {
    if (k === 'attributes') continue;
    const d = c.defs[k];
    if (!d) return err('INVALID_FIELD', `No such column '${k}' on sobject of type ${c.object}`);
    if (d.readOnly || (d.createOnly && c.mode === 'update')) {
      readOnly.push(k);
      continue;
    }
    if (v === null) continue;
    switch (d.type) {
      case 'string': case 'textarea': case 'email': case 'phone': case 'picklist':
        if (typeof v !== 'string') return err('JSON_PARSER_ERROR', `Cannot deserialize instance of ${d.type} from ${typeof v} value`, [k]);
        if (d.length && v.length > d.length) return err('STRING_TOO_LONG', `${k}: data value too large (max length=${d.length})`, [k]);
        if (d.type === 'email' && v && !EMAIL_RE.test(v)) return err('INVALID_EMAIL_ADDRESS', `${k}: invalid email address`, [k]);
        if (d.type === 'picklist' && d.restricted && !d.values?.includes(v)) return err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${k}: bad value for restricted picklist field`, [k]);
        break;
      case 'date':
        if (typeof v !== 'string' || !DATE_RE.test(v) || Number.isNaN(Date.parse(v))) return err('JSON_PARSER_ERROR', `Cannot deserialize instance of date from VALUE_STRING value ${String(v).slice(0, 30)}`, [k]);
        break;
      case 'datetime':
        if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) return err('JSON_PARSER_ERROR', `Cannot deserialize instance of datetime from value`, [k]);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') return err('JSON_PARSER_ERROR', `Cannot deserialize instance of boolean`, [k]);
        break;
      case 'currency':
      case 'double':
      case 'percent':
        if (typeof v !== 'number' || !Number.isFinite(v)) return err('JSON_PARSER_ERROR', `Cannot deserialize instance of ${d.type}`, [k]);
        break;
      case 'int':
        if (typeof v !== 'number' || !Number.isInteger(v)) return err('JSON_PARSER_ERROR', `Cannot deserialize instance of int`, [k]);
        break;
      case 'multipicklist':
        if (typeof v !== 'string') return err('JSON_PARSER_ERROR', `Cannot deserialize instance of multipicklist from ${typeof v} value`, [k]);
        if (d.restricted && v.split(';').some((x) => !d.values?.includes(x))) return err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${k}: bad value for restricted picklist field`, [k]);
        break;
      case 'reference': {
        if (typeof v !== 'string' || !ID_RE.test(v)) return err('MALFORMED_ID', `${k}: id value of incorrect type`, [k]);
        const target = c.lookup(v);
        if (!target || !d.referenceTo?.includes(target.type)) return err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [k]);
        break;
      }
      default:
        break;
    }
  }
  if (readOnly.length) return err('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, readOnly);
  const merged = { ...(c.existing ?? {}), ...c.fields };
  const missing = Object.entries(c.defs)
    .filter(([k, d]) => d.required && (merged[k] === undefined || merged[k] === null || merged[k] === '') && (c.mode === 'insert' || k in c.fields))
    .map(([k]) => k);
  if (missing.length) return err('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  return undefined;
}
