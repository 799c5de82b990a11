// 网站状态: for every chat site Liaison reads, whether the last page it saw could be read, why not
// (one line per cause, the same words as the sidebar's banner), which selector variant matched
// each field (so "the site changed" is visible, not silent), and 复制页面结构 to send us.
import type { T } from '../../lib/i18n';
import type { ReaderHealth } from '../../lib/model';
import { fieldNames, issueText, useCopyStructure, type CopyOutcome } from '../sidebar/HealthBanner';

export interface SiteHealthRow extends ReaderHealth {
  at: number;
}

function CopySiteStructure({ t, site, copy }: { t: T; site: string; copy: (site: string) => Promise<CopyOutcome> }) {
  const { state, run } = useCopyStructure(() => copy(site));
  return (
    <div class="lzo-diag">
      <button type="button" class="lzo-btn" data-testid="copy-structure" title={t('diag.copyHint')} disabled={state?.kind === 'busy'} onClick={() => void run()}>
        {t('diag.copy')}
      </button>
      {state?.kind === 'copied' && (
        <p class="lzo-hint" role="status" data-testid="copy-structure-done">
          {t('diag.copied')}
        </p>
      )}
      {state?.kind === 'noTab' && (
        <p class="lzo-hint" role="status" data-testid="copy-structure-no-tab">
          {t('sites.noTab', { site })}
        </p>
      )}
      {state?.kind === 'manual' && (
        <>
          <p class="lzo-hint">{t('diag.manual')}</p>
          <textarea class="lzo-diag-text lzo-mono" readOnly rows={8} data-testid="copy-structure-text" value={state.text} onFocus={(e) => e.currentTarget.select()} />
        </>
      )}
      {state?.kind === 'error' && <p class="lzo-field-error">{t('diag.failed', { error: state.message })}</p>}
    </div>
  );
}

export function SitesHealth({
  t,
  sites,
  reports,
  onCopy,
}: {
  t: T;
  sites: readonly { id: string; host: string }[];
  reports: SiteHealthRow[];
  /** 复制页面结构 from an open tab of the site. */
  onCopy?: (site: string) => Promise<CopyOutcome>;
}) {
  return (
    <ul class="lzo-conn-list" data-testid="sites-health">
      {sites.map((s) => {
        const r = reports.find((x) => x.site === s.id);
        const state = !r ? 'unseen' : r.ok ? 'ok' : 'failed';
        const issues = r?.issues ?? [];
        return (
          <li key={s.id} class="lzo-card lzo-conn" data-testid="site-health" data-site={s.id} data-state={state}>
            <div class="lzo-conn-head">
              <strong>{s.id}</strong>
              <span class="lzo-hint">{s.host}</span>
              <span class={`lzo-conn-state lzo-conn-${state === 'ok' ? 'ok' : state === 'failed' ? 'failed' : 'paused'}`}>{t(`sites.state.${state}`)}</span>
            </div>
            {r && (
              <div class="lzo-site-health">
                <p class="lzo-hint">{t('sites.lastSeen', { at: t.formatDateTime(r.at) })}</p>
                {issues.length > 0 ? (
                  <div class="lzo-site-issues">
                    <p class="lzo-label">{t('sites.issues')}</p>
                    <ul data-testid="site-issues">
                      {issues.map((issue, i) => (
                        <li key={`${issue.cause}:${i}`} class={issue.cause === 'weakKey' ? 'lzo-hint' : 'lzo-field-error'} data-cause={issue.cause}>
                          {issueText(t, issue, r.missing)}
                          {/* the reader's own short detail, for us when the user sends a screenshot */}
                          {issue.detail && issue.cause !== 'fields' && <span class="lzo-hint lzo-mono"> · {issue.detail}</span>}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : (
                  r.missing.length > 0 && <p class="lzo-field-error">{t('sites.missing', { fields: fieldNames(t, r.missing) })}</p>
                )}
                <div class="lzo-site-variants">
                  <p class="lzo-label">{t('sites.variants')}</p>
                  <p class="lzo-hint lzo-mono" data-testid="site-variants">
                    {Object.entries(r.fields)
                      .map(([field, variant]) => `${field}: ${variant ?? '—'}`)
                      .join(' · ')}
                  </p>
                </div>
              </div>
            )}
            {onCopy && <CopySiteStructure t={t} site={s.id} copy={onCopy} />}
          </li>
        );
      })}
    </ul>
  );
}
