// Background handlers for strategyMessages. Plain functions over the database so the options
// page's calls and the unit tests go through the same code.
import type { LiaisonDb } from '../db/db';
import { findSpec } from '../crm/registry';
import { applyMapping, compileMapping, effectiveMapping, mappingIssues, MAPPING_SECTIONS, SAMPLE_CONTEXT, templateMappingSchema, type TemplateMapping } from '../mapping';
import { NotFoundError, ValidationError } from '../customers/errors';
import { getStrategy, loadFailover, saveStrategy, strategySchema, type Strategy } from './schema';
import type { MappingPreview } from './messages';

export async function strategyView(db: LiaisonDb): Promise<{ strategy: Strategy; failoverSince?: number }> {
  const [strategy, failover] = await Promise.all([getStrategy(db), loadFailover(db)]);
  return { strategy, ...(failover.since !== undefined ? { failoverSince: failover.since } : {}) };
}

export async function saveStrategyChecked(db: LiaisonDb, input: unknown): Promise<Strategy> {
  const parsed = strategySchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(`策略无效 / invalid strategy: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'strategy'}: ${i.message}`).join('; ')}`);
  const known = new Set((await db.connections.toArray()).map((c) => c.id));
  const s = parsed.data;
  const named = s.mode === 'parallel' ? (s.connections ?? []) : s.mode === 'primary-backup' ? [s.primary, s.backup] : [...Object.values(s.routes).flat(), ...s.default];
  const missing = named.filter((id) => !known.has(id));
  if (missing.length) throw new ValidationError(`没有这个连接 / no such connection: ${[...new Set(missing)].join(', ')}`);
  return saveStrategy(db, s);
}

async function connectionOf(db: LiaisonDb, connectionId: string) {
  const c = await db.connections.get(connectionId);
  if (!c) throw new NotFoundError(`连接不存在 / no such connection: ${connectionId}`);
  return c;
}

export async function mappingView(db: LiaisonDb, connectionId: string): Promise<{ own: TemplateMapping; effective: TemplateMapping }> {
  const c = await connectionOf(db, connectionId);
  const own = templateMappingSchema.safeParse(c.settings.templates);
  return { own: own.success ? own.data : {}, effective: effectiveMapping(c, findSpec(c.kind)) };
}

/** The user's templates over the connection's defaults, rendered on the sample customer. */
export async function previewMapping(db: LiaisonDb, connectionId: string | undefined, templates: unknown): Promise<MappingPreview> {
  const c = connectionId ? await connectionOf(db, connectionId) : undefined;
  const mapping = c ? effectiveMapping({ settings: { ...c.settings, templates } }, findSpec(c.kind)) : templates;
  const issues = mappingIssues(templates);
  if (issues.length) return { values: {}, issues };
  const compiled = compileMapping(mapping);
  const values: MappingPreview['values'] = {};
  for (const s of MAPPING_SECTIONS) if (compiled.sections[s]) values[s] = applyMapping(compiled, SAMPLE_CONTEXT, s);
  return { values, issues: [] };
}

export async function saveMapping(db: LiaisonDb, connectionId: string, templates: unknown): Promise<{ own: TemplateMapping }> {
  const c = await connectionOf(db, connectionId);
  const issues = mappingIssues(templates);
  if (issues.length) throw new ValidationError(issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '));
  const own = templateMappingSchema.parse(templates);
  await db.connections.put({ ...c, settings: { ...c.settings, templates: own } });
  return { own };
}
