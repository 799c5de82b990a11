// The tables the Dataverse emulator holds, with the columns Liaison reads or writes plus a few
// the user's templates may name (reference/entities/contact, lead, annotation, task, opportunity
// on learn.microsoft.com, read 2026-12-06). Types are the AttributeType names of the metadata API.
export type AttrType = 'EntityName' | 'Uniqueidentifier' | 'String' | 'Memo' | 'DateTime' | 'Money' | 'Decimal' | 'Integer' | 'Picklist' | 'State' | 'Lookup' | 'Owner' | 'BigInt' | 'Boolean';

export interface Attr {
  type: AttrType;
  label: string;
  /** IsValidForCreate / IsValidForUpdate (computed and system columns: false). */
  writable: boolean;
  maxLength?: number;
}

export interface Nav {
  /** The single-valued navigation property (…@odata.bind). */
  name: string;
  /** The lookup column it sets (read back as _<column>_value). */
  column: string;
  /** The entity set it must point into. */
  target: string;
}

export interface Table {
  logical: string;
  set: string;
  key: string;
  attrs: Record<string, Attr>;
  navs: Nav[];
}

const sys = (label: string): Attr => ({ type: 'DateTime', label, writable: false });
const text = (label: string, maxLength: number): Attr => ({ type: 'String', label, writable: true, maxLength });
const memo = (label: string, maxLength: number): Attr => ({ type: 'Memo', label, writable: true, maxLength });
const common = (key: string): Record<string, Attr> => ({
  [key]: { type: 'Uniqueidentifier', label: 'Id', writable: true },
  createdon: sys('Created On'),
  modifiedon: sys('Modified On'),
  overriddencreatedon: { type: 'DateTime', label: 'Record Created On', writable: true },
  versionnumber: { type: 'BigInt', label: 'Version Number', writable: false },
  createdby: { type: 'Lookup', label: 'Created By', writable: false },
  statecode: { type: 'State', label: 'Status', writable: true },
});

export const TABLES: Table[] = [
  {
    logical: 'contact',
    set: 'contacts',
    key: 'contactid',
    attrs: { ...common('contactid'), firstname: text('First Name', 50), lastname: text('Last Name', 50), fullname: { type: 'String', label: 'Full Name', writable: false, maxLength: 160 }, mobilephone: text('Mobile Phone', 50), telephone1: text('Business Phone', 50), emailaddress1: text('Email', 100), jobtitle: text('Job Title', 100), description: memo('Description', 2000), annualincome: { type: 'Money', label: 'Annual Income', writable: true }, leadsourcecode: { type: 'Picklist', label: 'Lead Source', writable: true } },
    navs: [],
  },
  {
    logical: 'lead',
    set: 'leads',
    key: 'leadid',
    attrs: { ...common('leadid'), subject: text('Topic', 300), firstname: text('First Name', 50), lastname: text('Last Name', 50), fullname: { type: 'String', label: 'Name', writable: false, maxLength: 160 }, companyname: text('Company Name', 100), mobilephone: text('Mobile Phone', 20), telephone1: text('Business Phone', 50), emailaddress1: text('Email', 100), description: memo('Description', 2000) },
    navs: [],
  },
  {
    logical: 'annotation',
    set: 'annotations',
    key: 'annotationid',
    attrs: { ...common('annotationid'), subject: text('Title', 500), notetext: memo('Description', 100000), objectid: { type: 'Lookup', label: 'Regarding', writable: true }, objecttypecode: { type: 'EntityName', label: 'Object Type', writable: false } },
    navs: [
      { name: 'objectid_contact', column: 'objectid', target: 'contacts' },
      { name: 'objectid_lead', column: 'objectid', target: 'leads' },
    ],
  },
  {
    logical: 'task',
    set: 'tasks',
    key: 'activityid',
    attrs: { ...common('activityid'), subject: text('Subject', 200), description: memo('Description', 2000), scheduledend: { type: 'DateTime', label: 'Due', writable: true }, regardingobjectid: { type: 'Lookup', label: 'Regarding', writable: true }, objecttypecode: { type: 'EntityName', label: 'Object Type', writable: false } },
    navs: [
      { name: 'regardingobjectid_contact_task', column: 'regardingobjectid', target: 'contacts' },
      { name: 'regardingobjectid_lead_task', column: 'regardingobjectid', target: 'leads' },
    ],
  },
  {
    logical: 'opportunity',
    set: 'opportunities',
    key: 'opportunityid',
    attrs: { ...common('opportunityid'), name: text('Topic', 300), estimatedvalue: { type: 'Money', label: 'Est. Revenue', writable: true }, description: memo('Description', 2000), actualclosedate: { type: 'DateTime', label: 'Actual Close Date', writable: true }, parentcontactid: { type: 'Lookup', label: 'Contact', writable: true }, originatingleadid: { type: 'Lookup', label: 'Originating Lead', writable: true } },
    navs: [
      { name: 'parentcontactid', column: 'parentcontactid', target: 'contacts' },
      { name: 'originatingleadid', column: 'originatingleadid', target: 'leads' },
    ],
  },
];

export const tableBySet = (set: string) => TABLES.find((t) => t.set === set);
export const tableByLogical = (name: string) => TABLES.find((t) => t.logical === name);

/** A column a query may name: an attribute (lookups as _<name>_value). */
export function queryable(t: Table, name: string): boolean {
  const m = /^_(\w+)_value$/.exec(name);
  if (m) return t.attrs[m[1]!]?.type === 'Lookup';
  const a = t.attrs[name];
  return !!a && a.type !== 'Lookup';
}
