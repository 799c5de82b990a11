// Codes unique across a team (issue 15 item 6). The recommended 客户 table's 客户编号 is a Formula
// on the row id, CONCAT("KH", …{Id}…) → KH000001 (schema.ts): NocoDB allocates the Id, so two
// browsers creating at once get distinct codes, and nobody (Liaison included) can write the
// column. An insert answers only {"Id": n}, so the allocated code — and the row's created time,
// its first marker — are read back with one list request per ≤100 rows: (Id,in,1,2,…).
//
// Why not an AutoNumber column: on 0.301.3 with SQLite (checked 2026-12-06) the meta API creates
// it as a plain nullable integer: NULL on insert, and any value written is stored.
// Caveat (SQLite, sqlite.org/autoinc.html): NocoDB's Id is an INTEGER PRIMARY KEY without
// AUTOINCREMENT, so after the NEWEST row is deleted its Id — and so its code — is given to the
// next row. Deleting any other row never frees its number.
import { CrmError } from '../errors';
import type { NocodbContext } from './client';
import { isTrue, type TableMeta } from './meta';
import { listRows } from './records';
import { modifiedAt, systemTimes } from './read-values';
import { rowId } from './values';

export interface ReadBack {
  code?: string;
  marker?: string;
}

/** The primary key's title ("Id" on tables NocoDB made). */
export function pkTitle(meta: TableMeta): string {
  return meta.columns.find((c) => isTrue(c.pk))?.title ?? 'Id';
}

/**
 * The allocated code and marker of rows just inserted, by Id. A failed read-back is not the
 * write's failure: the rows exist, and the next read of each customer brings its code. So a
 * CrmError here leaves the map short (an abort still throws).
 */
export async function readBackCodes(ctx: NocodbContext, table: string, meta: TableMeta, codeTitle: string, ids: string[], signal?: AbortSignal): Promise<Map<string, ReadBack>> {
  const out = new Map<string, ReadBack>();
  const pk = pkTitle(meta);
  const times = systemTimes(meta);
  const numeric = ids.filter((id) => /^\d+$/.test(id));
  for (let i = 0; i < numeric.length; i += 100) {
    const chunk = numeric.slice(i, i + 100);
    try {
      const { rows } = await listRows(ctx, table, {
        where: `(${pk},in,${chunk.join(',')})`,
        fields: [pk, codeTitle, ...[times.created, times.updated].filter((x): x is string => !!x)],
        limit: 100,
        signal,
      });
      for (const r of rows) {
        const id = rowId(r);
        if (!id) continue;
        const code = r[codeTitle];
        const at = modifiedAt(r, times);
        out.set(id, { ...(typeof code === 'string' && code ? { code } : typeof code === 'number' ? { code: String(code) } : {}), ...(at !== undefined ? { marker: String(at) } : {}) });
      }
    } catch (e) {
      if (!(e instanceof CrmError) || signal?.aborted) throw e;
    }
  }
  return out;
}
