// 导入客户 (seed 000 首次同步现有客户): choose file → map columns (with a preview of the first
// rows) → dry-run plan → apply → report with reasons → undo. Pure: reading the file, planning,
// applying and undoing are callbacks the entrypoint wires to read-excel-file/papaparse and
// the background; the guessed mapping comes from lib/sheets/mapping (pure, no db).
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import { IMPORT_FIELDS, guessMapping, type ColumnMapping, type ImportField } from '../../lib/sheets/mapping';
import type { ParsedSheet } from '../../lib/sheets/parse';
import type { ApplyResult, ImportPlan, Issue, UndoResult } from '../../lib/sheets/import';
import { useAction } from '../sidebar/async';

export interface ImportWizardProps {
  t: T;
  /** Reads and parses the chosen file (read-excel-file for .xlsx, papaparse for .csv, then parseSheet). */
  onFile: (file: File) => Promise<ParsedSheet>;
  plan: (sheet: ParsedSheet, mapping: ColumnMapping) => Promise<ImportPlan>;
  apply: (plan: ImportPlan) => Promise<ApplyResult>;
  undo: (importId: string) => Promise<UndoResult>;
  /** A sheet already parsed (e.g. dropped elsewhere): starts at the mapping step. */
  initialSheet?: ParsedSheet;
}

const PREVIEW_ROWS = 5;
type Step = 'file' | 'map' | 'plan' | 'done';

