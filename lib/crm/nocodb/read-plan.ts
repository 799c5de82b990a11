// What reading customers (or every customer's follow-ups) back needs and nothing more: the
// table's id, its time columns, its primary key, the columns to ask for, and for follow-ups the
// column linking a row to its customer. Deriving it costs the base's table list and the table's
// metadata, two requests; the periodic pull runs in a service worker the alarm
// starts cold (MV3 stops it after 30 s idle), so without this every pull paid them again. The
// plan is kept in memory and in the connection's state (lib/crm/connection-state.ts, the kv
// table) and is rebuilt:
// - when the connection's settings that shape it change (host, base, customers table, mapping;
//   compared as a fingerprint that holds no secret),
// - when NocoDB refuses a query built from it (a column or table renamed or deleted in NocoDB's
//   own UI): forgotten, rebuilt from fresh metadata, and the request retried once,
// - after a day at the latest.
import { z } from 'zod';
import { CrmError } from '../errors';
import { readState } from '../connection-state';
import type { NocodbContext } from './client';
import { pkTitle } from './codes';
import { forgetMeta, tableMeta, type TableMeta } from './meta';
import { createdByColumns, systemTimes } from './read-values';
import { customerLinkColumn } from './linked';
import { tableId } from './tables';
import { fieldNames, type FieldNames } from './values';

const PLAN_MAX_AGE_MS = 24 * 60 * 60_000;
/** Titles that cannot be listed safely in a `fields`/`where` parameter. */
export const UNSAFE_TITLE = /[(),~]/;

export type PlanKey = 'customers' | 'followUps';
const STATE_KEY: Record<PlanKey, string> = { customers: 'read-plan', followUps: 'read-plan:followUps' };

const planSchema = z.object({
  table: z.string().min(1),
  pk: z.string().min(1),
  created: z.string().optional(),
  updated: z.string().optional(),
  /** The columns to ask for; absent = all (a title could not be listed safely). */
  fields: z.array(z.string()).optional(),
  /** Follow-ups: the belongs-to column holding the customer ({Id, …} in a row). */
  link: z.string().optional(),
  /** Follow-ups: columns of type CreatedBy the user added (the author when 跟进人 is empty). */
  createdBy: z.array(z.string()).optional(),
});
export type ReadPlan = z.infer<typeof planSchema>;

const storedSchema = z.object({ v: z.literal(1), fingerprint: z.string(), at: z.number(), plan: planSchema });

/** The columns to ask for: the given titles the table has, or undefined (all) when a title cannot be listed safely. */
export function fieldsParam(meta: TableMeta, titles: (string | undefined)[]): string[] | undefined {
  const have = new Set(meta.columns.map((c) => c.title));
  const wanted = [...new Set(titles.filter((t): t is string => !!t && have.has(t)))];
  return wanted.some((t) => UNSAFE_TITLE.test(t)) ? undefined : wanted;
}

export function planFromMeta(table: string, meta: TableMeta, names: FieldNames): ReadPlan {
  const t = systemTimes(meta);
  const pk = pkTitle(meta);
  const fields = fieldsParam(meta, [pk, t.created, t.updated, ...Object.values(names.customer)]);
  return { table, pk, ...t, ...(fields ? { fields } : {}) };
}

/** The follow-ups table's plan; unsupported when no single-valued link to the customers table says whose a row is. */
export function followUpPlanFromMeta(table: string, meta: TableMeta, customersTable: string, names: FieldNames): ReadPlan {
  const t = systemTimes(meta);
  const pk = pkTitle(meta);
  const link = customerLinkColumn(meta, customersTable);
  if (!link || (link.colOptions?.type !== 'bt' && link.colOptions?.type !== 'oo') || UNSAFE_TITLE.test(link.title)) {
    throw new CrmError('unsupported', 'NocoDB: the follow-ups table has no belongs-to link to the customers table to read all follow-ups by');
  }
  const createdBy = createdByColumns(meta).map((c) => c.title);
  const fields = fieldsParam(meta, [pk, t.created, t.updated, link.title, ...createdBy, ...Object.values(names.followUp)]);
  return { table, pk, ...t, link: link.title, ...(createdBy.length ? { createdBy } : {}), ...(fields ? { fields } : {}) };
}

