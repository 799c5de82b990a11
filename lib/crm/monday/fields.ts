// listFields: the boards' own columns for the mapping editor (customers → customer, deals →
// deal), writable types only, minus Liaison's own. Follow-ups are updates: no fields.
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList } from '../port';
import { board } from './boards';
import type { MondayContext } from './client';
import { reservedColumn } from './items';
import type { Board } from './objects';
import { WRITABLE_TYPES } from './values';

function labelsOf(settings: unknown): string[] {
  const s = typeof settings === 'string' ? (() => { try { return JSON.parse(settings) as unknown; } catch { return undefined; } })() : settings;
  if (!s || typeof s !== 'object') return [];
  const labels = (s as { labels?: unknown }).labels;
  if (Array.isArray(labels)) return labels.map((l) => (typeof l === 'string' ? l : (l as { label?: string; name?: string })?.label ?? (l as { name?: string })?.name)).filter((l): l is string => typeof l === 'string' && !!l);
  if (labels && typeof labels === 'object') return Object.values(labels as Record<string, unknown>).filter((l): l is string => typeof l === 'string' && !!l);
  return [];
}

function fields(b: Board): CrmField[] {
  return b.columns
    .filter((c) => (WRITABLE_TYPES as readonly string[]).includes(c.type) && !reservedColumn(c))
    .map((c) => {
      const options = c.type === 'status' || c.type === 'dropdown' ? labelsOf(c.settings) : [];
      return { name: c.title, label: c.title, type: c.type, ...(options.length ? { options } : {}) };
    });
}

export async function listFields(ctx: MondayContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const out: CrmFieldList = { customer: fields(await board(ctx, 'customers', signal)), followUp: [] };
  if (ctx.config.boards.deals) {
    try {
      out.deal = fields(await board(ctx, 'deals', signal));
    } catch (e) {
      if (!(e instanceof CrmError && (e.kind === 'not-found' || e.kind === 'auth'))) throw e;
    }
  }
  return out;
}
