// The known customer at a glance: 客户编号 first (what the salesperson copies into the CRM
// and quotes on the phone), then stage, intent, contact details, 下次跟进 with its
// reminder actions, and where the record stands in each connected CRM.
import { useId, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { Customer, CustomerView, LinkView, Reminder } from '../../lib/model';
import type { CustomerInput } from '../../lib/messaging/protocol';
import { useAction } from './async';
import { ErrorText } from './ErrorText';
import { IntentBadge, StageBadge, SyncBadge } from './badges';
import { TermSelect } from './CustomerForm';
import { isDueToday } from './time';
import { formatPhoneForDisplay } from './phone-display';
import { Name } from '../shared/Name';
import { errorDisplay } from '../../lib/i18n/bilingual';
import { AUTH_PAUSE_MESSAGE } from '../../lib/sync/gate';
import { Conflicts } from './Conflicts';
import { rich } from './rich';

export interface CustomerCardProps {
  t: T;
  view: CustomerView & { customer: Customer };
  now: number;
  update(patch: CustomerInput): Promise<void>;
  reminderDone(): Promise<void>;
  snooze(minutes?: number): Promise<void>;
  unlink(): Promise<void>;
  onEdit(): void;
  /** Send this customer's waiting or failed changes to one CRM now. */
  retrySync?(connectionId: string): Promise<void>;
  /** Read this customer back from its CRMs now (刷新); resolves to the errors per CRM. */
  pullNow?(): Promise<string[]>;
  /** Put back the value a conflict rule replaced. */
  restoreConflict?(connectionId: string, field: string, at: number): Promise<void>;
  /** Keep what the rule chose. */
  dismissConflict?(connectionId: string, field: string): Promise<void>;
}

export function CustomerCard(props: CustomerCardProps) {
  const { t, view, now } = props;
  const c = view.customer;
  return (
    <section class="lz-card lz-customer" aria-label={t('card.label')}>
      <CodeLine t={t} code={c.code} temporary={c.codeTemporary === true} />
      <Conflicts
        t={t}
        links={view.links}
        actions={{
          ...(props.restoreConflict ? { restore: props.restoreConflict } : {}),
          ...(props.dismissConflict ? { dismiss: props.dismissConflict } : {}),
        }}
      />
      <div class="lz-customer-name">
        <h2 class="lz-name" data-testid="customer-name">
          <Name value={c.name} />
        </h2>
        {c.company && <div class="lz-muted lz-small">{c.company}</div>}
      </div>
      <StageLine t={t} stage={c.stage} stages={view.options.stages} update={props.update} />
      <div class="lz-chips">
        {c.intentLevel && <IntentBadge t={t} level={c.intentLevel} />}
        {c.tags.map((tag) => (
          <span key={tag} class="lz-chip">
            {tag}
          </span>
        ))}
      </div>
      <dl class="lz-dl">
        {c.phones.length > 0 && (
          <>
            <dt>{t('field.phones')}</dt>
            <dd data-testid="customer-phones">
              {c.phones.map((p) => (
                <span key={p} class="lz-chip lz-mono" title={p}>
                  {formatPhoneForDisplay(p)}
                </span>
              ))}
            </dd>
          </>
        )}
        {c.wechatId && (
          <>
            <dt>{t('field.wechat')}</dt>
            <dd>{c.wechatId}</dd>
          </>
        )}
        {c.email && (
          <>
            <dt>{t('field.email')}</dt>
            <dd>{c.email}</dd>
          </>
        )}
        {c.source && (
          <>
            <dt>{t('field.source')}</dt>
            <dd>{t.term(c.source)}</dd>
          </>
        )}
        {c.product && (
          <>
            <dt>{t('field.product')}</dt>
            <dd>{t.term(c.product)}</dd>
          </>
        )}
        <dt>{t('field.lastContact')}</dt>
        <dd>
          {c.lastContactAt ? (
            <time dateTime={new Date(c.lastContactAt).toISOString()} title={t.formatDateTime(c.lastContactAt)}>
              {t.formatAgo(c.lastContactAt, now)}
            </time>
          ) : (
            <span class="lz-muted">{t('card.never')}</span>
          )}
        </dd>
      </dl>
      <NextFollowUp
        t={t}
        at={c.nextFollowUpAt ?? activeDue(view.reminder)}
        reminder={view.reminder}
        now={now}
        done={props.reminderDone}
        snooze={props.snooze}
        sourceName={view.reminder?.source ? (view.links.find((l) => l.connectionId === view.reminder!.source)?.connectionName ?? view.reminder.source) : undefined}
      />
      <SyncStates t={t} links={view.links} now={now} retry={props.retrySync} pullNow={props.pullNow} />
      <CardActions t={t} onEdit={props.onEdit} unlink={props.unlink} />
    </section>
  );
}

function activeDue(r: Reminder | undefined): number | undefined {
  return r && r.state !== 'done' ? r.dueAt : undefined;
}

function CodeLine({ t, code, temporary }: { t: T; code: string; temporary: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    // Clipboard is a web API, not an extension one; when the page forbids it the code is
    // still selectable (user-select: all) so copying by hand always works.
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div class="lz-code-line">
      <span class="lz-label-inline">{t('field.code')}</span>
      <span class="lz-code lz-mono" data-testid="customer-code">
        {code}
      </span>
      {temporary && (
        // Seed 003 方案B: a temporary code until the code-master CRM assigns the real 客户编号.
        <span class="lz-badge lz-outline lz-tone-orange" data-testid="code-temporary" title={t('card.temporaryHint')}>
          {t('card.temporary')}
        </span>
      )}
      <button type="button" class="lz-icon-btn" onClick={() => void copy()} title={t('card.copy')} aria-label={t('card.copy')} data-testid="copy-code">
        {copied ? <CheckIcon /> : <CopyIcon />}
      </button>
      {copied && (
        <span class="lz-small lz-ok" role="status">
          {t('card.copied')}
        </span>
      )}
    </div>
  );
}

// Inline SVG: icon fonts and emoji render differently on every chat site and OS.
function CopyIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" aria-hidden="true">
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3.5v-.5a1.5 1.5 0 0 0-1.5-1.5H4A1.5 1.5 0 0 0 2.5 3v5A1.5 1.5 0 0 0 4 9.5h.5" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
      <path d="M3 8.5l3 3 7-7" />
    </svg>
  );
}

