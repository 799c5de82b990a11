// The review page's side of 导入到 a table CRM, through the background's handlers: which
// connections are offered, the import as a job followed to its report, a job whose worker was
// stopped reported as interrupted, and a content script refused.
import { describe, expect, it, vi } from 'vitest';
import { createRouter, type SenderInfo } from '../../../lib/messaging/router';
import { createHandlers, type HandlerDeps } from '../../../entrypoints/background/handlers';
import { createLeadCrmHandlers } from '../../../entrypoints/background/lead-import';
import type { CrmImportJob } from '../../../lib/leads/crm-import';
import { REVIEW_KEY_PREFIX } from '../../../lib/leads/review';
import type { Connection } from '../../../lib/model';
import { useDb } from '../customers/helpers';
import { readyHarness } from '../contract/feishu/helpers';

const t = useDb();
const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const page: SenderInfo = { id: EXT_ID, url: `${ORIGIN}leads.html` };
const chatTab: SenderInfo = { id: EXT_ID, url: 'https://web.whatsapp.com/', tab: { id: 7, url: 'https://web.whatsapp.com/' } };
const NOW = Date.UTC(2026, 11, 6, 3);

const conn = (over: Partial<Connection>): Connection => ({ id: 'x', kind: 'feishu-bitable', name: 'x', enabled: true, settings: {}, createdAt: 0, ...over });

function route() {
  const deps = { db: t.db, now: () => NOW, changed: vi.fn(async () => undefined) } as unknown as HandlerDeps;
  return createRouter(createHandlers(deps), { extensionId: EXT_ID, extensionOrigin: ORIGIN, siteForUrl: (u) => (u.startsWith('https://web.whatsapp.com/') ? 'whatsapp' : undefined) });
}

const pageLeads = { url: 'https://www.baidu.com/s?wd=x', title: '搜索', candidates: [] };
const picked = [
  { name: '刘经理', phones: ['+8613810012001'] },
  { name: '陈老师', phones: [], wechatId: 'chen_loan2026' },
];

describe('leads → table CRM handlers', () => {
  it('offers the enabled table CRMs that import leads, named as the user named them', async () => {
    await t.db.connections.bulkAdd([
      conn({ id: 'f1', kind: 'feishu-bitable', name: '销售线索表' }),
      conn({ id: 'n1', kind: 'nocodb', name: '团队库' }),
      conn({ id: 'h1', kind: 'hubspot', name: 'HubSpot' }),
      conn({ id: 'f2', kind: 'feishu-bitable', name: '停用的', enabled: false }),
      conn({ id: 'local', kind: 'local', name: '本地' }),
    ]);
    const r = await route()({ liaison: 1, type: 'leads.targets', payload: {} }, page);
    expect(r).toMatchObject({ ok: true });
    const targets = (r as { data: { targets: { connectionId: string; name: string; vendor: { zh_CN: string } }[] } }).data.targets;
    expect(targets.map((x) => [x.connectionId, x.vendor.zh_CN, x.name])).toEqual([
      ['f1', '飞书多维表格', '销售线索表'],
      ['n1', 'NocoDB', '团队库'],
    ]);
  });

  it('a chat page cannot start an import', async () => {
    const r = await route()({ liaison: 1, type: 'leads.toCrm', payload: { reviewId: 'r', connectionId: 'f1', leads: picked } }, chatTab);
    expect(r).toMatchObject({ ok: false });
  });

  it('runs the import as a job the page follows to its report, and tells a page whose worker was stopped that it was interrupted', { timeout: 30_000 }, async () => {
    const h = await readyHarness();
    const feishu = conn({ id: h.connectionId, name: '销售线索表' });
    await t.db.connections.add(feishu);
    await t.db.kv.put({ key: REVIEW_KEY_PREFIX + 'rev-1', value: { page: pageLeads, at: NOW } });
    const changed = vi.fn(async () => undefined);
    const handlers = createLeadCrmHandlers({ db: t.db, now: () => NOW, changed, importerFor: async (c) => (c.id === h.connectionId ? h.adapter : undefined) });
    const ctx = { context: 'page' as const };

    const { jobId } = await handlers['leads.toCrm']({ reviewId: 'rev-1', connectionId: h.connectionId, leads: picked, source: '百度' }, ctx);
    let job: CrmImportJob;
    for (;;) {
      job = await handlers['leads.job']({ jobId }, ctx);
      if (job.state !== 'running') break;
      await new Promise((ok) => setTimeout(ok, 20));
    }
    expect(job).toMatchObject({ state: 'done', connectionName: '销售线索表', vendor: { zh_CN: '飞书多维表格' }, progress: { done: 2, total: 2 } });
    expect(job.waiting).toBeUndefined();
    expect(job.result?.counts).toEqual({ total: 2, synced: 1, skipped: 1, failed: 0 });
    expect(h.emu.control.records(h.app, h.ids.customers).map((r) => r.fields.备注)).toEqual(['https://www.baidu.com/s?wd=x']);
    expect(changed).toHaveBeenCalledWith(expect.arrayContaining(['customers', 'links', 'outbox']));

    // A worker started afresh has no job running: the one kept as running was interrupted.
    await t.db.kv.put({ key: `leadImportJob:${jobId}-stale`, value: { ...job, jobId: `${jobId}-stale`, state: 'running', result: undefined } });
    const fresh = createLeadCrmHandlers({ db: t.db, now: () => NOW, changed });
    expect((await fresh['leads.job']({ jobId: `${jobId}-stale` }, ctx)).state).toBe('interrupted');
    expect((await fresh['leads.job']({ jobId }, ctx)).state).toBe('done');
  });

  it('refuses an expired review, a missing or paused connection, and a CRM that cannot import leads', async () => {
    await t.db.connections.bulkAdd([conn({ id: 'h1', kind: 'hubspot' }), conn({ id: 'f2', enabled: false })]);
    const handlers = createLeadCrmHandlers({ db: t.db, now: () => NOW, changed: async () => undefined });
    const ctx = { context: 'page' as const };
    await expect(handlers['leads.toCrm']({ reviewId: 'gone', connectionId: 'h1', leads: picked }, ctx)).rejects.toThrow(/expired/);
    await t.db.kv.put({ key: REVIEW_KEY_PREFIX + 'rev', value: { page: pageLeads, at: NOW } });
    await expect(handlers['leads.toCrm']({ reviewId: 'rev', connectionId: 'f2', leads: picked }, ctx)).rejects.toThrow(/no such enabled/);
    await expect(handlers['leads.toCrm']({ reviewId: 'rev', connectionId: 'h1', leads: picked }, ctx)).rejects.toThrow(/cannot import leads/);
  });
});
