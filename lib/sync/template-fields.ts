// The user's template mapping (connection.settings.templates) rendered for the record an outbox
// entry sends, handed to the adapter as WriteOptions.fields. Rendered here, once, for every
// CRM: the adapters only put the values into their payloads (with the field's type), so a
// template means the same thing whichever CRM it is written for.
//
// Only the user's own templates are rendered: the defaults underneath (spec.defaultMapping and
// settings.mapping) are what the adapters already send with their own typing, and
// effectiveMapping() shows both together in the editor.
import type { LiaisonDb } from '../db/db';
import type { Connection, Customer, Deal, FollowUp } from '../model';
import { CrmError } from '../crm/errors';
import { applyMapping, MappingError, templateMappingSchema, compileMapping, type CompiledMapping, type MappingContext, type MappingSection } from '../mapping';

/** Compiled templates by settings object: a worker run compiles each connection's once. */
const cache = new WeakMap<Connection['settings'], CompiledMapping | MappingError | null>();

function compile(raw: unknown): CompiledMapping | MappingError | null {
  if (raw === undefined) return null;
  const parsed = templateMappingSchema.safeParse(raw);
  if (parsed.success && ![parsed.data.customer, parsed.data.followUp, parsed.data.deal].some((s) => s && Object.keys(s).length)) return null;
  try {
    return compileMapping(raw);
  } catch (e) {
    if (e instanceof MappingError) return e;
    throw e;
  }
}

function compiledFor(connection: Connection): CompiledMapping | null {
  let hit = cache.get(connection.settings);
  if (hit === undefined) {
    hit = compile(connection.settings.templates);
    cache.set(connection.settings, hit);
  }
  if (hit instanceof MappingError) throw hit;
  return hit;
}

export interface TemplateRecord {
  section: MappingSection;
  customer: Customer;
  followUp?: FollowUp;
  deal?: Deal;
}

/** The zone dates render in: the browser's own (the user's), Asia/Shanghai when it has none. */
function localZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/**
 * CRM field → value for this record, or undefined when the connection has no templates for the
 * section. A mapping that no longer compiles is a validation error on the entry (the options
 * page refuses to save one, so this means it was imported or written by an older version).
 */
export async function templateFields(db: LiaisonDb, connection: Connection, rec: TemplateRecord): Promise<Record<string, string | number> | undefined> {
  let compiled: CompiledMapping | null;
  try {
    compiled = compiledFor(connection);
  } catch (e) {
    if (e instanceof MappingError) throw new CrmError('validation', `field mapping of ${connection.name}: ${e.message}`.slice(0, 500));
    throw e;
  }
  if (!compiled?.sections[rec.section]?.length) return undefined;
  const ctx = await mappingContextFor(db, rec);
  const fields = applyMapping(compiled, ctx, rec.section);
  return Object.keys(fields).length ? fields : undefined;
}

/** What templates render against for this record: itself, its customer, and where they came from. */
export async function mappingContextFor(db: LiaisonDb, rec: Omit<TemplateRecord, 'section'>): Promise<MappingContext> {
  const ctx: MappingContext = {
    customer: rec.customer,
    ...(rec.followUp ? { followUp: rec.followUp } : {}),
    ...(rec.deal ? { deal: rec.deal } : {}),
    conversation: await conversationOf(db, rec),
  };
  const zone = localZone();
  if (zone) ctx.timeZone = zone;
  return ctx;
}

/**
 * Seed 004's {{platform}} / {{messageContent}}: the chat site the customer was first linked on
 * and the latest logged message (the follow-up being sent, else the customer's latest). Liaison
 * keeps no chat transcripts, so "the message" is what was logged as a follow-up.
 */
async function conversationOf(db: LiaisonDb, rec: Omit<TemplateRecord, 'section'>): Promise<NonNullable<MappingContext['conversation']>> {
  const identity = (await db.identities.where('customerId').equals(rec.customer.id).toArray()).sort((a, b) => a.createdAt - b.createdAt)[0];
  const latest =
    rec.followUp ??
    (await db.followUps
      .where('[customerId+at]')
      .between([rec.customer.id, -Infinity], [rec.customer.id, Infinity])
      .last());
  const message = latest?.content ?? latest?.summary;
  return {
    ...(identity ? { site: identity.site } : {}),
    contactName: rec.customer.name,
    ...(message ? { lastMessage: message, receivedAt: latest!.at } : {}),
  };
}