function StageLine({ t, stage, stages, update }: { t: T; stage: string; stages: string[]; update: CustomerCardProps['update'] }) {
  const action = useAction((s: string) => update({ stage: s }));
  const id = useId();
  return (
    <div class="lz-stage-line">
      <StageBadge t={t} stage={stage} />
      <label class="lz-visually-hidden" for={id}>
        {t('field.stage')}
      </label>
      <TermSelect
        t={t}
        id={id}
        value={stage}
        values={stages}
        disabled={action.busy}
        testId="stage-select"
        class="lz-input lz-stage-select"
        onChange={(v) => {
          if (v !== stage) void action.run(v);
        }}
      />
      {action.busy && <span class="lz-spinner" aria-label={t('common.saving')} />}
      <ErrorText t={t} error={action.error} />
    </div>
  );
}

function NextFollowUp(props: {
  t: T;
  at: number | undefined;
  reminder: Reminder | undefined;
  now: number;
  done(): Promise<void>;
  snooze(minutes?: number): Promise<void>;
  /** The CRM whose 下次跟进 set this reminder (reminder.source), by name. */
  sourceName?: string | undefined;
}) {
  const { t, at, reminder, now } = props;
  const doneAction = useAction(() => props.done());
  const snoozeAction = useAction(() => props.snooze());
  const state = at === undefined ? 'none' : at < now ? 'overdue' : isDueToday(at, now) ? 'today' : 'later';
  const active = reminder && reminder.state !== 'done';
  return (
    <div class={`lz-next lz-next-${state}`} data-testid="next-followup" data-state={state}>
      <div class="lz-next-head">
        <span class="lz-label-inline">{t('field.nextFollowUp')}</span>
        {state === 'overdue' && <span class="lz-badge lz-tone-red">{t('card.overdue')}</span>}
        {state === 'today' && <span class="lz-badge lz-tone-orange">{t('card.today')}</span>}
        {reminder?.state === 'snoozed' && <span class="lz-badge lz-outline lz-tone-slate">{t('card.snoozed')}</span>}
      </div>
      {at === undefined ? (
        <div class="lz-muted">{t('card.noNext')}</div>
      ) : (
        <div class="lz-next-when">
          <time dateTime={new Date(at).toISOString()}>{t.formatDateTime(at)}</time>
          <span class="lz-next-rel">{t.formatRelative(at, now)}</span>
          {props.sourceName !== undefined && (
            <span class="lz-small lz-muted" data-testid="reminder-source">
              {rich(t('reminder.source'), { crm: <Name value={props.sourceName} /> })}
            </span>
          )}
        </div>
      )}
      {reminder?.note && <div class="lz-small lz-muted">{reminder.note}</div>}
      {active && (
        <div class="lz-actions lz-actions-start">
          <button
            type="button"
            class="lz-btn lz-btn-sm lz-btn-primary"
            data-testid="reminder-done"
            disabled={doneAction.busy}
            aria-busy={doneAction.busy}
            onClick={() => void doneAction.run()}
          >
            {doneAction.busy ? t('common.working') : t('card.done')}
          </button>
          <button
            type="button"
            class="lz-btn lz-btn-sm"
            data-testid="reminder-snooze"
            disabled={snoozeAction.busy}
            aria-busy={snoozeAction.busy}
            onClick={() => void snoozeAction.run()}
          >
            {snoozeAction.busy ? t('common.working') : t('card.snooze')}
          </button>
        </div>
      )}
      <ErrorText t={t} error={doneAction.error ?? snoozeAction.error} />
    </div>
  );
}

