// Says why the site reader cannot be trusted on this page, one line per cause (the chat site
// probably changed its page), so the user knows why the sidebar stopped following the chat,
// and lets them copy the page's structure (no text) to send us. A weak thread key is not a
// failure: the contact is shown, with an information line that it will not be linked by itself.
import { useRef, useState } from 'preact/hooks';
import type { MessageKey, T } from '../../lib/i18n';
import type { HealthIssue } from '../../lib/model';

/** What the banner needs of ReaderHealth (issues are absent in reports from older builds). */
export interface BannerHealth {
  ok: boolean;
  missing: string[];
  issues?: HealthIssue[];
}

/** What copying the page structure came to. */
export type CopyOutcome =
  /** on the clipboard */
  | { kind: 'copied' }
  /** the clipboard refused: the text is shown for the user to select and copy */
  | { kind: 'manual'; text: string }
  /** (options) no open tab of the site to take it from */
  | { kind: 'noTab' };

const FIELD_KEYS = new Set(['root', 'pane', 'title', 'subtitle', 'threadKey', 'messageList', 'messageRow', 'outgoing', 'sender', 'time', 'text', 'groupMarker', 'direction', 'members']);

/** Field ids ('messageList') in the user's language; an unknown id is shown as it is. */
export function fieldNames(t: T, fields: readonly string[]): string {
  const names = [...new Set(fields.map((f) => f.trim()).filter(Boolean))].map((f) => (FIELD_KEYS.has(f) ? t(`health.field.${f}` as MessageKey) : f));
  return names.join(t('health.fieldSep'));
}

/** One issue in words. `missing` fills in a fields issue without a detail. */
export function issueText(t: T, issue: HealthIssue, missing: readonly string[] = []): string {
  switch (issue.cause) {
    case 'fields':
      return t('health.cause.fields', { fields: fieldNames(t, issue.detail ? issue.detail.split(',') : missing) });
    case 'idFormat':
      return t('health.cause.idFormat', { shape: issue.detail || '?' });
    default:
      return t(`health.cause.${issue.cause}`);
  }
}

/** The read cannot be trusted (anything but a weak key alone). */
export function healthBroken(health: BannerHealth | null | undefined): boolean {
  if (!health || health.ok) return false;
  const issues = health.issues ?? [];
  return issues.length === 0 || issues.some((i) => i.cause !== 'weakKey');
}

/** Runs a copy and keeps what it came to, for the button's feedback. */
export function useCopyStructure(copy: (() => Promise<CopyOutcome>) | undefined) {
  const [state, setState] = useState<CopyOutcome | { kind: 'busy' } | { kind: 'error'; message: string } | null>(null);
  const running = useRef(false);
  const run = async () => {
    if (!copy || running.current) return;
    running.current = true;
    setState({ kind: 'busy' });
    try {
      setState(await copy());
    } catch (e) {
      setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      running.current = false;
    }
  };
  return { state, run };
}

function CopyStructure({ t, copy }: { t: T; copy: () => Promise<CopyOutcome> }) {
  const { state, run } = useCopyStructure(copy);
  return (
    <div class="lz-diag">
      <button type="button" class="lz-btn lz-btn-sm" data-testid="copy-structure" title={t('diag.copyHint')} disabled={state?.kind === 'busy'} onClick={() => void run()}>
        {t('diag.copy')}
      </button>
      {state?.kind === 'copied' && (
        <div class="lz-small" role="status" data-testid="copy-structure-done">
          {t('diag.copied')}
        </div>
      )}
      {state?.kind === 'manual' && (
        <>
          <div class="lz-small">{t('diag.manual')}</div>
          <textarea class="lz-diag-text" readOnly rows={6} data-testid="copy-structure-text" value={state.text} onFocus={(e) => e.currentTarget.select()} />
        </>
      )}
      {state?.kind === 'noTab' && (
        <div class="lz-small" role="status" data-testid="copy-structure-no-tab">
          {t('diag.noTab')}
        </div>
      )}
      {state?.kind === 'error' && <div class="lz-small">{t('diag.failed', { error: state.message })}</div>}
    </div>
  );
}

export function HealthBanner({ t, health, copy }: { t: T; health: BannerHealth | null | undefined; copy?: () => Promise<CopyOutcome> }) {
  if (!health) return null;
  const issues = health.issues ?? [];
  const weak = issues.some((i) => i.cause === 'weakKey');
  if (healthBroken(health)) {
    const problems = issues.filter((i) => i.cause !== 'weakKey');
    return (
      <div class="lz-banner lz-banner-warn" role="status" data-testid="health-banner">
        <span class="lz-banner-icon" aria-hidden="true">
          !
        </span>
        <div class="lz-grow">
          <div class="lz-banner-title">{t('health.broken')}</div>
          {problems.length > 0 ? (
            <ul class="lz-health-issues">
              {problems.map((issue, i) => (
                <li key={`${issue.cause}:${i}`} class="lz-small" data-cause={issue.cause}>
                  {issueText(t, issue, health.missing)}
                </li>
              ))}
            </ul>
          ) : (
            health.missing.length > 0 && <div class="lz-small">{t('health.missing', { fields: fieldNames(t, health.missing) })}</div>
          )}
          {copy && <CopyStructure t={t} copy={copy} />}
        </div>
      </div>
    );
  }
  if (!weak) return null;
  return (
    <div class="lz-banner lz-banner-info" role="status" data-testid="health-info">
      <span class="lz-banner-icon lz-banner-icon-info" aria-hidden="true">
        i
      </span>
      <div class="lz-grow">
        <div class="lz-small" data-cause="weakKey">
          {t('health.cause.weakKey')}
        </div>
        {copy && <CopyStructure t={t} copy={copy} />}
      </div>
    </div>
  );
}
