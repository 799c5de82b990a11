// One outbox entry on the sync-health page: what it is (新建客户 / 跟进记录 …), for which
// customer, how often it was tried, why it failed or when it goes next, and its actions.
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { HealthEntry } from '../../lib/sync/entries';
import { useAction } from '../sidebar/async';
import { Name } from '../shared/Name';
import { errorDisplay } from '../../lib/i18n/bilingual';

export interface EntryActions {
  retryEntry(entryId: string): Promise<void>;
  discardEntry(entryId: string): Promise<void>;
}

function when(t: T, e: HealthEntry, now: number): string {
  if (e.state === 'failed') return t('health.failedAt', { at: t.formatAgo(Math.min(e.failedAt ?? e.nextAttemptAt, now), now) });
  if (e.state === 'inflight') return t('health.sending');
  return e.nextAttemptAt <= now ? t('health.dueNow') : t('health.nextAttempt', { at: t.formatRelative(e.nextAttemptAt, now) });
}

export function EntryRow({ t, now, entry: e, actions }: { t: T; now: number; entry: HealthEntry; actions: EntryActions }) {
  const retry = useAction(() => actions.retryEntry(e.id));
  const discard = useAction(() => actions.discardEntry(e.id));
  const [confirming, setConfirming] = useState(false);
  const error = retry.error ?? discard.error;
  // Retrying a waiting entry only skips its backoff: offered once it has failed an attempt or waits.
  const canRetry = e.state === 'failed' || (e.state === 'pending' && (e.attempts > 0 || e.nextAttemptAt > now));
  return (
    <li class="lzh-entry" data-testid="health-entry" data-state={e.state} data-op={e.op} data-entry-id={e.id}>
      <div class="lzh-entry-head">
        <strong class="lzh-op">{t(`health.op.${e.op}`)}</strong>
        <span class="lzh-customer" data-testid="health-entry-customer">
          {e.customer ? (
            <>
              <Name class="lzh-name" value={e.customer.name} /> <code>{e.customer.code}</code>
            </>
          ) : (
            t('health.recordGone')
          )}
        </span>
      </div>
      <div class="lzh-hint">
        {t('health.attempts', { n: e.attempts })} · <span title={t.formatDateTime(e.state === 'failed' ? (e.failedAt ?? e.nextAttemptAt) : e.nextAttemptAt)}>{when(t, e, now)}</span>
        {e.reconcile ? ` · ${t('health.reconcile')}` : ''}
      </div>
      {e.lastError && <ReasonInUiLanguage t={t} error={e.lastError} />}
      {e.lastError && (
        <div class="lzh-error-text" data-testid="health-entry-error">
          {e.lastError}
        </div>
      )}
      {(canRetry || e.state === 'failed') && (
        <div class="lzh-row">
          {canRetry && (
            <button type="button" class="lzh-btn" data-testid="health-entry-retry" disabled={retry.busy || discard.busy} aria-busy={retry.busy} onClick={() => void retry.run()}>
              {retry.busy ? t('common.working') : t('health.retry')}
            </button>
          )}
          {e.state === 'failed' &&
            (confirming ? (
              <>
                <button type="button" class="lzh-btn lzh-btn-danger" data-testid="health-entry-discard-confirm" title={t('health.discardHint')} disabled={discard.busy || retry.busy} aria-busy={discard.busy} onClick={() => void discard.run()}>
                  {discard.busy ? t('common.working') : t('health.discardConfirm')}
                </button>
                <button type="button" class="lzh-btn lzh-btn-ghost" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
                <span class="lzh-hint">{t('health.discardHint')}</span>
              </>
            ) : (
              <button type="button" class="lzh-btn lzh-btn-ghost" data-testid="health-entry-discard" disabled={retry.busy} onClick={() => setConfirming(true)}>
                {t('health.discard')}
              </button>
            ))}
        </div>
      )}
      {error !== null && (
        <p class="lzh-error-text" role="alert">
          {error || t('error.generic')}
        </p>
      )}
    </li>
  );
}

/**
 * The reason in the UI's language, as the sidebar's sync row says it for the same entry
 * (lib/i18n/bilingual.ts errorDisplay); shown above the technical text only when it differs.
 */
export function ReasonInUiLanguage({ t, error, testId = 'health-entry-reason' }: { t: T; error: string; testId?: string }) {
  const shown = errorDisplay(t, error);
  if (shown.detail === undefined) return null;
  return (
    <div class="lzh-error-text" data-testid={testId}>
      {shown.text}
    </div>
  );
}
