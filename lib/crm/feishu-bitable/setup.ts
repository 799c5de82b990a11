// Making a Base ready: either create seed 000's three tables (客户信息表 / 跟进记录表 / 成交记录表,
// with their fields, options and the 客户ID links) in one call, or check existing tables by field
// name and report, clearly, what is missing or of the wrong type. Tables that already exist by
// name are reused, so running setup twice creates nothing twice.
// Docs: 新增数据表 POST /open-apis/bitable/v1/apps/:app_token/tables {table:{name, default_view_name, fields}};
// 列出字段 GET …/tables/:table_id/fields.
import { z } from 'zod';
import { appPath, call, type FeishuContext } from './client';
import { requireAppToken } from './config';
import { listFields } from './fields';
import { FT, RECOMMENDED_TABLES, compatibleTypes, type TableFieldSpec, type TableKey } from './schema';
import { listTables } from './tables';
import { toUuidV4 } from './uuid';
import { fieldNames, type FieldNames } from './values';

export interface FieldProblem {
  table: TableKey;
  tableName: string;
  field: string;
  expectedType: number;
  /** Present for a field of the wrong type. */
  actualType?: number;
  /** Without it the table can't be used (姓名/电话 for dedupe, the 客户ID link). */
  required: boolean;
}

export interface TablesReport {
  tables: Partial<Record<TableKey, string>>;
  /** Recommended tables this call created. */
  created: TableKey[];
  /** Fields this call added to tables it reused (ones Bitable fills itself, e.g. 最后更新时间). */
  addedFields: { table: TableKey; field: string }[];
  missing: FieldProblem[];
  incompatible: FieldProblem[];
  /** Every field is there with a usable type. */
  ok: boolean;
  /** No required field is missing or wrong: syncing works once omitFields is saved in the settings. */
  usable: boolean;
  /** Field names to store as settings.omit_fields so writes skip what the tables lack. */
  omitFields: string[];
  /** The customers table's code field (客户ID) is a Bitable 自动编号: Bitable allocates customer codes. */
  codeAuto: boolean;
}

const BACK_FIELD: Partial<Record<TableKey, string>> = { followUps: '跟进记录', deals: '成交记录' };
const created = z.object({ table_id: z.string().min(1) }).passthrough();
const fieldCreated = z.object({ field: z.object({ field_id: z.string().min(1), field_name: z.string() }).passthrough() }).passthrough();

function fieldBody(f: TableFieldSpec, table: TableKey, ids: Partial<Record<TableKey, string>>): Record<string, unknown> {
  const body: Record<string, unknown> = { field_name: f.name, type: f.type };
  if (f.options) body.property = { options: f.options.map((name) => ({ name })) };
  else if (f.linkTo) body.property = { table_id: ids[f.linkTo], multiple: true, ...(f.type === FT.duplexLink ? { back_field_name: BACK_FIELD[table] ?? RECOMMENDED_TABLES[table].name } : {}) };
  else if (f.property) body.property = f.property;
  return body;
}

function expectedName(names: FieldNames, table: TableKey, f: TableFieldSpec): string | undefined {
  if (f.fixedName) return f.name;
  const map = (table === 'customers' ? names.customer : table === 'followUps' ? names.followUp : names.deal) as Record<string, string | undefined>;
  return map[f.key];
}

async function checkTable(ctx: FeishuContext, key: TableKey, id: string, ids: Partial<Record<TableKey, string>>, signal?: AbortSignal) {
  const names = fieldNames({ ...ctx.config, omit_fields: [] });
  const actual = await listFields(ctx, id, signal);
  const missing: FieldProblem[] = [];
  const incompatible: FieldProblem[] = [];
  for (const spec of RECOMMENDED_TABLES[key].fields) {
    const name = expectedName(names, key, spec);
    if (!name) continue; // mapped away on purpose
    const problem = { table: key, tableName: RECOMMENDED_TABLES[key].name, field: name, expectedType: spec.type, required: spec.required === true };
    // A field Bitable fills (最后更新时间) may have any name: one of its type will do.
    const f = actual.find((x) => x.field_name === name) ?? (spec.fixedName ? actual.find((x) => x.type === spec.type) : undefined);
    if (!f) missing.push(problem);
    else if (!compatibleTypes(spec.type).includes(f.type)) incompatible.push({ ...problem, actualType: f.type });
    else if (spec.linkTo && ids[spec.linkTo] && f.property && f.property.table_id !== ids[spec.linkTo]) incompatible.push({ ...problem, actualType: f.type });
  }
  const code = key === 'customers' && names.customer.code ? actual.find((x) => x.field_name === names.customer.code) : undefined;
  return { missing, incompatible, codeAuto: code?.type === FT.autoNumber };
}

