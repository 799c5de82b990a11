// 同步状态: one CRM connection's sync health. What is queued and in flight, what failed and
// why (grouped by reason, then each entry with its customer), the last success and failure,
// and what holds the connection (breaker, rate-limit block, auth pause, paused by the user).
// Pure: the entrypoint passes the view, `now` (ticking) and the actions.
import type { ComponentChildren } from 'preact';
import type { T } from '../../lib/i18n';
import type { HealthEntry } from '../../lib/sync/entries';
import type { SyncEntriesView } from '../../lib/sync/messages';
import { useAction } from '../sidebar/async';
import { EntryRow, ReasonInUiLanguage, type EntryActions } from './EntryRow';
import { errorDisplay } from '../../lib/i18n/bilingual';
import { Name } from '../shared/Name';

export interface SyncHealthActions extends EntryActions {
  retryAll(connectionId: string): Promise<void>;
}

export interface SyncHealthPageProps {
  t: T;
  now: number;
  /** null while loading (or when loading failed: `error`). */
  view: SyncEntriesView | null;
  error?: string;
  /** The CRM's display name (from its spec); the kind id when unknown. */
  kindName?: string;
  actions: SyncHealthActions;
  /** The page listing every connection. */
  listHref?: string;
  /** Where to reconnect (the options page's connections), shown on an auth pause. */
  reconnectHref?: string;
}

export function SyncHealthPage(props: SyncHealthPageProps) {
  const { t, view, error, listHref } = props;
  return (
    <main class="lzh" data-testid="health-page">
      {listHref && (
        <a class="lzh-back" href={listHref} data-testid="health-back">
          ← {t('health.back')}
        </a>
      )}
      {view ? (
        <ConnectionHealthView {...props} view={view} />
      ) : (
        <>
          <h1>{t('health.title')}</h1>
          <p class={error ? 'lzh-error-text' : 'lzh-hint'} role={error ? 'alert' : undefined} data-testid="health-loading">
            {error ?? t('common.loading')}
          </p>
        </>
      )}
    </main>
  );
}

function ConnectionHealthView({ t, now, view, error, kindName, actions, reconnectHref }: SyncHealthPageProps & { view: SyncEntriesView }) {
  const h = view.health;
  const { total } = view;
  const retryAll = useAction(() => actions.retryAll(h.connectionId));
  const failed = view.entries.filter((e) => e.state === 'failed');
  const queued = view.entries.filter((e) => e.state !== 'failed');
  const waiting = total.queued + total.inflight;
  const clean = waiting === 0 && total.failed === 0;
  return (
    <>
      <header class="lzh-head">
        <h1 class="lzh-title" data-testid="health-title">
          {t('health.title')} · <Name value={h.name} />
        </h1>
        <span class="lzh-hint">{kindName ?? h.kind}</span>
        <span class={`lzh-badge ${h.enabled ? 'lzh-badge-ok' : 'lzh-badge-off'}`} data-testid="health-enabled" data-enabled={String(h.enabled)}>
          {h.enabled ? t('health.enabled') : t('health.disabled')}
        </span>
      </header>
      {error && (
        <p class="lzh-error-text" role="alert">
          {error}
        </p>
      )}

      <section class="lzh-card lzh-summary">
        <dl class="lzh-counts">
          <div>
            <dt>{t('health.queued')}</dt>
            <dd data-testid="health-queued">{total.queued}</dd>
          </div>
          <div>
            <dt>{t('health.inflight')}</dt>
            <dd data-testid="health-inflight">{total.inflight}</dd>
          </div>
          <div>
            <dt>{t('health.failed')}</dt>
            <dd data-testid="health-failed" class={total.failed > 0 ? 'lzh-bad' : ''}>
              {total.failed}
            </dd>
          </div>
        </dl>
        <Holds t={t} now={now} view={view} {...(reconnectHref ? { reconnectHref } : {})} />
        <p class="lzh-hint" data-testid="health-last-success">
          {h.lastSuccessAt !== undefined ? (
            <span title={t.formatDateTime(h.lastSuccessAt)}>{t('health.lastSuccess', { at: t.formatAgo(h.lastSuccessAt, now) })}</span>
          ) : (
            t('health.neverSucceeded')
          )}
        </p>
        <LastPull t={t} now={now} health={h} />
        {h.lastFailureAt !== undefined && (
          <p class="lzh-hint" data-testid="health-last-failure">
            <span title={t.formatDateTime(h.lastFailureAt)}>{t('health.lastFailure', { at: t.formatAgo(h.lastFailureAt, now) })}</span>
            {h.lastError ? ` · ${h.lastError}` : ''}
          </p>
        )}
        {clean ? (
          <p class="lzh-ok" data-testid="health-empty">
            {t('health.allSynced')}
          </p>
        ) : (
          <div class="lzh-row">
            <button type="button" class="lzh-btn lzh-btn-primary" data-testid="health-retry-all" disabled={retryAll.busy} aria-busy={retryAll.busy} onClick={() => void retryAll.run()}>
              {retryAll.busy ? t('common.working') : t('health.retryAll')}
            </button>
          </div>
        )}
        {retryAll.error !== null && (
          <p class="lzh-error-text" role="alert">
            {retryAll.error || t('error.generic')}
          </p>
        )}
      </section>

      {total.failed > 0 && (
        <section class="lzh-card" data-testid="health-failed-section">
          <h2>
            {/* The sidebar's words for the same state (sync.*): 同步失败 / 待同步. */}
            <span data-testid="health-failed-title">{t('sync.failed')}</span> <span class="lzh-count">{total.failed}</span>
          </h2>
          {h.failures.length > 0 && (
            <>
              <h3>{t('health.reasons')}</h3>
              <ul class="lzh-reasons">
                {h.failures.map((f) => (
                  <li key={f.reason} data-testid="health-reason" data-count={f.count}>
                    <code class="lzh-reason">{f.reason}</code> <span class="lzh-hint">{t('health.reasonCount', { n: f.count })}</span>
                    <ReasonInUiLanguage t={t} error={f.reason} testId="health-reason-text" />
                  </li>
                ))}
              </ul>
            </>
          )}
          <EntryList t={t} now={now} entries={failed} total={total.failed} actions={actions} testid="health-more-failed" />
        </section>
      )}

      {waiting > 0 && (
        <section class="lzh-card" data-testid="health-queued-section">
          <h2>
            <span data-testid="health-queued-title">{t('sync.pending')}</span> <span class="lzh-count">{waiting}</span>
          </h2>
          <EntryList t={t} now={now} entries={queued} total={waiting} actions={actions} testid="health-more-queued" />
        </section>
      )}
    </>
  );
}

