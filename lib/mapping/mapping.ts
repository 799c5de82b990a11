// Declarative field mappings (seed 004's "mappings": CRM field → "{{template}}") compiled once
// and applied per record. Validation collects every problem with the field it belongs to, so
// the options page can show them all at once, and a mapping that names a field the CRM does not
// have is refused when saved instead of failing each sync with the CRM's validation error.
//
// Direction: the adapters' existing `settings.mapping` (spec.defaultMapping's shape) says which
// CRM field a Liaison field goes to; templates say what text a CRM field gets. Defaults are
// derived from the former, so a connection without templates renders what it always sent.
import { z } from 'zod';
import type { Connection } from '../model';
import type { CrmMapping, CrmSpec } from '../crm/spec';
import { compileTemplate, renderTemplate, type CompiledTemplate, type LookupTables, type MappingIssue } from './template';
import type { MappingContext } from './variables';
import { lazySchema } from '../model/lazy-schema';

export const MAPPING_SECTIONS = ['customer', 'followUp', 'deal'] as const;
export type MappingSection = (typeof MAPPING_SECTIONS)[number];

const fieldTemplates = lazySchema(() => z.record(z.string().trim().min(1).max(200), z.string().max(5000)));
export const templateMappingSchema = lazySchema(() => z.object({
  customer: fieldTemplates.optional(),
  followUp: fieldTemplates.optional(),
  deal: fieldTemplates.optional(),
  /** Enum tables for the lookup filter: { intent: { 高: 'Hot', 中: 'Warm', 低: 'Cold' } }. */
  lookups: z.record(z.string().min(1).max(100), z.record(z.string(), z.string().max(500))).optional(),
}));
export type TemplateMapping = z.infer<typeof templateMappingSchema>;

export interface CompileOptions {
  /** The CRM's own field names when known (from verify/prepare, or a spec): others are refused. */
  fields?: readonly string[] | Partial<Record<MappingSection, readonly string[]>>;
}

export interface CompiledMapping {
  sections: Partial<Record<MappingSection, { field: string; template: CompiledTemplate }[]>>;
  lookups: LookupTables;
}

export class MappingError extends Error {
  constructor(readonly issues: MappingIssue[]) {
    super(`映射有误 / invalid mapping: ${issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'MappingError';
  }
}

/**
 * Which records a section's templates can read: a customer is sent without a follow-up or a
 * deal, so `{{deal.amount}}` there would always be blank. Refusing it says so while editing.
 */
const READABLE: Record<MappingSection, readonly string[]> = {
  customer: ['customer', 'conversation'],
  followUp: ['customer', 'followUp', 'conversation'],
  deal: ['customer', 'deal', 'conversation'],
};

function fieldsFor(opts: CompileOptions, section: MappingSection): readonly string[] | undefined {
  const f = opts.fields;
  if (!f) return undefined;
  return Array.isArray(f) ? f : (f as Partial<Record<MappingSection, readonly string[]>>)[section];
}

/** Every problem of a mapping; empty when it compiles. */
export function mappingIssues(mapping: unknown, opts: CompileOptions = {}): MappingIssue[] {
  return tryCompile(mapping, opts).issues;
}

/** Compiles and validates a mapping; throws MappingError listing every problem. */
export function compileMapping(mapping: unknown, opts: CompileOptions = {}): CompiledMapping {
  const r = tryCompile(mapping, opts);
  if (!r.compiled) throw new MappingError(r.issues);
  return r.compiled;
}

function tryCompile(mapping: unknown, opts: CompileOptions): { compiled?: CompiledMapping; issues: MappingIssue[] } {
  const parsed = templateMappingSchema.safeParse(mapping);
  if (!parsed.success) return { issues: parsed.error.issues.map((i) => ({ ...(i.path.length ? { field: i.path.join('.') } : {}), message: i.message })) };
  const m = parsed.data;
  const lookups = m.lookups ?? {};
  const issues: MappingIssue[] = [];
  const sections: CompiledMapping['sections'] = {};
  for (const section of MAPPING_SECTIONS) {
    const entries = m[section];
    if (!entries) continue;
    const known = fieldsFor(opts, section);
    const out: { field: string; template: CompiledTemplate }[] = [];
    for (const [field, source] of Object.entries(entries)) {
      const at = `${section}.${field}`;
      if (known && !known.includes(field)) issues.push({ field: at, message: `CRM 没有这个字段 / the CRM has no field "${field}"` });
      const { template, issues: ti } = compileTemplate(source, lookups);
      for (const message of ti) issues.push({ field: at, message });
      if (!template) continue;
      for (const v of template.variables) {
        const record = v.slice(0, v.indexOf('.'));
        if (!READABLE[section].includes(record)) issues.push({ field: at, message: `${v} 在同步${section}时不可用 / ${v} is not available when sending a ${section}` });
      }
      out.push({ field, template });
    }
    sections[section] = out;
  }
  return issues.length ? { issues } : { compiled: { sections, lookups }, issues };
}

/**
 * The CRM field values for one record. Empty results are left out: "no value" must not blank a
 * field the CRM already has (use `|default:'x'` to send something).
 */
export function applyMapping(compiled: CompiledMapping, ctx: MappingContext, section: MappingSection = 'customer'): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const { field, template } of compiled.sections[section] ?? []) {
    const v = renderTemplate(template, ctx, compiled.lookups);
    if (v !== '') out[field] = v;
  }
  return out;
}

/** Liaison field → the template that sends it unchanged (the first phone: CRMs keep one number per field). */
function templateOf(section: MappingSection, field: string): string {
  if (section === 'customer' && field === 'phones') return '{{customer.phone}}';
  return `{{${section}.${field}}}`;
}

/**
 * The templates equivalent to a CRM's field-name mapping (spec.defaultMapping overridden by the
 * connection's settings.mapping, as the adapters read it).
 */
export function defaultTemplates(fieldMapping: Partial<CrmMapping>): TemplateMapping {
  const out: TemplateMapping = {};
  for (const section of MAPPING_SECTIONS) {
    const names = fieldMapping[section] as Record<string, string | undefined> | undefined;
    if (!names) continue;
    const t: Record<string, string> = {};
    for (const [liaison, crm] of Object.entries(names)) if (crm) t[crm] = templateOf(section, liaison);
    out[section] = t;
  }
  return out;
}

/**
 * A connection's effective mapping: the defaults from its spec (and field-name overrides) with
 * the user's templates (connection.settings.templates) on top, field by field.
 */
export function effectiveMapping(connection: Pick<Connection, 'settings'>, spec: Pick<CrmSpec, 'defaultMapping'> | undefined): TemplateMapping {
  const names = connection.settings.mapping as Partial<CrmMapping> | undefined;
  const base = spec ? { ...spec.defaultMapping } : ({} as Partial<CrmMapping>);
  const merged: Partial<CrmMapping> = {};
  for (const s of MAPPING_SECTIONS) {
    const m = { ...(base[s] ?? {}), ...(names && typeof names === 'object' ? (names[s] ?? {}) : {}) };
    if (Object.keys(m).length) (merged as Record<string, unknown>)[s] = m;
  }
  const defaults = defaultTemplates(merged);
  const user = templateMappingSchema.safeParse(connection.settings.templates);
  const own = user.success ? user.data : {};
  const out: TemplateMapping = {};
  for (const s of MAPPING_SECTIONS) {
    const t = { ...(defaults[s] ?? {}), ...(own[s] ?? {}) };
    if (Object.keys(t).length) out[s] = t;
  }
  if (own.lookups) out.lookups = own.lookups;
  return out;
}
