// The review page's 导入到 choice (本地 / 飞书多维表格 <connection> / NocoDB <connection>) and a
// CRM import's progress and report. Pure: data and callbacks in, no messaging or browser APIs.
import { useRef } from 'preact/hooks';
import type { MessageKey, T } from '@/lib/i18n';
import type { CrmImportJob, CrmImportRow, LeadTarget } from '@/lib/leads/crm-import';
import { Name } from '@/components/shared/Name';

export const LOCAL = 'local';

export function TargetChoice({ t, targets, value, onChange, disabled }: { t: T; targets: readonly LeadTarget[]; value: string; onChange(v: string): void; disabled?: boolean }) {
  const chosen = targets.find((x) => x.connectionId === value);
  return (
    <div class="lzl-controls" data-testid="lead-target-bar">
      <label>
        {t('leadsCrm.target')}{' '}
        <select data-testid="lead-target" value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value={LOCAL}>{t('leadsCrm.local')}</option>
          {targets.map((x) => (
            <option key={x.connectionId} value={x.connectionId}>
              {t('leadsCrm.option', { vendor: x.vendor[t.locale], name: x.name })}
            </option>
          ))}
        </select>
      </label>
      <span class="lzl-hint">{chosen ? t('leadsCrm.crmHint', { vendor: chosen.vendor[t.locale] }) : t('leadsCrm.localHint')}</span>
    </div>
  );
}

const target = (t: T, job: CrmImportJob) => t('leadsCrm.option', { vendor: job.vendor[t.locale], name: job.connectionName });

function waitText(t: T, job: CrmImportJob, now: number): string | undefined {
  const w = job.waiting;
  if (!w) return undefined;
  if (w.step === 'reconcile' && w.kind === 'unknown-outcome') return t('leadsCrm.wait.reconcile');
  const n = Math.max(1, Math.ceil((w.until - now) / 1000));
  if (w.kind === 'rate-limited') return t('leadsCrm.wait.rate-limited', { n });
  if (w.kind === 'unknown-outcome') return t('leadsCrm.wait.unknown-outcome', { n });
  return t('leadsCrm.wait.retryable', { n, vendor: job.vendor[t.locale] });
}

function reasonText(t: T, job: CrmImportJob, r: CrmImportRow): string {
  if (r.reason === 'error') {
    // The CRM's generic "will retry later" is not true of an import that stopped waiting: say what happened.
    const why = r.error?.kind === 'rate-limited' ? t('leadsCrm.reason.rateLimited', { vendor: job.vendor[t.locale] }) : (r.error?.userMessage[t.locale] ?? '');
    const reason = `${why}${r.error ? ` (${r.error.message})` : ''}`;
    return t(r.notSent ? 'leadsCrm.reason.notSent' : 'leadsCrm.reason.error', { reason });
  }
  return t(`leadsCrm.reason.${r.reason ?? 'invalid-lead'}` as MessageKey, { vendor: job.vendor[t.locale] });
}

export function CrmJobView({ t, job, now }: { t: T; job: CrmImportJob; now: number }) {
  const waiting = job.state === 'running' ? waitText(t, job, now) : undefined;
  return (
    <div class="lzl-crm-job" data-testid="crm-job" data-state={job.state}>
      {job.state === 'running' && (
        <p role="status" data-testid="crm-progress">
          {t('leadsCrm.running', { target: target(t, job), done: job.progress.done, total: job.progress.total })}
          <progress max={job.progress.total} value={job.progress.done} />
        </p>
      )}
      {waiting && (
        <p class="lzl-wait" role="status" data-testid="crm-wait" data-kind={job.waiting?.kind}>
          {waiting}
        </p>
      )}
      {job.state === 'failed' && (
        <p class="lzl-error" role="alert" data-testid="crm-failed">
          {t('leadsCrm.failed', { reason: job.error ? `${job.error.userMessage[t.locale]} (${job.error.message})` : '' })}
        </p>
      )}
      {job.state === 'interrupted' && (
        <p class="lzl-error" role="alert" data-testid="crm-interrupted">
          {t('leadsCrm.interrupted')}
        </p>
      )}
      {job.result && <CrmReport t={t} job={job} />}
    </div>
  );
}

function CrmReport({ t, job }: { t: T; job: CrmImportJob }) {
  const r = job.result!;
  const duplicates = r.rows.filter((x) => x.reason === 'duplicate-crm' || x.reason === 'duplicate-batch').length;
  const listed = r.rows.filter((x) => x.outcome !== 'synced');
  return (
    <div data-testid="crm-report" data-synced={r.counts.synced} data-skipped={r.counts.skipped} data-failed={r.counts.failed}>
      <p role="status" data-testid="crm-report-counts">
        {t('leadsCrm.report', { target: target(t, job), synced: r.counts.synced, skipped: r.counts.skipped, duplicates, failed: r.counts.failed })}
      </p>
      <p data-testid="crm-report-local">{t('leadsCrm.localReport', { created: r.local.created, linked: r.local.linked })}</p>
      {listed.length > 0 && (
        <table class="lzl-table">
          <caption>{t('leadsCrm.rowsTitle')}</caption>
          <tbody>
            {listed.map((x) => (
              <tr key={x.index} data-testid="crm-report-row" data-outcome={x.outcome} data-reason={x.reason}>
                <td>
                  <Name value={x.name} />
                </td>
                <td>{x.phone ?? ''}</td>
                <td>{reasonText(t, job, x)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** 从表格导入线索: a file, or rows pasted from a spreadsheet. */
export function SheetInput({ t, busy, error, onFile, onPaste }: { t: T; busy: boolean; error?: string | undefined; onFile(file: File): void; onPaste(text: string): void }) {
  const text = useRef('');
  return (
    <div class="lzl" data-testid="lead-sheet">
      <h1>{t('leadsCrm.sheet.title')}</h1>
      <p>{t('leadsCrm.sheet.hint')}</p>
      <p>
        <label>
          {t('leadsCrm.sheet.file')}{' '}
          <input type="file" accept=".xlsx,.csv,text/csv" data-testid="lead-sheet-file" disabled={busy} onChange={(e) => e.currentTarget.files?.[0] && onFile(e.currentTarget.files[0])} />
        </label>
      </p>
      <label>
        {t('leadsCrm.sheet.paste')}
        <br />
        <textarea data-testid="lead-sheet-paste" rows={10} cols={80} disabled={busy} onInput={(e) => (text.current = e.currentTarget.value)} />
      </label>
      <br />
      <button type="button" class="lzl-primary" data-testid="lead-sheet-read" disabled={busy} onClick={() => onPaste(text.current)}>
        {t('leadsCrm.sheet.read')}
      </button>
      {error && (
        <p class="lzl-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