/** What stops entries from going out now, each with what to do or when it ends (paused by the user: the badge). */
function Holds({ t, now, view, reconnectHref }: { t: T; now: number; view: SyncEntriesView; reconnectHref?: string }) {
  const h = view.health;
  const lines: { key: string; node: ComponentChildren }[] = [];
  if (h.paused === 'auth') {
    lines.push({
      key: 'auth',
      node: (
        <>
          {t('health.authPaused')}{' '}
          {reconnectHref && (
            <a href={reconnectHref} target="_blank" rel="noopener" data-testid="health-reconnect">
              {t('health.reconnect')}
            </a>
          )}
        </>
      ),
    });
  }
  if (h.breaker.state === 'open') {
    const at = h.breaker.nextProbeAt !== undefined ? t.formatRelative(Math.max(h.breaker.nextProbeAt, now), now) : t('time.dueNow');
    lines.push({ key: 'breaker', node: t('health.breaker.open', { at }) });
  } else if (h.breaker.state === 'half-open') {
    lines.push({ key: 'breaker', node: t('health.breaker.halfOpen') });
  }
  if (h.blockedUntil !== undefined && h.blockedUntil > now) {
    lines.push({ key: 'blocked', node: <span title={t.formatDateTime(h.blockedUntil)}>{t('health.blocked', { at: t.formatRelative(h.blockedUntil, now) })}</span> });
  }
  if (lines.length === 0) return null;
  return (
    <ul class="lzh-holds" data-testid="health-holds">
      {lines.map((l) => (
        <li key={l.key} data-testid={`health-hold-${l.key}`}>
          {l.node}
        </li>
      ))}
    </ul>
  );
}

function EntryList({ t, now, entries, total, actions, testid }: { t: T; now: number; entries: HealthEntry[]; total: number; actions: EntryActions; testid: string }) {
  const more = total - entries.length;
  return (
    <>
      <ul class="lzh-entries">
        {entries.map((e) => (
          <EntryRow key={e.id} t={t} now={now} entry={e} actions={actions} />
        ))}
      </ul>
      {more > 0 && (
        <p class="lzh-hint" data-testid={testid}>
          {t('health.more', { n: more })}
        </p>
      )}
    </>
  );
}

/**
 * When the CRM was last read back (issue 15). lib/sync/health.ts does not carry the pull's
 * state yet (lib/sync/pull.ts PullState.lastOkAt / lastError); once it does, under these names,
 * the line appears. Absent: nothing is said.
 */
export interface PullHealth {
  lastPullAt?: number;
  lastPullError?: string;
}

function LastPull({ t, now, health }: { t: T; now: number; health: object }) {
  const p = health as PullHealth;
  if (p.lastPullAt === undefined && !p.lastPullError) return null;
  return (
    <p class="lzh-hint" data-testid="health-last-pull">
      {p.lastPullAt !== undefined ? <span title={t.formatDateTime(p.lastPullAt)}>{t('conn.lastPull', { at: t.formatAgo(p.lastPullAt, now) })}</span> : t('conn.neverPulled')}
      {p.lastPullError ? ` · ${errorDisplay(t, p.lastPullError).text}` : ''}
    </p>
  );
}
