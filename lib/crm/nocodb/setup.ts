// Making a base ready: create the three recommended tables (客户 / 跟进记录 / 成交记录, their
// columns with NocoDB types and select options, 客户编号 as a Formula on the row id (codes.ts),
// and the links from 客户 to the other two), or
// check tables the user already has by column title and report clearly what is missing or of a
// type Liaison cannot write. Tables that exist by title are reused, so setup twice creates nothing twice.
// Docs: POST /api/v2/meta/bases/{baseId}/tables {table_name,title,columns}; POST
// /api/v2/meta/tables/{id}/columns {uidt:'Links', parentId, childId, type:'hm'} (checked on 0.301.3:
// the child table gets a belongs-to column titled after the parent, here 客户).
import { z } from 'zod';
import { CrmError } from '../errors';
import { call, seg, type NocodbContext } from './client';
import { requireBaseId } from './config';
import { customerLinkColumn } from './linked';
import { forgetMeta, listTables, tableMeta } from './meta';
import { compatibleTypes, RECOMMENDED_TABLES, type ColumnSpec, type TableKey } from './schema';
import { allocatedCodeColumn, fieldNames, type FieldNames } from './values';

export interface ColumnProblem {
  table: TableKey;
  tableTitle: string;
  column: string;
  expectedType: string;
  /** Present for a column of the wrong type. */
  actualType?: string;
  /** The table is unusable without it (姓名/电话 for dedupe, 记录ID, the 客户 link). */
  required: boolean;
}

export interface TablesReport {
  tables: Partial<Record<TableKey, string>>;
  created: TableKey[];
  missing: ColumnProblem[];
  incompatible: ColumnProblem[];
  ok: boolean;
  usable: boolean;
  /** Column titles to store as settings.omit_fields so writes skip what the tables lack. */
  omitFields: string[];
  /** NocoDB allocates 客户编号 (a Formula / AutoNumber column): its codes are the customers' (codeMaster). */
  codeAllocated: boolean;
}

const LINK_FROM_CUSTOMERS: Record<Exclude<TableKey, 'customers'>, string> = { followUps: '跟进记录', deals: '成交记录' };
const createdTable = z.object({ id: z.string().min(1) }).loose();

function expectedTitle(names: FieldNames, table: TableKey, c: ColumnSpec): string | undefined {
  const map = (table === 'customers' ? names.customer : table === 'followUps' ? names.followUp : names.deal) as Record<string, string | undefined>;
  return map[c.key];
}