/** Enough of the table's metadata for read-values.ts (its CreatedBy columns) from a plan. */
export function metaOfPlan(plan: ReadPlan): TableMeta {
  return { id: plan.table, title: '', columns: (plan.createdBy ?? []).map((title) => ({ id: title, title, uidt: 'CreatedBy' })) };
}

function fingerprint(ctx: NocodbContext, key: PlanKey): string {
  const c = ctx.config;
  const names = fieldNames(c);
  return JSON.stringify(
    key === 'customers'
      ? [c.baseUrl, c.base_id ?? '', c.customers_table ?? '', names.customer]
      : [c.baseUrl, c.base_id ?? '', c.customers_table ?? '', c.followups_table ?? '', names.followUp],
  );
}

/** The plan: from memory, else the connection's state when it is current, else built (2–3 requests) and kept. */
export async function readPlan(ctx: NocodbContext, signal?: AbortSignal, key: PlanKey = 'customers'): Promise<ReadPlan> {
  const fp = fingerprint(ctx, key);
  const held = ctx.plans?.[key];
  if (held && held.fingerprint === fp) return held.plan;
  const stored = ctx.state ? await readState(ctx.state, STATE_KEY[key], storedSchema) : undefined;
  const at = ctx.now();
  ctx.plans ??= {};
  if (stored && stored.fingerprint === fp && at - stored.at >= 0 && at - stored.at < PLAN_MAX_AGE_MS) {
    ctx.plans[key] = { fingerprint: fp, plan: stored.plan, stored: true };
    return stored.plan;
  }
  const customers = await tableId(ctx, 'customers', signal);
  const plan =
    key === 'customers'
      ? planFromMeta(customers, await tableMeta(ctx, customers, signal), fieldNames(ctx.config))
      : await (async () => {
          const table = await tableId(ctx, 'followUps', signal);
          return followUpPlanFromMeta(table, await tableMeta(ctx, table, signal), customers, fieldNames(ctx.config));
        })();
  ctx.plans[key] = { fingerprint: fp, plan, stored: false };
  // Best effort: a failed write only costs the next cold worker two requests.
  await ctx.state?.set(STATE_KEY[key], { v: 1, fingerprint: fp, at, plan } satisfies z.input<typeof storedSchema>).catch(() => undefined);
  return plan;
}

/** Forget the plan and what it was built from (table ids, the table's columns). */
export async function forgetPlan(ctx: NocodbContext, key: PlanKey = 'customers'): Promise<void> {
  const table = ctx.plans?.[key]?.plan.table;
  if (ctx.plans) delete ctx.plans[key];
  ctx.tableIds = undefined;
  if (table) forgetMeta(ctx, table);
  await ctx.state?.delete(STATE_KEY[key]).catch(() => undefined);
}

/**
 * NocoDB's refusals of a query naming a column or table it no longer has (a 4xx it sent: "Column
 * alias 'x' not found.", "Table 'm…' not found"), not a missing record, a refused offset, or a
 * reply we could not read (those carry no status).
 */
function isStaleShape(e: unknown): boolean {
  if (!(e instanceof CrmError) || e.status === undefined || e.status < 400 || e.status >= 500) return false;
  if (e.kind !== 'validation' && e.kind !== 'not-found') return false;
  const detail = e.message.replace(/^NocoDB \S+: /, ''); // refine() prefixes the path, which names "records"
  return /\b(table|model|column|field|alias)\b/i.test(detail) && !/offset|record '/i.test(detail);
}

/**
 * Runs `fn` with the plan; when NocoDB refuses a request built from a plan that did not come
 * from fresh metadata, rebuilds the plan and tries once more.
 */
export async function withReadPlan<T>(ctx: NocodbContext, signal: AbortSignal | undefined, fn: (plan: ReadPlan) => Promise<T>, key: PlanKey = 'customers'): Promise<T> {
  const plan = await readPlan(ctx, signal, key);
  const fresh = ctx.plans?.[key]?.stored === false;
  try {
    return await fn(plan);
  } catch (e) {
    if (fresh || !isStaleShape(e)) throw e;
    await forgetPlan(ctx, key);
    return fn(await readPlan(ctx, signal, key));
  }
}
