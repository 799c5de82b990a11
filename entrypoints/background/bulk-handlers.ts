// Reports and bulk work: thin mappings onto lib/stats, lib/sheets and lib/customers/bulk.
import type { LiaisonDb } from '@/lib/db/db';
import type { Handler } from '@/lib/messaging/router';
import { MessageError } from '@/lib/messaging/router';
import { computeReport } from '@/lib/stats/report';
import { bulkUpdate, listCustomers, matchCustomerIds } from '@/lib/customers/bulk';
import { applyImport, planImport, undoImport, type ImportPlan } from '@/lib/sheets/import';
import { exportRows } from '@/lib/sheets/export';
import { getSettings } from '@/lib/settings/store';

type BulkTypes = 'report.compute' | 'customer.list' | 'customer.ids' | 'customer.bulkUpdate' | 'import.plan' | 'import.apply' | 'import.undo' | 'export.rows';

export function createBulkHandlers(deps: { db: LiaisonDb; now(): number; changed(tables: string[]): Promise<void> }): { [T in BulkTypes]: Handler<T> } {
  const { db, now } = deps;
  // Plans stay here between "preview" and "apply", so the page never sends back rows to write.
  // A restarted worker forgets them: the page then plans again (a clear error says so).
  const plans = new Map<string, ImportPlan>();
  return {
    async 'report.compute'({ from, to, tz }) {
      const s = await getSettings(db);
      return computeReport(db, { from, to, tz, stages: s.stages, products: s.products, now: now() });
    },
    async 'customer.list'(q) {
      return listCustomers(db, q);
    },
    async 'customer.ids'(q) {
      return { ids: await matchCustomerIds(db, q) };
    },
    async 'customer.bulkUpdate'({ ids, patch }) {
      const result = await bulkUpdate(db, ids, patch, now());
      await deps.changed(['customers', 'reminders', 'outbox']);
      return result;
    },
    async 'import.plan'({ sheet, mapping, tz }) {
      const plan = await planImport(db, sheet.rows, mapping, { tz, settings: await getSettings(db) });
      const planId = crypto.randomUUID();
      plans.clear(); // one import at a time
      plans.set(planId, plan);
      return { planId, plan };
    },
    async 'import.apply'({ planId }) {
      const plan = plans.get(planId);
      if (!plan) throw new MessageError('not-found', '导入预览已过期，请重新预览 / the import preview expired: preview again');
      plans.delete(planId);
      const result = await applyImport(db, plan, now());
      await deps.changed(['customers', 'reminders', 'outbox', 'identities']);
      return result;
    },
    async 'import.undo'({ importId }) {
      const result = await undoImport(db, importId, now());
      await deps.changed(['customers', 'reminders', 'outbox']);
      return result;
    },
    async 'export.rows'(o) {
      return exportRows(db, o);
    },
  };
}
