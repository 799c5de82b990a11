// 网站状态: for every chat site Liaison reads, whether the last page it saw could be read, and
// which selector variant matched each field (so "the site changed" is visible, not silent).
import type { T } from '../../lib/i18n';
import type { ReaderHealth } from '../../lib/model';

export interface SiteHealthRow extends ReaderHealth {
  at: number;
}

export function SitesHealth({ t, sites, reports }: { t: T; sites: readonly { id: string; host: string }[]; reports: SiteHealthRow[] }) {
  return (
    <ul class="lzo-conn-list" data-testid="sites-health">
      {sites.map((s) => {
        const r = reports.find((x) => x.site === s.id);
        const state = !r ? 'unseen' : r.ok ? 'ok' : 'failed';
        return (
          <li key={s.id} class="lzo-card lzo-conn" data-testid="site-health" data-site={s.id} data-state={state}>
            <div class="lzo-conn-head">
              <strong>{s.id}</strong>
              <span class="lzo-hint">{s.host}</span>
              <span class={`lzo-conn-state lzo-conn-${state === 'ok' ? 'ok' : state === 'failed' ? 'failed' : 'paused'}`}>{t(`sites.state.${state}`)}</span>
            </div>
            {r && (
              <>
                <p class="lzo-hint">{t('sites.lastSeen', { at: t.formatDateTime(r.at) })}</p>
                {r.missing.length > 0 && <p class="lzo-field-error">{t('sites.missing', { fields: r.missing.join(', ') })}</p>}
                <p class="lzo-hint lzo-mono" data-testid="site-variants">
                  {Object.entries(r.fields)
                    .map(([field, variant]) => `${field}: ${variant ?? '—'}`)
                    .join(' · ')}
                </p>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