function report(tables: Partial<Record<TableKey, string>>, createdKeys: TableKey[], missing: FieldProblem[], incompatible: FieldProblem[], codeAuto: boolean, addedFields: TablesReport['addedFields'] = []): TablesReport {
  const problems = [...missing, ...incompatible];
  return {
    tables,
    created: createdKeys,
    addedFields,
    missing,
    incompatible,
    ok: problems.length === 0,
    usable: !problems.some((p) => p.required) && tables.customers !== undefined,
    omitFields: [...new Set(problems.map((p) => p.field))],
    codeAuto,
  };
}

/** Checks existing tables (ids from the user) by field name. */
export async function mapExistingTables(ctx: FeishuContext, ids: Partial<Record<TableKey, string>>, signal?: AbortSignal): Promise<TablesReport> {
  const missing: FieldProblem[] = [];
  const incompatible: FieldProblem[] = [];
  let codeAuto = false;
  for (const key of Object.keys(RECOMMENDED_TABLES) as TableKey[]) {
    const id = ids[key];
    if (!id) continue;
    const r = await checkTable(ctx, key, id, ids, signal);
    missing.push(...r.missing);
    incompatible.push(...r.incompatible);
    codeAuto ||= r.codeAuto;
  }
  return report(ids, [], missing, incompatible, codeAuto);
}

/** Creates whichever of the three recommended tables the Base lacks (customers first: the others link to it). */
export async function setupRecommendedTables(ctx: FeishuContext, signal?: AbortSignal): Promise<TablesReport> {
  const app = requireAppToken(ctx.config);
  const existing = await listTables(ctx, signal);
  const ids: Partial<Record<TableKey, string>> = {};
  const createdKeys: TableKey[] = [];
  const reused: TableKey[] = [];
  for (const key of ['customers', 'followUps', 'deals'] as const) {
    const spec = RECOMMENDED_TABLES[key];
    const found = existing.find((t) => t.name === spec.name);
    if (found) {
      ids[key] = found.table_id;
      reused.push(key);
      continue;
    }
    const data = await call(ctx, 'post', appPath(app, 'tables'), {
      json: { table: { name: spec.name, default_view_name: '全部', fields: spec.fields.map((f) => fieldBody(f, key, ids)) } },
      write: true,
      signal,
      data: created,
    });
    ids[key] = data.table_id;
    createdKeys.push(key);
  }
  const missing: FieldProblem[] = [];
  const incompatible: FieldProblem[] = [];
  // A customers table made now has the auto-numbered 客户ID; a reused one says what it has.
  let codeAuto = createdKeys.includes('customers') && RECOMMENDED_TABLES.customers.fields.some((f) => f.key === 'code' && f.type === FT.autoNumber);
  const added: TablesReport['addedFields'] = [];
  for (const key of reused) {
    const r = await checkTable(ctx, key, ids[key]!, ids, signal);
    // A Base made before a field Bitable fills itself was recommended: add it (no data changes).
    for (const p of r.missing) {
      const spec = RECOMMENDED_TABLES[key].fields.find((f) => f.addIfMissing && f.name === p.field);
      if (!spec) {
        missing.push(p);
        continue;
      }
      // The same client_token for the same table and field: a retried setup after a lost reply is replayed, not added twice.
      await call(ctx, 'post', appPath(app, 'tables', ids[key]!, 'fields'), {
        json: fieldBody(spec, key, ids),
        searchParams: { client_token: await toUuidV4(`setup-field|${app}|${ids[key]}|${spec.name}`) },
        write: true,
        signal,
        data: fieldCreated,
      });
      ctx.fieldLists.forget(ids[key]!);
      added.push({ table: key, field: spec.name });
    }
    incompatible.push(...r.incompatible);
    codeAuto ||= r.codeAuto;
  }
  ctx.tableIds = Promise.resolve(ids);
  return report(ids, createdKeys, missing, incompatible, codeAuto, added);
}
