// The toolbar popup: today's work at a glance. Overdue first (they are the ones slipping),
// then the rest of today, each with one-click done / snooze 1h / open chat / quick note.
import { useId, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { Dashboard, DueItem } from '../../lib/model';
import { useAction } from '../sidebar/async';
import { StageBadge } from '../sidebar/badges';
import './popup.css';
import { Name } from '../shared/Name';

export interface PopupActions {
  done(customerId: string): Promise<void>;
  snooze(customerId: string, minutes?: number): Promise<void>;
  openChat(customerId: string): Promise<void>;
  quickNote(customerId: string, text: string): Promise<void>;
  openOptions(): void;
  /** 提取线索: read leads from the tab the popup was opened on (activeTab) and open the review. */
  extractLeads?(): Promise<void>;
}

export interface PopupProps {
  t: T;
  dashboard: Dashboard | null;
  error?: string;
  actions: PopupActions;
}

/** "snooze 1h" in the popup is always an hour; the sidebar's snooze uses the settings default. */
export const POPUP_SNOOZE_MINUTES = 60;

export function Popup({ t, dashboard, error, actions }: PopupProps) {
  return (
    <div class="lzp" data-testid="popup" lang={t.locale === 'zh_CN' ? 'zh-CN' : 'en'}>
      <header class="lzp-header">
        <div class="lzp-brand">
          <span class="lzp-logo" aria-hidden="true">
            联
          </span>
          <span>{t('app.name')}</span>
        </div>
        <button type="button" class="lzp-icon" aria-label={t('popup.settings')} title={t('popup.settings')} onClick={() => actions.openOptions()}>
          ⚙
        </button>
      </header>
      {error && (
        <p class="lzp-error lzp-banner" role="alert" data-testid="popup-error">
          {error}
        </p>
      )}
      {!dashboard ? (
        !error && (
          <div class="lzp-loading" aria-busy="true">
            <span class="lzp-spinner" />
            {t('common.loading')}
          </div>
        )
      ) : (
        <DashboardView t={t} d={dashboard} actions={actions} />
      )}
      <footer class="lzp-footer">
        {actions.extractLeads && <ExtractLeadsButton locale={t.locale} run={actions.extractLeads} />}
        <button type="button" class="lzp-link lzp-footer-end" data-testid="open-options" onClick={() => actions.openOptions()}>
          {t('popup.options')} →
        </button>
      </footer>
    </div>
  );
}

function DashboardView({ t, d, actions }: { t: T; d: Dashboard; actions: PopupActions }) {
  const empty = d.overdue.length === 0 && d.dueToday.length === 0;
  return (
    <>
      <div class="lzp-counts" aria-live="polite">
        <span class="lzp-count">
          {t('popup.dueToday')} <strong data-testid="count-due">{d.counts.dueToday}</strong>
        </span>
        <span class="lzp-sep" aria-hidden="true">
          ·
        </span>
        <span class={`lzp-count${d.counts.overdue > 0 ? ' lzp-count-bad' : ''}`}>
          {t('popup.overdue')} <strong data-testid="count-overdue">{d.counts.overdue}</strong>
        </span>
      </div>
      <main class="lzp-main">
        {empty ? (
          <div class="lzp-empty" data-testid="popup-empty">
            <div class="lzp-empty-icon" aria-hidden="true">
              ✓
            </div>
            <p>{t('popup.empty')}</p>
          </div>
        ) : (
          <>
            <DueList t={t} title={t('popup.overdueList')} items={d.overdue} now={d.now} actions={actions} tone="bad" />
            <DueList t={t} title={t('popup.todayList')} items={d.dueToday} now={d.now} actions={actions} tone="normal" />
          </>
        )}
      </main>
      <SyncSummary t={t} sync={d.sync} />
    </>
  );
}

function DueList(props: { t: T; title: string; items: DueItem[]; now: number; actions: PopupActions; tone: 'bad' | 'normal' }) {
  const { t, title, items } = props;
  if (!items.length) return null;
  return (
    <section class={`lzp-section lzp-section-${props.tone}`}>
      <h2 class="lzp-h">
        {title}
        <span class="lzp-pill">{items.length}</span>
      </h2>
      <ul class="lzp-list">
        {items.map((item) => (
          <DueRow key={item.reminderId} t={t} item={item} now={props.now} actions={props.actions} />
        ))}
      </ul>
    </section>
  );
}

function DueRow({ t, item, now, actions }: { t: T; item: DueItem; now: number; actions: PopupActions }) {
  const id = item.customerId;
  const done = useAction(() => actions.done(id));
  const snooze = useAction(() => actions.snooze(id, POPUP_SNOOZE_MINUTES));
  const open = useAction(() => actions.openChat(id));
  const note = useAction((text: string) => actions.quickNote(id, text));
  const [noting, setNoting] = useState(false);
  const [text, setText] = useState('');
  const inputId = useId();
  const error = done.error ?? snooze.error ?? open.error ?? note.error;
  const anyBusy = done.busy || snooze.busy || open.busy;

  const saveNote = async () => {
    if (!text.trim()) return;
    if (await note.run(text.trim())) {
      setText('');
      setNoting(false);
    }
  };

  return (
    <li class={`lzp-item${item.overdue ? ' lzp-item-overdue' : ''}`} data-testid="due-item" data-customer-id={id}>
      <div class="lzp-item-top">
        <span class="lzp-code">{item.code}</span>
        <Name class="lzp-name" value={item.name} />
        <StageBadge t={t} stage={item.stage} />
        <time class={`lzp-due${item.overdue ? ' lzp-due-bad' : ''}`} dateTime={new Date(item.dueAt).toISOString()} title={t.formatDateTime(item.dueAt)}>
          {t.formatRelative(item.dueAt, now)}
        </time>
      </div>
      {item.lastFollowUp && <p class="lzp-last">{item.lastFollowUp}</p>}
      <div class="lzp-actions">
        <button type="button" class="lzp-btn lzp-btn-primary" data-testid="due-done" disabled={anyBusy} aria-busy={done.busy} onClick={() => void done.run()}>
          {done.busy ? t('common.working') : t('popup.done')}
        </button>
        <button type="button" class="lzp-btn" data-testid="due-snooze" disabled={anyBusy} aria-busy={snooze.busy} onClick={() => void snooze.run()}>
          {snooze.busy ? t('common.working') : t('popup.snooze1h')}
        </button>
        <button
          type="button"
          class="lzp-btn"
          data-testid="due-open"
          disabled={anyBusy}
          aria-busy={open.busy}
          title={item.chatUrl ? undefined : t('popup.noChatYet')}
          onClick={() => void open.run()}
        >
          {open.busy ? t('common.working') : t('popup.openChat')}
        </button>
        <button type="button" class={`lzp-btn lzp-btn-ghost${noting ? ' lzp-btn-on' : ''}`} data-testid="due-note" aria-expanded={noting} onClick={() => setNoting(!noting)}>
          {t('popup.note')}
        </button>
      </div>
      {noting && (
        <form
          class="lzp-note"
          onSubmit={(e) => {
            e.preventDefault();
            void saveNote();
          }}
        >
          <label class="lzp-visually-hidden" for={inputId}>
            {t('popup.notePlaceholder')}
          </label>
          <input
            id={inputId}
            class="lzp-input"
            value={text}
            placeholder={t('popup.notePlaceholder')}
            data-testid="due-note-input"
            autoFocus
            disabled={note.busy}
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setNoting(false);
              }
            }}
          />
          <button type="submit" class="lzp-btn lzp-btn-primary" data-testid="due-note-save" disabled={note.busy || !text.trim()} aria-busy={note.busy}>
            {note.busy ? t('common.saving') : t('common.save')}
          </button>
        </form>
      )}
      {error !== null && (
        <p class="lzp-error" role="alert">
          {error || t('error.generic')}
        </p>
      )}
    </li>
  );
}

