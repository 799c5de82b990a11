// The lead review page, opened in a tab by the popup's "提取线索" or the context menu with the
// review id in the hash; without one it starts from a spreadsheet (a file or pasted rows).
// The picked leads go to the local CRM, or — 导入到 a connected table CRM — into the Bitable /
// NocoDB through the background's batch import, followed here until its report.
import Papa from 'papaparse';
import { readSheet } from 'read-excel-file/browser';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { LeadReview } from '@/components/leads/LeadReview';
import { leadTexts } from '@/components/leads/texts';
import { pickLocale } from '@/lib/i18n';
import { createPageT } from '@/lib/i18n/pages';
import { send } from '@/lib/messaging/client';
import type { LeadReview as Review } from '@/lib/leads/review';
import type { LeadImportResult } from '@/lib/leads/import';
import type { CrmImportJob, LeadTarget } from '@/lib/leads/crm-import';
import type { Settings } from '@/lib/model';
import { CrmJobView, LOCAL, SheetInput, TargetChoice } from './CrmImport';

const POLL_MS = 500;
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** A sheet's cells as text rows (the background finds the header row and the columns). */
async function readRows(file: File): Promise<string[][]> {
  if (/\.csv$/i.test(file.name) || file.type === 'text/csv') return parseText(await file.text());
  return (await readSheet(file)).map((r) => r.map((c) => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c))));
}
/** Pasted cells are tab-separated (Excel, WPS, Feishu sheets); a CSV text works too. */
function parseText(text: string): string[][] {
  return Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' }).data.slice(0, 1001).map((r) => r.slice(0, 60).map((c) => String(c).slice(0, 2000)));
}

function App() {
  const [reviewId, setReviewId] = useState(() => decodeURIComponent(location.hash.slice(1)));
  const [review, setReview] = useState<Review | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [targets, setTargets] = useState<LeadTarget[]>([]);
  const [target, setTarget] = useState(LOCAL);
  const [job, setJob] = useState<CrmImportJob | null>(null);
  const [now, setNow] = useState(Date.now());
  const [sheetBusy, setSheetBusy] = useState(false);
  const [sheetError, setSheetError] = useState<string | undefined>();
  const locale = pickLocale(settings?.language ?? 'auto', browser.i18n.getUILanguage());
  const lt = useMemo(() => leadTexts(locale === 'zh_CN' ? 'zh' : 'en'), [locale]);
  const t = useMemo(() => createPageT(locale), [locale]);

  const load = (id = reviewId) =>
    send('leads.review', { reviewId: id })
      .then(setReview)
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void send('settings.get', {}).then(setSettings).catch(() => undefined);
    void send('leads.targets', {})
      .then((r) => setTargets(r.targets))
      .catch(() => undefined);
    if (reviewId) void load();
    // A CRM import started before a reload of this page: follow it again.
    const last = sessionStorage.getItem(`crmJob:${reviewId}`);
    if (last) void follow(last).catch(() => undefined);
  }, []);

  /** Polls the background until the job is no longer running. */
  async function follow(jobId: string): Promise<CrmImportJob> {
    for (;;) {
      const j = await send('leads.job', { jobId });
      setJob(j);
      setNow(Date.now());
      if (j.state !== 'running') return j;
      await sleep(POLL_MS);
    }
  }

  async function fromSheet(title: string, rows: string[][]) {
    setSheetBusy(true);
    setSheetError(undefined);
    try {
      if (!rows.length) throw new Error(t('leadsCrm.sheet.empty'));
      const { reviewId: id } = await send('leads.sheet', { title, rows });
      location.hash = encodeURIComponent(id);
      setReviewId(id);
      await load(id);
    } catch (err) {
      setSheetError(err instanceof Error ? err.message : String(err));
    } finally {
      setSheetBusy(false);
    }
  }

  if (!reviewId) {
    return (
      <SheetInput
        t={t}
        busy={sheetBusy}
        error={sheetError}
        onFile={(file) => void readRows(file).then((rows) => fromSheet(file.name, rows), (err: Error) => setSheetError(err.message))}
        onPaste={(text) => void fromSheet(t('leadsCrm.sheet.pasted'), parseText(text))}
      />
    );
  }

  const running = job?.state === 'running';
  return (
    <>
      <LeadReview
        actions={<TargetChoice t={t} targets={targets} value={target} onChange={setTarget} disabled={running} />}
        t={lt}
        review={review}
        error={error}
        sources={settings?.sources ?? []}
        onImport={async ({ leads, source, keyword }) => {
          if (target === LOCAL) {
            const out = await send('leads.import', { reviewId, leads, source, keyword, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
            // Imported leads are customers now: the statuses change.
            await load();
            return out;
          }
          setJob(null);
          const { jobId } = await send('leads.toCrm', { reviewId, connectionId: target, leads, source, keyword });
          sessionStorage.setItem(`crmJob:${reviewId}`, jobId);
          const done = await follow(jobId);
          await load();
          if (done.state !== 'done' || !done.result) {
            throw new Error(done.error ? t('leadsCrm.failed', { reason: `${done.error.userMessage[locale]} (${done.error.message})` }) : t('leadsCrm.interrupted'));
          }
          return localSide(jobId, done);
        }}
      />
      {job && <CrmJobView t={t} job={job} now={now} />}
    </>
  );
}

/** The review's own result line, for the local side of a CRM import: customers created and linked. */
function localSide(jobId: string, job: CrmImportJob): LeadImportResult {
  const r = job.result!;
  return {
    plan: { skipped: [], failed: [] },
    result: { importId: jobId, counts: { created: r.local.created, merged: r.local.linked, skipped: r.counts.skipped, failed: r.counts.failed }, failed: [] },
    imported: r.local.created + r.local.linked,
  };
}

render(<App />, document.getElementById('root')!);