export function ImportWizard({ t, onFile, plan, apply, undo, initialSheet }: ImportWizardProps) {
  const [sheet, setSheet] = useState<ParsedSheet | null>(initialSheet ?? null);
  const [mapping, setMapping] = useState<ColumnMapping>(initialSheet ? guessMapping(initialSheet.headers) : []);
  const [thePlan, setPlan] = useState<ImportPlan | null>(null);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [undone, setUndone] = useState<UndoResult | null>(null);
  const step: Step = result ? 'done' : thePlan ? 'plan' : sheet ? 'map' : 'file';

  const read = useAction(async (file: File) => {
    const s = await onFile(file);
    setSheet(s);
    setMapping(guessMapping(s.headers));
  });
  const dryRun = useAction(async () => {
    if (sheet) setPlan(await plan(sheet, mapping));
  });
  const doApply = useAction(async () => {
    if (thePlan) setResult(await apply(thePlan));
  });
  const doUndo = useAction(async () => {
    if (result) setUndone(await undo(result.importId));
  });
  const restart = () => {
    setSheet(null);
    setMapping([]);
    setPlan(null);
    setResult(null);
    setUndone(null);
  };
  const hasName = mapping.includes('name');

  return (
    <div class="lzi" data-testid="import-wizard">
      <ol class="lzi-steps" aria-label={t('import.steps')}>
        {(['file', 'map', 'plan', 'done'] as const).map((s) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} class={s === step ? 'lzi-step-on' : ''}>
            {t(`import.step.${s}`)}
          </li>
        ))}
      </ol>

      {step === 'file' && (
        <label class="lzi-file">
          <span>{t('import.chooseFile')}</span>
          <input
            type="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            data-testid="import-file"
            disabled={read.busy}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              if (f) void read.run(f);
            }}
          />
          {read.busy && <span>{t('common.loading')}</span>}
          {read.error !== null && <span class="lzi-error" role="alert">{read.error || t('import.readFailed')}</span>}
        </label>
      )}

      {step === 'map' && sheet && (
        <div class="lzi-map">
          <p>{t('import.rowsFound', { n: sheet.rows.length })}</p>
          <div class="lzi-preview-wrap">
            <table class="lzi-preview" data-testid="import-preview">
              <thead>
                <tr>
                  {sheet.headers.map((h, i) => (
                    <th key={i} scope="col">
                      <div class="lzi-header">{h}</div>
                      <select
                        aria-label={t('import.mapColumn', { column: h })}
                        data-testid={`map-${i}`}
                        value={mapping[i] ?? ''}
                        onChange={(e) => {
                          const next = [...mapping];
                          next[i] = (e.currentTarget.value || null) as ImportField | null;
                          setMapping(next);
                        }}
                      >
                        <option value="">{t('import.ignore')}</option>
                        {IMPORT_FIELDS.map((f) => (
                          <option key={f} value={f}>{t(`import.field.${f}`)}</option>
                        ))}
                      </select>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sheet.rows.slice(0, PREVIEW_ROWS).map((r) => (
                  <tr key={r.row}>
                    {r.values.map((v, i) => (
                      <td key={i}>{v}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!hasName && <p class="lzi-error">{t('import.needName')}</p>}
          <div class="lzi-actions">
            <button type="button" onClick={restart}>{t('import.back')}</button>
            <button type="button" class="lzi-primary" data-testid="import-plan" disabled={!hasName || dryRun.busy} onClick={() => void dryRun.run()}>
              {dryRun.busy ? t('common.working') : t('import.dryRun')}
            </button>
          </div>
          {dryRun.error !== null && <p class="lzi-error" role="alert">{dryRun.error || t('error.generic')}</p>}
        </div>
      )}

      {step === 'plan' && thePlan && (
        <div class="lzi-plan" data-testid="import-plan-summary">
          <Counts t={t} created={thePlan.toCreate.length} merged={thePlan.toMerge.length} skipped={thePlan.skipped.length} failed={thePlan.failed.length} future />
          <Issues t={t} title={t('import.skippedTitle')} issues={thePlan.skipped} />
          <Issues t={t} title={t('import.failedTitle')} issues={thePlan.failed} />
          <div class="lzi-actions">
            <button type="button" onClick={() => setPlan(null)}>{t('import.back')}</button>
            <button
              type="button"
              class="lzi-primary"
              data-testid="import-apply"
              disabled={doApply.busy || thePlan.toCreate.length + thePlan.toMerge.length === 0}
              onClick={() => void doApply.run()}
            >
              {doApply.busy ? t('common.working') : t('import.apply', { n: thePlan.toCreate.length + thePlan.toMerge.length })}
            </button>
          </div>
          {doApply.error !== null && <p class="lzi-error" role="alert">{doApply.error || t('error.generic')}</p>}
        </div>
      )}

      {step === 'done' && result && thePlan && (
        <div class="lzi-done" data-testid="import-report">
          <Counts t={t} created={result.counts.created} merged={result.counts.merged} skipped={result.counts.skipped} failed={result.counts.failed} />
          <Issues t={t} title={t('import.skippedTitle')} issues={thePlan.skipped} />
          <Issues t={t} title={t('import.failedTitle')} issues={[...thePlan.failed, ...result.failed]} />
          {undone ? (
            <p data-testid="import-undone">
              {t('import.undone', { removed: undone.removed, reverted: undone.reverted })}
              {undone.kept.length > 0 && ` ${t('import.undoKept', { n: undone.kept.length })}`}
              {undone.remoteKept > 0 && ` ${t('import.undoRemote', { n: undone.remoteKept })}`}
            </p>
          ) : (
            <div class="lzi-actions">
              <button type="button" data-testid="import-undo" disabled={doUndo.busy} onClick={() => void doUndo.run()}>
                {doUndo.busy ? t('common.working') : t('import.undo')}
              </button>
              <button type="button" onClick={restart}>{t('import.again')}</button>
            </div>
          )}
          {doUndo.error !== null && <p class="lzi-error" role="alert">{doUndo.error || t('error.generic')}</p>}
        </div>
      )}
    </div>
  );
}

function Counts(p: { t: T; created: number; merged: number; skipped: number; failed: number; future?: boolean }) {
  const { t } = p;
  return (
    <dl class="lzi-counts">
      <div data-testid="count-created"><dt>{t(p.future ? 'import.willCreate' : 'import.created')}</dt><dd>{p.created}</dd></div>
      <div data-testid="count-merged"><dt>{t(p.future ? 'import.willMerge' : 'import.merged')}</dt><dd>{p.merged}</dd></div>
      <div data-testid="count-skipped"><dt>{t('import.skipped')}</dt><dd>{p.skipped}</dd></div>
      <div data-testid="count-failed"><dt>{t('import.failed')}</dt><dd>{p.failed}</dd></div>
    </dl>
  );
}

function Issues({ t, title, issues }: { t: T; title: string; issues: Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <details class="lzi-issues" open={issues.length <= 10}>
      <summary>{title} ({issues.length})</summary>
      <ul>
        {issues.slice(0, 200).map((i, n) => (
          <li key={n} data-testid="import-issue">
            {t('import.row', { row: i.row })}
            {t(`import.reason.${i.reason}`, { detail: i.detail ?? '' })}
          </li>
        ))}
      </ul>
    </details>
  );
}