function SyncSummary({ t, sync }: { t: T; sync: Dashboard['sync'] }) {
  if (!sync.length) return null;
  return (
    <section class="lzp-sync" data-testid="sync-summary" aria-label={t('popup.sync')}>
      <h2 class="lzp-h">{t('popup.sync')}</h2>
      <ul>
        {sync.map((s) => (
          <li key={s.connectionId} class="lzp-sync-row" data-connection-id={s.connectionId}>
            <Name class="lzp-sync-name" value={s.connectionName} />
            <span class="lzp-sync-n lzp-ok" title={t('sync.synced')}>
              {t('sync.synced')} {s.synced}
            </span>
            <span class={`lzp-sync-n${s.pending ? ' lzp-warn' : ''}`} title={t('sync.pending')}>
              {t('sync.pending')} {s.pending}
            </span>
            <span class={`lzp-sync-n${s.failed ? ' lzp-bad' : ''}`} title={t('sync.failed')}>
              {t('sync.failed')} {s.failed}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Its words live here rather than in the shared catalogue (one button, two languages). */
function ExtractLeadsButton({ locale, run }: { locale: string; run: () => Promise<void> }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        class="lzp-link"
        data-testid="extract-leads"
        disabled={busy}
        title={locale === 'zh_CN' ? '从当前页面提取带电话或微信号的线索' : 'Find leads with a phone or WeChat id on this page'}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          run()
            .catch((err: Error) => setError(err.message))
            .finally(() => setBusy(false));
        }}
      >
        {locale === 'zh_CN' ? '提取线索' : 'Extract leads'}
      </button>
      {error && (
        <span class="lzp-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
