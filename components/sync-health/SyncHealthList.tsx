// 同步状态 without a connection named: every remote CRM connection with its counts, each
// linking to its own page.
import type { T } from '../../lib/i18n';
import { Name } from '../shared/Name';

export interface HealthListItem {
  id: string;
  name: string;
  /** The CRM's display name. */
  kindName: string;
  enabled: boolean;
  queued: number;
  failed: number;
  lastSuccessAt?: number;
}

export interface SyncHealthListProps {
  t: T;
  now: number;
  /** null while loading. */
  connections: HealthListItem[] | null;
  error?: string;
  hrefFor(connectionId: string): string;
}

export function SyncHealthList({ t, now, connections, error, hrefFor }: SyncHealthListProps) {
  return (
    <main class="lzh" data-testid="health-list">
      <h1>{t('health.title')}</h1>
      <p class="lzh-hint">{t('health.listDesc')}</p>
      {error && (
        <p class="lzh-error-text" role="alert">
          {error}
        </p>
      )}
      {connections === null ? (
        !error && <p class="lzh-hint">{t('common.loading')}</p>
      ) : connections.length === 0 ? (
        <p class="lzh-hint" data-testid="health-list-empty">
          {t('health.noConnections')}
        </p>
      ) : (
        <ul class="lzh-entries">
          {connections.map((c) => (
            <li key={c.id} class="lzh-card lzh-list-item" data-testid="health-list-item" data-connection-id={c.id}>
              <a href={hrefFor(c.id)}>
                <strong class="lzh-name">
                  <Name value={c.name} />
                </strong>
              </a>{' '}
              <span class="lzh-hint">{c.kindName}</span>{' '}
              <span class={`lzh-badge ${c.enabled ? 'lzh-badge-ok' : 'lzh-badge-off'}`}>{c.enabled ? t('health.enabled') : t('conn.state.paused')}</span>
              <div class="lzh-hint">
                {t('conn.health', { queued: c.queued, failed: c.failed })}
                {' · '}
                {c.lastSuccessAt !== undefined ? t('health.lastSuccess', { at: t.formatAgo(c.lastSuccessAt, now) }) : t('health.neverSucceeded')}
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
