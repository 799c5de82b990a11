// Seed 000's sync algorithm (shared/seeds/000, SyncService.sync_lead_to_feishu / sync_batch),
// ported faithfully to TypeScript against the same Feishu emulator API: one token request, then
// for each lead, strictly one after the other, one records/search for 电话 "is" the lead's phone
// as typed (no normalization), and, when nothing is found, one records create. Like the seed it
// does not look at the reply's code: a record id means synced, none means failed; a thrown
// error means failed.
//
// Two adaptations, both in the seed's favour and neither changing its request pattern:
// - the seed's query_records used the older GET-with-filter list call; the emulator (like
//   current Feishu) serves filtering through POST …/records/search, so that is used;
// - the seed wrote 创建时间 as a 'YYYY-MM-DD HH:MM' string, which a Bitable datetime field
//   rejects (1254064); it is sent as epoch ms so that creates can succeed at all.
// Connections are kept alive (Node's fetch), which is also kinder than requests.post's
// per-call connection.

export interface SeedLead {
  name?: string;
  phone: string;
  source?: string;
  intentLevel?: string;
  content?: string;
  keywords?: string[];
}

export interface SeedSyncResult {
  synced: number;
  skipped: number;
  failed: number;
  requests: number;
  ms: number;
}

export async function seed000SyncBatch(o: { baseUrl: string; appId: string; appSecret: string; appToken: string; tableId: string; leads: SeedLead[]; now?: () => number }): Promise<SeedSyncResult> {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  let requests = 0;
  const base = `${o.baseUrl}/open-apis`;
  const post = async (url: string, body: unknown, token?: string): Promise<unknown> => {
    requests += 1;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return res.json();
  };

  // get_access_token(): once, before the batch.
  const auth = (await post(`${base}/auth/v3/tenant_access_token/internal`, { app_id: o.appId, app_secret: o.appSecret })) as { tenant_access_token?: string };
  const token = auth.tenant_access_token ?? '';
  const records = `${base}/bitable/v1/apps/${o.appToken}/tables/${o.tableId}/records`;

  let synced = 0;
  let skipped = 0;
  let failed = 0;
  for (const lead of o.leads) {
    try {
      // query_records(table, {"conjunction": "and", "conditions": [电话 is lead['phone']]})
      const found = (await post(`${records}/search`, { filter: { conjunction: 'and', conditions: [{ field_name: '电话', operator: 'is', value: [lead.phone] }] } }, token)) as {
        data?: { items?: unknown[] };
      };
      if ((found.data?.items ?? []).length > 0) {
        skipped += 1;
        continue;
      }
      const fields = {
        姓名: lead.name || '客户',
        电话: lead.phone ?? '',
        来源渠道: lead.source ?? '搜索',
        意向等级: lead.intentLevel ?? '中',
        备注: (lead.content ?? '').slice(0, 500),
        搜索关键词: (lead.keywords ?? []).join(','),
        贷款状态: '新客户',
        创建时间: Date.now(),
        同步状态: '已同步',
      };
      // create_record returns resp.json()["data"]["record"]["id"]; None counts as failed.
      const created = (await post(records, { fields }, token)) as { data?: { record?: { id?: string } } };
      if (created.data?.record?.id) synced += 1;
      else failed += 1;
    } catch {
      failed += 1;
    }
  }
  return { synced, skipped, failed, requests, ms: now() - t0 };
}