function SyncStates({ t, links, now, retry, pullNow }: { t: T; links: LinkView[]; now: number; retry?: (connectionId: string) => Promise<void>; pullNow?: () => Promise<string[]> }) {
  if (!links.length) return null;
  return (
    <div class="lz-sync">
      <div class="lz-label-inline">{t('card.sync')}</div>
      <ul class="lz-sync-list">
        {links.map((l) => (
          <li key={l.connectionId} class={`lz-sync-row lz-sync-${l.syncState}`} data-testid="sync-state" data-state={l.syncState} data-connection-id={l.connectionId}>
            <div class="lz-sync-main">
              <Name class="lz-sync-name" value={l.connectionName} />
              {(l.remoteCode ?? l.remoteId) && (
                <span class="lz-mono lz-small lz-muted" data-testid="sync-code" title={l.remoteCode ? t('card.remoteCode') : t('card.remoteId')}>
                  {l.remoteCode ?? l.remoteId}
                </span>
              )}
              <SyncBadge t={t} state={l.syncState} />
            </div>
            {l.lastSyncedAt !== undefined && l.syncState === 'synced' && (
              <div class="lz-small lz-muted">{t('card.syncedAt', { when: t.formatAgo(l.lastSyncedAt, now) })}</div>
            )}
            {l.lastError && l.syncState !== 'synced' && <SyncError t={t} error={l.lastError} />}
            {(l.warnings ?? []).map((w, i) => {
              const shown = errorDisplay(t, w);
              return (
                <div key={i} class="lz-small lz-warn-text" data-testid="link-warning" {...(shown.detail ? { title: shown.detail } : {})}>
                  {t('card.warning', { text: shown.text })}
                </div>
              );
            })}
            {l.readable && <PullLine t={t} link={l} now={now} pullNow={pullNow} />}
            {retry && l.syncState !== 'synced' && <RetrySync t={t} retry={() => retry(l.connectionId)} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A link's reason, in the UI's language; the sync-health page shows the same words for the same
 * entry (health.authPaused for the auth pause, errorDisplay for the rest).
 */
function SyncError({ t, error }: { t: T; error: string }) {
  const shown = error === AUTH_PAUSE_MESSAGE ? { text: t('sync.authPaused'), detail: error } : errorDisplay(t, error);
  return (
    <div class="lz-small lz-error-text" data-testid="sync-error" {...(shown.detail ? { title: shown.detail } : {})}>
      {shown.text}
    </div>
  );
}

/** 上次读取 N 分钟前 and 刷新, for a CRM Liaison can read back. */
function PullLine({ t, link, now, pullNow }: { t: T; link: LinkView; now: number; pullNow?: (() => Promise<string[]>) | undefined }) {
  const [errors, setErrors] = useState<string[]>([]);
  const action = useAction(async () => {
    setErrors([]);
    setErrors(await pullNow!());
  });
  return (
    <div class="lz-pull">
      <div class="lz-actions lz-actions-start">
        <span class="lz-small lz-muted" data-testid="link-pulled-at" {...(link.pulledAt !== undefined ? { title: t.formatDateTime(link.pulledAt), 'data-at': String(link.pulledAt) } : {})}>
          {link.pulledAt !== undefined ? t('card.pulledAt', { when: t.formatAgo(link.pulledAt, now) }) : t('card.neverPulled')}
        </span>
        {pullNow && (
          <button
            type="button"
            class="lz-btn lz-btn-sm lz-btn-ghost"
            data-testid="pull-now"
            title={t('card.pullNowHint')}
            disabled={action.busy}
            aria-busy={action.busy}
            onClick={() => void action.run()}
          >
            {action.busy ? t('common.working') : t('card.pullNow')}
          </button>
        )}
      </div>
      {errors.map((e, i) => {
        const shown = errorDisplay(t, e);
        return (
          <p key={i} class="lz-error" role="alert" data-testid="pull-error" {...(shown.detail ? { title: shown.detail } : {})}>
            {shown.text}
          </p>
        );
      })}
      <ErrorText t={t} error={action.error} />
    </div>
  );
}

function RetrySync({ t, retry }: { t: T; retry(): Promise<void> }) {
  const action = useAction(retry);
  return (
    <div class="lz-actions lz-actions-start">
      <button type="button" class="lz-btn lz-btn-sm" data-testid="sync-retry" disabled={action.busy} aria-busy={action.busy} onClick={() => void action.run()}>
        {action.busy ? t('common.working') : t('common.retry')}
      </button>
      <ErrorText t={t} error={action.error} />
    </div>
  );
}

function CardActions({ t, onEdit, unlink }: { t: T; onEdit(): void; unlink(): Promise<void> }) {
  // Unlinking is rare and easy to do by mistake next to "edit": ask once, inline.
  const [confirming, setConfirming] = useState(false);
  const action = useAction(() => unlink());
  return (
    <div class="lz-card-actions">
      <div class="lz-actions lz-actions-start">
        <button type="button" class="lz-btn lz-btn-sm" onClick={onEdit} data-testid="edit-customer">
          {t('card.edit')}
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              class="lz-btn lz-btn-sm lz-btn-danger"
              disabled={action.busy}
              aria-busy={action.busy}
              data-testid="unlink-confirm"
              onClick={() => void action.run().then((ok) => ok && setConfirming(false))}
            >
              {action.busy ? t('common.working') : t('card.unlinkConfirm')}
            </button>
            <button type="button" class="lz-btn lz-btn-sm lz-btn-ghost" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </>
        ) : (
          <button type="button" class="lz-btn lz-btn-sm lz-btn-ghost" data-testid="unlink" onClick={() => setConfirming(true)}>
            {t('card.unlink')}
          </button>
        )}
      </div>
      <ErrorText t={t} error={action.error} />
    </div>
  );
}
