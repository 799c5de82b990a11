// Background handlers for strategyMessages. Plain functions over the database so the options
// page's calls and the unit tests go through the same code.
import type { LiaisonDb } from '../db/db';
import { findSpec } from '../crm/registry';
import { applyMapping, compileMapping, effectiveMapping, FILTER_NAMES, mappingIssues, MAPPING_SECTIONS, SAMPLE_CONTEXT, templateMappingSchema, VARIABLES, type CompileOptions, type TemplateMapping } from '../mapping';
import type { Connection } from '../model';
import type { CrmFieldList } from '../crm/port';
import { mappingContextFor } from '../sync/template-fields';
import { NotFoundError, ValidationError } from '../customers/errors';
import { getStrategy, loadFailover, saveStrategy, strategySchema, type Strategy } from './schema';
import { listRobots } from '../notify/store';
import type { MappingPreview, MappingView } from './messages';

export async function strategyView(db: LiaisonDb): Promise<{ strategy: Strategy; failoverSince?: number }> {
  const [strategy, failover] = await Promise.all([getStrategy(db), loadFailover(db)]);
  return { strategy, ...(failover.since !== undefined ? { failoverSince: failover.since } : {}) };
}

export async function saveStrategyChecked(db: LiaisonDb, input: unknown): Promise<Strategy> {
  const parsed = strategySchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(`策略无效 / invalid strategy: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'strategy'}: ${i.message}`).join('; ')}`);
  const known = new Set((await db.connections.toArray()).map((c) => c.id));
  const s = parsed.data;
  const named = [
    ...(s.mode === 'parallel' ? (s.connections ?? []) : s.mode === 'primary-backup' ? [s.primary, s.backup] : [...Object.values(s.routes).flat(), ...s.default]),
    ...Object.values(s.ticketRoutes ?? {}).flat(),
  ];
  const missing = named.filter((id) => !known.has(id));
  if (missing.length) throw new ValidationError(`没有这个连接 / no such connection: ${[...new Set(missing)].join(', ')}`);
  const robots = new Set((await listRobots(db)).map((r) => r.id));
  const noRobot = [...new Set(Object.values(s.groupPosts ?? {}).flat())].filter((id) => !robots.has(id));
  if (noRobot.length) throw new ValidationError(`没有这个群机器人 / no such group robot: ${noRobot.join(', ')}`);
  return saveStrategy(db, s);
}

async function connectionOf(db: LiaisonDb, connectionId: string) {
  const c = await db.connections.get(connectionId);
  if (!c) throw new NotFoundError(`连接不存在 / no such connection: ${connectionId}`);
  return c;
}

/** The CRM's own fields, as the background's adapter lists them (absent: the CRM cannot list them). */
export type ListFields = (connection: Connection) => Promise<CrmFieldList | undefined>;

async function fieldsOf(c: Connection, listFields: ListFields | undefined): Promise<{ fields?: CrmFieldList; fieldsError?: string }> {
  if (!listFields) return {};
  try {
    const fields = await listFields(c);
    return fields ? { fields } : {};
  } catch (e) {
    return { fieldsError: e instanceof Error ? e.message.slice(0, 300) : 'error' };
  }
}

const namesOf = (fields: CrmFieldList | undefined): CompileOptions['fields'] | undefined =>
  fields ? Object.fromEntries(Object.entries(fields).map(([s, list]) => [s, (list ?? []).map((f) => f.name)])) : undefined;

export async function mappingView(db: LiaisonDb, connectionId: string, listFields?: ListFields): Promise<MappingView> {
  const c = await connectionOf(db, connectionId);
  const own = templateMappingSchema.safeParse(c.settings.templates);
  return {
    own: own.success ? own.data : {},
    effective: effectiveMapping(c, findSpec(c.kind)),
    variables: Object.entries(VARIABLES).map(([name, v]) => ({ name, label: v.label })),
    filters: [...FILTER_NAMES],
    ...(await fieldsOf(c, listFields)),
  };
}

/**
 * The user's templates over the connection's defaults, rendered on the customer open beside the
 * chat (its latest follow-up and deal) when there is one, else on the built-in sample.
 */
export async function previewMapping(db: LiaisonDb, connectionId: string | undefined, templates: unknown, customerId?: string): Promise<MappingPreview> {
  const c = connectionId ? await connectionOf(db, connectionId) : undefined;
  const mapping = c ? effectiveMapping({ settings: { ...c.settings, templates } }, findSpec(c.kind)) : templates;
  const customer = customerId ? await db.customers.get(customerId) : undefined;
  const subject: MappingPreview['subject'] = customer ? { customerId: customer.id, name: customer.name, code: customer.code } : 'sample';
  const issues = mappingIssues(templates);
  if (issues.length) return { values: {}, issues, subject };
  const compiled = compileMapping(mapping);
  let ctx = SAMPLE_CONTEXT;
  if (customer) {
    const followUp = await db.followUps.where('[customerId+at]').between([customer.id, -Infinity], [customer.id, Infinity]).last();
    const deal = (await db.deals.where('customerId').equals(customer.id).sortBy('createdAt')).at(-1);
    ctx = await mappingContextFor(db, { customer, ...(followUp ? { followUp } : {}), ...(deal ? { deal } : {}) });
  }
  const values: MappingPreview['values'] = {};
  for (const s of MAPPING_SECTIONS) if (compiled.sections[s]) values[s] = applyMapping(compiled, ctx, s);
  return { values, issues: [], subject };
}

/**
 * Stores a connection's templates. Refused while they have problems, including fields the CRM
 * does not have when its API lists them; if the list cannot be fetched now (CRM down) the
 * mapping is saved and the reply says it was not checked.
 */
export async function saveMapping(db: LiaisonDb, connectionId: string, templates: unknown, listFields?: ListFields): Promise<{ own: TemplateMapping; unchecked?: string }> {
  const c = await connectionOf(db, connectionId);
  const syntax = mappingIssues(templates);
  if (syntax.length) throw new ValidationError(syntax.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '));
  const { fields, fieldsError } = await fieldsOf(c, listFields);
  const names = namesOf(fields);
  const issues = names ? mappingIssues(templates, { fields: names }) : [];
  if (issues.length) throw new ValidationError(issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '));
  const own = templateMappingSchema.parse(templates);
  const fresh = await connectionOf(db, connectionId);
  await db.connections.put({ ...fresh, settings: { ...fresh.settings, templates: own } });
  return { own, ...(fieldsError ? { unchecked: fieldsError } : {}) };
}
