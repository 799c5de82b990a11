// CRM 连接: the CRMs Liaison syncs to, each with its state, and the form to add or edit one.
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { CrmSpec } from '../../lib/crm/spec';
import type { ConnectionView } from '../../lib/connections/views';
import { useAction } from '../sidebar/async';
import { ConnectionForm, type ConnectionFormActions } from './ConnectionForm';
import { Section } from './Section';
import { connTexts } from './remove-texts';
import { Name } from '../shared/Name';
import { errorDisplay } from '../../lib/i18n/bilingual';

export interface ConnectionHealth {
  queued: number;
  failed: number;
  lastSuccessAt?: number;
  lastError?: string;
  breaker?: 'closed' | 'open' | 'half-open';
  /**
   * When the CRM was last read back (the periodic pull's last success) and why the last pull
   * failed, once the background's sync.health carries them (lib/sync/pull.ts PullState).
   */
  lastPullAt?: number;
  lastPullError?: string;
}

export interface PrepareSummary {
  created: string[];
  problems: string[];
  usable: boolean;
}

export interface ConnectionsActions extends ConnectionFormActions {
  prepare(id: string): Promise<PrepareSummary>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  remove(id: string): Promise<void>;
  retryAll(id: string): Promise<void>;
  /** Downloads the connection's unsent changes as JSON; resolves to how many were exported. */
  exportUnsent?(id: string): Promise<number>;
  /** "Connect" for oauth2-pkce CRMs: request the hosts from the click, then sign in in the background. */
  oauth?(connection: ConnectionView): Promise<{ account?: string }>;
}

export interface ConnectionsProps {
  t: T;
  specs: readonly CrmSpec[];
  connections: ConnectionView[];
  health: Record<string, ConnectionHealth>;
  actions: ConnectionsActions;
  /** chrome.identity.getRedirectURL(), for the callback URL oauth2-pkce forms show. */
  oauthRedirectUrl?: string;
  /** The sync-health page of a connection (同步详情), opened in a new tab. */
  healthHref?: (connectionId: string) => string;
  /** Epoch ms for relative times (上次从 CRM 读取 3 分钟前); the clock when absent. */
  now?: number;
}

const pick = (t: T, l: { zh_CN: string; en: string }) => (t.locale === 'zh_CN' ? l.zh_CN : l.en);

export function ConnectionsSection({ t, specs, connections, health, actions, oauthRedirectUrl, healthHref, now }: ConnectionsProps) {
  const [editing, setEditing] = useState<{ spec: CrmSpec; existing?: ConnectionView } | null>(null);
  const remote = specs.filter((s) => s.id !== 'local');
  return (
    <Section id="connections" title={t('options.nav.connections')} desc={t('conn.desc')}>
      <ul class="lzo-conn-list" data-testid="connections">
        {connections.map((c) => {
          const spec = specs.find((s) => s.id === c.kind);
          return (
            <ConnectionRow
              key={c.id}
              t={t}
              connection={c}
              kindName={spec ? pick(t, spec.names) : c.kind}
              health={health[c.id]}
              actions={actions}
              onEdit={spec && c.kind !== 'local' ? () => setEditing({ spec, existing: c }) : undefined}
              setup={spec?.setup}
              oauth={spec?.auth.kind === 'oauth2-pkce'}
              {...(healthHref ? { healthHref: healthHref(c.id) } : {})}
              {...(now !== undefined ? { now } : {})}
            />
          );
        })}
      </ul>
      {editing ? (
        <ConnectionForm key={editing.existing?.id ?? editing.spec.id} t={t} spec={editing.spec} existing={editing.existing} actions={actions} onDone={() => setEditing(null)} {...(oauthRedirectUrl ? { oauthRedirectUrl } : {})} />
      ) : remote.length > 0 ? (
        <div class="lzo-row lzo-conn-add">
          <span class="lzo-label">{t('conn.add')}</span>
          {remote.map((s) => (
            <button key={s.id} type="button" class="lzo-btn" data-testid={`conn-add-${s.id}`} onClick={() => setEditing({ spec: s })}>
              {pick(t, s.names)}
            </button>
          ))}
        </div>
      ) : null}
    </Section>
  );
}

