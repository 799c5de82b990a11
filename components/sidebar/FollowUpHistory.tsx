// Recent 跟进记录, newest first (the background's order is not relied on).
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { FollowUp } from '../../lib/model';
import { Name } from '../shared/Name';
import { rich } from './rich';

const FIRST = 5;
const RESULT_TONES: Record<string, string> = { 有意向: 'green', 待考虑: 'orange', 无意向: 'slate', 已拒绝: 'red' };

/**
 * sourceName: a connection id → its name, for follow-ups a colleague logged in a CRM (origin
 * 'remote'), shown as 「李娜 · 来自 NocoDB」.
 */
export function FollowUpHistory({ t, followUps, now, sourceName }: { t: T; followUps: FollowUp[]; now: number; sourceName?: (connectionId: string) => string }) {
  const [all, setAll] = useState(false);
  const sorted = [...followUps].sort((a, b) => b.at - a.at);
  const shown = all ? sorted : sorted.slice(0, FIRST);
  return (
    <section class="lz-section" aria-labelledby="lz-history-h">
      <h3 class="lz-h" id="lz-history-h">
        {t('history.title')}
        {sorted.length > 0 && <span class="lz-count">{sorted.length}</span>}
      </h3>
      {sorted.length === 0 ? (
        <p class="lz-empty">{t('history.empty')}</p>
      ) : (
        <ol class="lz-timeline">
          {shown.map((f) => (
            <li key={f.id} class="lz-tl-item" data-testid="followup-item">
              <div class="lz-tl-head">
                <span class="lz-badge lz-outline lz-tone-blue">{t.term(f.method)}</span>
                {f.result && <span class={`lz-badge lz-tone-${RESULT_TONES[f.result] ?? 'slate'}`}>{t.term(f.result)}</span>}
                {f.origin === 'auto' && <span class="lz-badge lz-outline lz-tone-slate">{t('history.auto')}</span>}
                <time class="lz-small lz-muted lz-push" dateTime={new Date(f.at).toISOString()} title={t.formatDateTime(f.at)}>
                  {t.formatAgo(f.at, now)}
                </time>
              </div>
              <p class="lz-tl-body">{f.summary || f.content}</p>
              {(f.nextAction || f.nextAt !== undefined) && (
                <p class="lz-small lz-muted">
                  {t('history.next')}
                  {f.nextAction ? ` ${f.nextAction}` : ''}
                  {f.nextAt !== undefined ? ` · ${t.formatDateTime(f.nextAt)}` : ''}
                </p>
              )}
              {(f.by || (f.origin === 'remote' && f.source)) && (
                <p class="lz-small lz-muted lz-tl-by" data-origin={f.origin}>
                  {f.by && <Name data-testid="followup-author" value={f.by} />}
                  {f.by && f.origin === 'remote' && f.source && ' · '}
                  {f.origin === 'remote' && f.source && (
                    <span data-testid="followup-source">{rich(t('history.source'), { crm: <Name value={sourceName ? sourceName(f.source) : f.source} /> })}</span>
                  )}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {sorted.length > FIRST && (
        <button type="button" class="lz-link-btn" onClick={() => setAll(!all)}>
          {all ? t('history.less') : t('history.more', { n: sorted.length - FIRST })}
        </button>
      )}
    </section>
  );
}
