// 导入到 飞书多维表格 / NocoDB from the lead review page: the targets, the import as a background
// job the page follows (n / total, "限流，将在 N 秒后重试", the report), and the adapters it runs
// on. An adapter instance built here shares its connection's rate limiter and token cache with
// the sync worker's (both are kept per connection id), so the import and the outbox never
// exceed the CRM's limits together. The job lives in memory while it runs (the page's polling
// keeps the worker awake); its start and its end are kept in kv, so a page reopened after the
// worker restarted learns that the import was interrupted — a re-run then finds what was
// written as duplicates in the CRM and only links them.
import type { LiaisonDb } from '@/lib/db/db';
import type { Handler } from '@/lib/messaging/router';
import { MessageError } from '@/lib/messaging/router';
import type { Connection } from '@/lib/model';
import { LOCAL_CONNECTION_ID } from '@/lib/model';
import { adapterFor } from '@/lib/crm/adapters';
import { CrmError } from '@/lib/crm/errors';
import { findSpec } from '@/lib/crm/registry';
import type { Localized } from '@/lib/crm/spec';
import { mergeSecrets } from '@/lib/connections/oauth';
import { REVIEW_KEY_PREFIX, type PageLeadsInput } from '@/lib/leads/review';
import { asLeadImporter, runCrmImport, type CrmImportJob, type LeadImporter, type LeadTarget } from '@/lib/leads/crm-import';

type Types = 'leads.targets' | 'leads.toCrm' | 'leads.job';

const JOB_KEY_PREFIX = 'leadImportJob:';
/** Finished jobs kept for a page that comes back to them. */
const KEEP_JOBS = 20;

export interface LeadCrmDeps {
  db: LiaisonDb;
  now(): number;
  changed(tables: string[]): Promise<void>;
  /** The connection's lead importer (tests hand in one on an emulator); default: its adapter with stored secrets. */
  importerFor?(connection: Connection): Promise<LeadImporter | undefined>;
}

export function createLeadCrmHandlers(deps: LeadCrmDeps): { [T in Types]: Handler<T> } {
  const { db, now } = deps;
  const running = new Map<string, CrmImportJob>();

  const importerFor =
    deps.importerFor ??
    (async (connection: Connection) => {
      const secrets = (await db.secrets.get(connection.id))?.value ?? {};
      const onSecrets = async (patch: Record<string, string>) => void (await mergeSecrets(db, connection.id, patch));
      return asLeadImporter(adapterFor(connection.kind, { db, connection, secrets, now, onSecrets }));
    });

  const vendorOf = (c: Connection): Localized => findSpec(c.kind)?.names ?? { zh_CN: c.kind, en: c.kind };

  async function targets(): Promise<LeadTarget[]> {
    const out: LeadTarget[] = [];
    for (const c of await db.connections.toArray()) {
      if (!c.enabled || c.id === LOCAL_CONNECTION_ID || c.kind === 'local') continue;
      if (!(await importerFor(c))) continue;
      out.push({ connectionId: c.id, kind: c.kind, name: c.name, vendor: vendorOf(c) });
    }
    return out;
  }

  async function persist(job: CrmImportJob) {
    await db.kv.put({ key: JOB_KEY_PREFIX + job.jobId, value: structuredClone(job) });
    const all = await db.kv.where('key').startsWith(JOB_KEY_PREFIX).toArray();
    if (all.length <= KEEP_JOBS) return;
    const oldest = all.sort((a, b) => ((a.value as CrmImportJob).startedAt ?? 0) - ((b.value as CrmImportJob).startedAt ?? 0));
    await db.kv.bulkDelete(oldest.slice(0, all.length - KEEP_JOBS).map((r) => r.key).filter((k) => !running.has(k.slice(JOB_KEY_PREFIX.length))));
  }

  return {
    async 'leads.targets'() {
      return { targets: await targets() };
    },

    async 'leads.toCrm'({ reviewId, connectionId, leads, source, keyword }) {
      const stored = (await db.kv.get(REVIEW_KEY_PREFIX + reviewId))?.value as { page: PageLeadsInput } | undefined;
      if (!stored) throw new MessageError('not-found', '线索列表已过期，请重新提取 / the lead list expired: extract again');
      const connection = await db.connections.get(connectionId);
      if (!connection?.enabled) throw new MessageError('not-found', `没有这个已启用的 CRM 连接 / no such enabled CRM connection: ${connectionId}`);
      const importer = await importerFor(connection);
      if (!importer) throw new MessageError('invalid', `${vendorOf(connection).zh_CN} 不支持批量导入线索 / ${vendorOf(connection).en} cannot import leads`);

      const jobId = crypto.randomUUID();
      const job: CrmImportJob = {
        jobId,
        connectionId,
        connectionName: connection.name,
        vendor: vendorOf(connection),
        state: 'running',
        startedAt: now(),
        progress: { done: 0, total: leads.length, synced: 0, skipped: 0, failed: 0 },
      };
      running.set(jobId, job);
      await persist(job);
      const input = { leads, ...(source ? { source } : {}), ...(keyword ? { keyword } : {}), ...(stored.page.url ? { pageUrl: stored.page.url } : {}) };
      // Runs on after the reply: the page follows it with leads.job.
      void (async () => {
        // The page sees the end only once the data it will reload is written and announced.
        let outcome: 'done' | 'failed' = 'failed';
        try {
          job.result = await runCrmImport(db, importer, connection, input, {
            now,
            importId: jobId,
            onProgress: (p) => {
              job.progress = p;
              delete job.waiting;
            },
            onWait: (w) => {
              job.waiting = { until: now() + w.ms, kind: w.kind, step: w.step };
            },
          });
          outcome = 'done';
        } catch (e) {
          outcome = 'failed';
          job.error =
            e instanceof CrmError
              ? { message: e.message.slice(0, 500), userMessage: e.userMessage }
              : { message: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 500) : 'error', userMessage: { zh_CN: '导入失败', en: 'The import failed' } };
        } finally {
          delete job.waiting;
          await deps.changed(['customers', 'links', 'outbox', 'identities', 'reminders']).catch(() => undefined);
          job.state = outcome;
          await persist(job).catch(() => undefined);
          running.delete(jobId);
        }
      })();
      return { jobId };
    },

    async 'leads.job'({ jobId }) {
      const live = running.get(jobId);
      if (live) return structuredClone(live);
      const kept = (await db.kv.get(JOB_KEY_PREFIX + jobId))?.value as CrmImportJob | undefined;
      if (!kept) throw new MessageError('not-found', `没有这个导入任务 / no such import: ${jobId}`);
      // Kept as running but not running here: the worker that ran it was stopped.
      return kept.state === 'running' ? { ...kept, state: 'interrupted' as const } : kept;
    },
  };
}