function columnBody(names: FieldNames, table: TableKey, c: ColumnSpec): Record<string, unknown> | undefined {
  const title = expectedTitle(names, table, c);
  if (!title) return undefined;
  if (c.formula) return { title, uidt: 'Formula', formula_raw: c.formula };
  return {
    // Physical names stay ASCII (SQL identifiers); users see the title.
    column_name: c.key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`),
    title,
    uidt: c.uidt,
    ...(c.options ? { colOptions: { options: c.options.map((t) => ({ title: t })) } } : {}),
    ...(c.pv ? { pv: true } : {}),
  };
}

async function checkTable(ctx: NocodbContext, key: TableKey, id: string, customersId: string | undefined, signal?: AbortSignal) {
  const names = fieldNames({ ...ctx.config, omit_fields: [] });
  const meta = await tableMeta(ctx, id, signal);
  const tableTitle = RECOMMENDED_TABLES[key].title;
  const missing: ColumnProblem[] = [];
  const incompatible: ColumnProblem[] = [];
  for (const spec of RECOMMENDED_TABLES[key].columns) {
    const title = expectedTitle(names, key, spec);
    if (!title) continue; // mapped away on purpose
    const problem = { table: key, tableTitle, column: title, expectedType: spec.uidt, required: spec.required === true };
    const col = meta.columns.find((c) => c.title === title);
    if (!col) missing.push(problem);
    else if (!compatibleTypes(spec.uidt).includes(col.uidt)) incompatible.push({ ...problem, actualType: col.uidt });
  }
  if (key !== 'customers' && customersId && !customerLinkColumn(meta, customersId)) {
    missing.push({ table: key, tableTitle, column: '客户', expectedType: 'Links', required: true });
  }
  return { missing, incompatible, codeAllocated: key === 'customers' && allocatedCodeColumn(meta, names) !== undefined };
}

function report(tables: Partial<Record<TableKey, string>>, created: TableKey[], missing: ColumnProblem[], incompatible: ColumnProblem[], codeAllocated: boolean): TablesReport {
  const problems = [...missing, ...incompatible];
  return {
    tables,
    created,
    missing,
    incompatible,
    ok: problems.length === 0,
    usable: !problems.some((p) => p.required) && tables.customers !== undefined,
    omitFields: [...new Set(problems.filter((p) => p.expectedType !== 'Links').map((p) => p.column))],
    codeAllocated,
  };
}

async function addColumn(ctx: NocodbContext, table: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
  try {
    await call(ctx, 'post', `api/v2/meta/tables/${seg(table)}/columns`, { json: body, write: true, signal });
  } catch (e) {
    // A schema change that failed late may still have happened: the check afterwards decides.
    if (!(e instanceof CrmError) || e.kind !== 'unknown-outcome') throw e;
  }
}

/** Checks the user's own tables (ids from the settings) by column title. */
export async function mapExistingTables(ctx: NocodbContext, ids: Partial<Record<TableKey, string>>, signal?: AbortSignal): Promise<TablesReport> {
  const missing: ColumnProblem[] = [];
  const incompatible: ColumnProblem[] = [];
  let codeAllocated = false;
  for (const key of Object.keys(RECOMMENDED_TABLES) as TableKey[]) {
    const id = ids[key];
    if (!id) continue;
    forgetMeta(ctx, id); // the user may just have fixed the table: read it fresh
    const r = await checkTable(ctx, key, id, ids.customers, signal);
    missing.push(...r.missing);
    incompatible.push(...r.incompatible);
    codeAllocated ||= r.codeAllocated;
  }
  return report(ids, [], missing, incompatible, codeAllocated);
}

/** Creates whichever recommended tables the base lacks (customers first: the others link to it), and the links. */
export async function setupRecommendedTables(ctx: NocodbContext, signal?: AbortSignal): Promise<TablesReport> {
  const base = requireBaseId(ctx.config);
  const names = fieldNames({ ...ctx.config, omit_fields: [] });
  const existing = await listTables(ctx, signal);
  const ids: Partial<Record<TableKey, string>> = {};
  const created: TableKey[] = [];
  for (const key of ['customers', 'followUps', 'deals'] as const) {
    const spec = RECOMMENDED_TABLES[key];
    const found = existing.find((t) => t.title === spec.title);
    if (found) {
      ids[key] = found.id;
      continue;
    }
    const t = await call(ctx, 'post', `api/v2/meta/bases/${seg(base)}/tables`, {
      json: { table_name: spec.tableName, title: spec.title, columns: spec.columns.filter((c) => !c.formula).map((c) => columnBody(names, key, c)).filter(Boolean) },
      write: true,
      signal,
      schema: createdTable,
    });
    ids[key] = t.id;
    created.push(key);
  }
  const customers = ids.customers!;
  // Formula columns (客户编号) once the table exists; also on a table found by title that lacks the
  // column altogether (never on one that has it under another type: that would lose its values).
  for (const key of ['customers', 'followUps', 'deals'] as const) {
    const formulas = RECOMMENDED_TABLES[key].columns.filter((c) => c.formula);
    if (!formulas.length) continue;
    const id = ids[key]!;
    forgetMeta(ctx, id);
    const meta = await tableMeta(ctx, id, signal);
    for (const c of formulas) {
      const body = columnBody(names, key, c);
      if (!body || meta.columns.some((x) => x.title === body.title)) continue;
      await addColumn(ctx, id, body, signal);
    }
    forgetMeta(ctx, id);
  }
  for (const key of ['followUps', 'deals'] as const) {
    const id = ids[key]!;
    forgetMeta(ctx, id);
    if (customerLinkColumn(await tableMeta(ctx, id, signal), customers)) continue;
    await addColumn(ctx, customers, { title: LINK_FROM_CUSTOMERS[key], uidt: 'Links', parentId: customers, childId: id, type: 'hm' }, signal);
    forgetMeta(ctx, id);
    forgetMeta(ctx, customers);
  }
  const missing = [];
  const incompatible = [];
  let codeAllocated = false;
  for (const key of ['customers', 'followUps', 'deals'] as const) {
    const r = await checkTable(ctx, key, ids[key]!, customers, signal);
    missing.push(...r.missing);
    incompatible.push(...r.incompatible);
    codeAllocated ||= r.codeAllocated;
  }
  ctx.tableIds = Promise.resolve(ids);
  return report(ids, created, missing, incompatible, codeAllocated);
}
