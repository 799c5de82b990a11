// 数据: export everything local as one JSON file, and import such a file back.
// "Replace" deletes the current data first, so it asks for a second, explicit click.
// The import reports what it refused to carry over (secrets of connections pointing elsewhere,
// chat addresses that are not chat pages, unknown settings): those counts are shown as notices.
import { useEffect, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import { BACKUP_LIMITS } from '../../lib/customers/backup-limits';
import { useAction } from '../sidebar/async';
import { Section } from './Section';
import { dataTexts, REPORT_NOTICES } from './data-texts';

export interface ImportProgress {
  done: number;
  total: number;
}

export interface DataActions {
  exportData(): Promise<{ json: string; counts: Record<string, number> }>;
  importData(json: string, mode: 'merge' | 'replace'): Promise<Record<string, number>>;
  /** How far the running import is (the background writes in batches); absent: no figures shown. */
  importProgress?(): Promise<ImportProgress | null>;
}

const MB = 1024 * 1024;
const PROGRESS_POLL_MS = 500;

export function exportFilename(now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `liaison-export-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}.json`;
}

const TABLES = ['customers', 'followUps', 'deals', 'reminders', 'identities', 'links', 'connections', 'outbox'] as const;

function tableLabel(t: T, name: string): string {
  return (TABLES as readonly string[]).includes(name) ? t(`table.${name as (typeof TABLES)[number]}`) : name;
}

function Counts({ t, counts, testId }: { t: T; counts: Record<string, number>; testId: string }) {
  const entries = Object.entries(counts).filter(([k]) => !k.startsWith('report.'));
  return (
    <ul class="lzo-counts" data-testid={testId}>
      {entries.map(([k, n]) => (
        <li key={k}>
          <span class="lzo-count-n">{n}</span>
          <span class="lzo-hint">{tableLabel(t, k)}</span>
        </li>
      ))}
    </ul>
  );
}

/** File.text() is missing in a few older engines; FileReader is everywhere. */
function readFile(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result ?? ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsText(file);
  });
}

export function DataSection({ t, actions, onDownload, now }: { t: T; actions: DataActions; onDownload(filename: string, json: string): void; now: number }) {
  const [exported, setExported] = useState<Record<string, number> | null>(null);
  const [imported, setImported] = useState<Record<string, number> | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [confirming, setConfirming] = useState(false);
  const [phase, setPhase] = useState<'reading' | 'writing' | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const dt = dataTexts(t.locale);

  const exp = useAction(async () => {
    const { json, counts } = await actions.exportData();
    onDownload(exportFilename(now), json);
    setExported(counts);
  });
  const imp = useAction(async () => {
    if (!file) return;
    // Refused before reading: a huge file would hang this page and could never be sent anyway.
    if (file.size > BACKUP_LIMITS.fileBytes) {
      throw new Error(dt('tooLarge', { size: (file.size / MB).toFixed(1), limit: BACKUP_LIMITS.fileBytes / MB }));
    }
    try {
      setPhase('reading');
      const json = await readFile(file);
      setPhase('writing');
      const counts = await actions.importData(json, mode);
      setImported(counts);
      setConfirming(false);
    } finally {
      setPhase(null);
      setProgress(null);
    }
  });

  useEffect(() => {
    if (phase !== 'writing' || !actions.importProgress) return;
    let alive = true;
    const timer = setInterval(() => {
      void actions.importProgress?.().then((p) => alive && setProgress(p), () => undefined);
    }, PROGRESS_POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [phase, actions]);

  const startImport = () => {
    if (!file) return;
    if (mode === 'replace' && !confirming) {
      setConfirming(true);
      return;
    }
    void imp.run();
  };

  return (
    <Section id="data" title={t('options.nav.data')} desc={t('options.data.desc')}>
      <div class="lzo-card">
        <h3 class="lzo-subhead">{t('options.data.export')}</h3>
        <p class="lzo-hint">{t('options.data.exportHint')}</p>
        <div class="lzo-row">
          <button type="button" class="lzo-btn" data-testid="export" disabled={exp.busy} aria-busy={exp.busy} onClick={() => void exp.run()}>
            {exp.busy ? t('common.working') : t('options.data.exportButton')}
          </button>
        </div>
        {exp.error !== null && (
          <p class="lzo-error" role="alert">
            {exp.error || t('error.generic')}
          </p>
        )}
        {exported && (
          <>
            <p class="lzo-ok" role="status">
              {t('options.data.exported')}
            </p>
            <Counts t={t} counts={exported} testId="export-counts" />
          </>
        )}
      </div>

      <div class="lzo-card">
        <h3 class="lzo-subhead">{t('options.data.import')}</h3>
        <label class="lzo-label" for="lzo-import-file">
          {t('options.data.file')}
        </label>
        <input
          id="lzo-import-file"
          class="lzo-file"
          type="file"
          accept="application/json,.json"
          data-testid="import-file"
          onChange={(e) => {
            setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
            setImported(null);
            setConfirming(false);
            imp.clear();
          }}
        />
        <fieldset class="lzo-fieldset">
          <legend class="lzo-label">{t('options.data.mode')}</legend>
          <label class="lzo-radio">
            <input type="radio" name="lzo-import-mode" value="merge" checked={mode === 'merge'} data-testid="import-merge" onChange={() => (setMode('merge'), setConfirming(false))} />
            <span>
              {t('options.data.merge')}
              <span class="lzo-hint"> — {t('options.data.mergeHint')}</span>
            </span>
          </label>
          <label class="lzo-radio">
            <input type="radio" name="lzo-import-mode" value="replace" checked={mode === 'replace'} data-testid="import-replace" onChange={() => setMode('replace')} />
            <span>
              {t('options.data.replace')}
              <span class="lzo-hint"> — {t('options.data.replaceHint')}</span>
            </span>
          </label>
        </fieldset>
        {confirming && (
          <p class="lzo-warn" role="alert" data-testid="replace-warning">
            {t('options.data.replaceConfirm')}
          </p>
        )}
        <div class="lzo-row">
          <button
            type="button"
            class={`lzo-btn${confirming ? ' lzo-btn-danger' : ''}`}
            data-testid="import"
            disabled={!file || imp.busy}
            aria-busy={imp.busy}
            onClick={startImport}
          >
            {imp.busy ? t('common.working') : confirming ? t('options.data.replaceButton') : t('options.data.importButton')}
          </button>
          {confirming && (
            <button type="button" class="lzo-btn lzo-btn-ghost" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          )}
        </div>
        {phase && (
          <p class="lzo-hint" role="status" data-testid="import-progress">
            {phase === 'reading' ? dt('reading') : progress && progress.total > 0 ? dt('writing', { done: progress.done, total: progress.total }) : dt('checking')}
            {progress && progress.total > 0 && <progress class="lzo-progress" max={progress.total} value={progress.done} />}
          </p>
        )}
        {imp.error !== null && (
          <p class="lzo-error" role="alert">
            {imp.error || t('error.generic')}
          </p>
        )}
        {imported && (
          <>
            <p class="lzo-ok" role="status">
              {t('options.data.imported')}
            </p>
            <Counts t={t} counts={imported} testId="import-counts" />
            {REPORT_NOTICES.filter((k) => (imported[k] ?? 0) > 0).map((k) => (
              <p key={k} class="lzo-warn" data-testid={`import-${k}`}>
                {dt(k, { n: imported[k]! })}
              </p>
            ))}
          </>
        )}
      </div>
    </Section>
  );
}