function ConnectionRow(props: {
  t: T;
  connection: ConnectionView;
  kindName: string;
  health?: ConnectionHealth;
  actions: ConnectionsActions;
  onEdit?: () => void;
  setup?: CrmSpec['setup'];
  /** The spec signs in with OAuth: a Connect button, and "not connected" until a grant is stored. */
  oauth?: boolean;
  /** This connection's sync-health page. */
  healthHref?: string;
  now?: number;
}) {
  const { t, connection: c, health: h, actions } = props;
  const [prepared, setPrepared] = useState<PrepareSummary | null>(null);
  const prepare = useAction(async () => setPrepared(await actions.prepare(c.id)));
  const toggle = useAction(() => actions.setEnabled(c.id, !c.enabled));
  const retry = useAction(() => actions.retryAll(c.id));
  const [confirmRemove, setConfirmRemove] = useState(false);
  const remove = useAction(() => actions.remove(c.id));
  const [exported, setExported] = useState<number | null>(null);
  const exportUnsent = useAction(async () => setExported(await actions.exportUnsent!(c.id)));
  const ct = connTexts(t.locale);
  // Queued and failed entries are lost with the connection (removeConnection deletes its outbox).
  const unsent = h ? h.queued + h.failed : 0;
  const [authorized, setAuthorized] = useState<string | null>(null);
  const connect = useAction(async () => {
    setAuthorized(null);
    const r = await actions.oauth!(c);
    setAuthorized(r.account ?? '');
  });
  const local = c.kind === 'local';
  // Without a stored grant nothing can sync, whatever the (empty) outbox says.
  const granted = c.storedSecrets.includes('refresh_token') || c.storedSecrets.includes('access_token');
  const state = props.oauth && !granted ? 'unauthorized' : !c.enabled ? 'paused' : h?.breaker === 'open' ? 'down' : h && h.failed > 0 ? 'failed' : h && h.queued > 0 ? 'pending' : 'ok';
  return (
    <li class="lzo-card lzo-conn" data-testid="connection" data-connection-id={c.id} data-state={state}>
      <div class="lzo-conn-head">
        <strong>
          <Name value={c.name} />
        </strong>
        <span class="lzo-hint">{props.kindName}</span>
        {/* 待同步 / 同步失败: the words the sidebar and the popup use for the same state. */}
        <span class={`lzo-conn-state lzo-conn-${state}`} data-testid="conn-state">
          {state === 'pending' ? t('sync.pending') : state === 'failed' ? t('sync.failed') : t(`conn.state.${state}`)}
        </span>
      </div>
      {!local && h && (
        <p class="lzo-hint" data-testid="connection-health">
          {t('conn.health', { queued: String(h.queued), failed: String(h.failed) })}
          {h.lastSuccessAt ? ` · ${t('conn.lastSuccess', { at: t.formatDateTime(h.lastSuccessAt) })}` : ''}
          {h.lastError ? ` · ${errorDisplay(t, h.lastError).text}` : ''}
          {h.lastPullAt !== undefined && (
            <span data-testid="conn-last-pull" title={t.formatDateTime(h.lastPullAt)}>
              {' · '}
              {t('conn.lastPull', { at: t.formatAgo(h.lastPullAt, props.now ?? Date.now()) })}
            </span>
          )}
          {h.lastPullError && <span data-testid="conn-pull-error">{` · ${errorDisplay(t, h.lastPullError).text}`}</span>}
          {props.healthHref && (
            <>
              {' · '}
              <a href={props.healthHref} target="_blank" rel="noopener" data-testid="conn-health-open">
                {t('health.open')}
              </a>
            </>
          )}
        </p>
      )}
      {!local && (
        <div class="lzo-row">
          {props.oauth && actions.oauth && (
            <button type="button" class="lzo-btn lzo-btn-primary" data-testid="conn-oauth" disabled={connect.busy} aria-busy={connect.busy} onClick={() => void connect.run()}>
              {connect.busy ? t('common.working') : t('conn.oauth.connect', { name: props.kindName })}
            </button>
          )}
          {props.onEdit && (
            <button type="button" class="lzo-btn" data-testid="conn-edit" onClick={props.onEdit}>
              {t('conn.editButton')}
            </button>
          )}
 {props.setup && (
            <button type="button" class="lzo-btn" data-testid="conn-prepare" title={pick(t, props.setup.help)} disabled={prepare.busy} aria-busy={prepare.busy} onClick={() => void prepare.run()}>
              {prepare.busy ? t('common.working') : pick(t, props.setup.label)}
            </button>
          )}
          <button type="button" class="lzo-btn" data-testid="conn-toggle" disabled={toggle.busy} onClick={() => void toggle.run()}>
            {c.enabled ? t('conn.pause') : t('conn.resume')}
          </button>
          {h && (h.failed > 0 || h.queued > 0) && (
            <button type="button" class="lzo-btn" data-testid="conn-retry" disabled={retry.busy} onClick={() => void retry.run()}>
              {t('conn.retryAll')}
            </button>
          )}
          {confirmRemove ? (
            <>
              {unsent > 0 && (
                <>
                  <button type="button" class="lzo-btn lzo-btn-primary" data-testid="conn-remove-send-first" disabled={retry.busy} onClick={() => void retry.run().then((ok) => ok && setConfirmRemove(false))}>
                    {ct('sendFirst')}
                  </button>
                  {actions.exportUnsent && (
                    <button type="button" class="lzo-btn" data-testid="conn-remove-export" disabled={exportUnsent.busy} onClick={() => void exportUnsent.run()}>
                      {ct('exportUnsent')}
                    </button>
                  )}
                </>
              )}
              <button type="button" class="lzo-btn lzo-btn-danger" data-testid="conn-remove-confirm" disabled={remove.busy} onClick={() => void remove.run()}>
                {unsent > 0 ? ct('removeAnyway', { n: unsent }) : t('conn.removeConfirm')}
              </button>
              <button type="button" class="lzo-btn lzo-btn-ghost" onClick={() => setConfirmRemove(false)}>
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <button type="button" class="lzo-btn lzo-btn-ghost" data-testid="conn-remove" onClick={() => setConfirmRemove(true)}>
              {t('conn.remove')}
            </button>
          )}
        </div>
      )}
      {confirmRemove && unsent > 0 && (
        <p class="lzo-warn" role="alert" data-testid="conn-remove-unsent">
          {ct('unsent', { n: unsent })}
        </p>
      )}
      {exported !== null && (
        <p class="lzo-ok" role="status" data-testid="conn-remove-exported">
          {ct('exported', { n: exported })}
        </p>
      )}
      {prepared && (
        <p class={prepared.usable ? 'lzo-ok' : 'lzo-field-error'} role="status" data-testid="conn-prepared">
          {prepared.created.length > 0 ? t('conn.prepared.created', { tables: prepared.created.join('、') }) : t('conn.prepared.checked')}
          {prepared.problems.length > 0 && ` ${t('conn.prepared.problems', { fields: prepared.problems.join(', ') })}`}
        </p>
      )}
      {authorized !== null && (
        <p class="lzo-ok" role="status" data-testid="conn-oauth-ok">
          {authorized ? t('conn.oauth.ok', { account: authorized }) : t('conn.testOk')}
        </p>
      )}
      {connect.error !== null && (
        <p class="lzo-field-error" role="alert" data-testid="conn-oauth-error">
          {connect.error ? errorDisplay(t, connect.error).text : t('error.generic')}
        </p>
      )}
      {(toggle.error ?? retry.error ?? remove.error ?? prepare.error ?? exportUnsent.error) !== null && (
        <p class="lzo-field-error" role="alert">
          {errorDisplay(t, (toggle.error ?? retry.error ?? remove.error ?? prepare.error ?? exportUnsent.error)!).text || t('error.generic')}
        </p>
      )}
    </li>
  );
}
