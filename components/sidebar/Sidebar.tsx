// The panel docked beside a web chat (mounted in a shadow root by each site's content script).
// It renders a CustomerView and turns clicks into SidebarActions; the entrypoint wires those
// to the background. Collapsed, it is a slim tab on the right edge that keeps the 客户编号 visible.
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { Customer, CustomerSummary, CustomerView, RemoteCandidate, TicketFormInput, TicketStatus, TicketView } from '../../lib/model';
import type { RemoteSearchResult } from './RemoteCandidates';
import type { CustomerInput, FollowUpInput } from '../../lib/messaging/protocol';
import { CustomerCard } from './CustomerCard';
import { EditCustomer } from './EditCustomer';
import { FollowUpForm } from './FollowUpForm';
import { FollowUpHistory } from './FollowUpHistory';
import { HealthBanner, healthBroken, type BannerHealth, type CopyOutcome } from './HealthBanner';
import { UnknownContact } from './UnknownContact';
import { DealList, Suggestions } from './Suggestions';
import { TicketList } from './TicketList';
import { Owner } from './Owner';
import type { AssignmentView } from '../../lib/assign/messages';
import type { DealInput } from '../../lib/messaging/protocol';
import './sidebar.css';
import { isolateText } from '../../lib/i18n/bidi';
import { errorDisplay } from '../../lib/i18n/bilingual';

export interface SidebarActions {
  create(fields: CustomerInput): Promise<void>;
  search(q: string): Promise<CustomerSummary[]>;
  link(customerId: string): Promise<void>;
  unlink(): Promise<void>;
  update(patch: CustomerInput): Promise<void>;
  logFollowUp(f: FollowUpInput): Promise<void>;
  reminderDone(): Promise<void>;
  snooze(minutes?: number): Promise<void>;
  openOptions(): void;
  retrySync?(connectionId: string): Promise<void>;
  /** Accept a deal suggestion (deal.create). */
  createDeal?(deal: DealInput): Promise<void>;
  /** Per-customer "never auto-log". */
  setNeverLog?(never: boolean): Promise<void>;
  /** An unknown contact searched live in the connected CRMs (crm.candidates). */
  findRemote?(): Promise<RemoteSearchResult>;
  /** Link the chat to a CRM's record (crm.linkRemote). */
  linkRemote?(c: RemoteCandidate): Promise<void>;
  /** Read the customer back from its CRMs now (crm.pullCustomer); resolves to the errors per CRM. */
  pullNow?(): Promise<string[]>;
  /** Put back the value a conflict rule replaced (conflict.restore). */
  restoreConflict?(connectionId: string, field: string, at: number): Promise<void>;
  /** Keep what the rule chose (conflict.dismiss). */
  dismissConflict?(connectionId: string, field: string): Promise<void>;
  /** 创建售后单 (ticket.create). */
  createTicket?(ticket: TicketFormInput): Promise<void>;
  /** Move a local ticket on (ticket.setStatus). */
  setTicketStatus?(ticketId: string, status: TicketStatus): Promise<void>;
  /** 分配 / 改派: to a team member, or 'auto' for the rules (customer.assign). */
  assign?(memberId: string): Promise<void>;
}

export interface SidebarProps {
  t: T;
  view: CustomerView | null;
  health?: BannerHealth | null;
  /** 复制页面结构: copy the chat area's skeleton (no text) for a bug report, from the health banner. */
  onCopyStructure?: () => Promise<CopyOutcome>;
  collapsed: boolean;
  onToggle(): void;
  actions: SidebarActions;
  /** Epoch ms; passed in so relative times are testable and refresh when the entrypoint ticks. */
  now: number;
  /** The last failed request to the background (e.g. the extension was updated), with a retry. */
  error?: string | null;
  onRetry?(): void;
  /** Names of the CRMs an unknown contact is searched in (for 「正在 智邦ERP 中查找…」). */
  remoteNames?: string[];
  /** The open customer's tickets (ticket.list), newest first. */
  tickets?: readonly TicketView[];
  /** The open customer's 负责人 and its assignment (customer.assignment); absent while loading. */
  assignment?: AssignmentView;
}

function knownView(view: CustomerView | null): (CustomerView & { customer: Customer }) | null {
  return view && view.status === 'known' && view.customer ? (view as CustomerView & { customer: Customer }) : null;
}

export function Sidebar({ t, view, health, onCopyStructure, collapsed, onToggle, actions, now, error, onRetry, remoteNames, tickets, assignment }: SidebarProps) {
  const known = knownView(view);
  const broken = healthBroken(health);
  if (collapsed) {
    return (
      <aside class="lz-sidebar lz-collapsed" data-testid="liaison-sidebar" data-collapsed="true" lang={t.locale === 'zh_CN' ? 'zh-CN' : 'en'}>
        <button
          type="button"
          class={`lz-tab${broken ? ' lz-tab-warn' : ''}`}
          data-testid="sidebar-toggle"
          aria-expanded="false"
          aria-label={t('sidebar.expand')}
          title={known ? `${known.customer.code} · ${isolateText(known.customer.name)}` : t('sidebar.expand')}
          onClick={onToggle}
        >
          {known ? (
            <span class="lz-tab-code lz-mono" data-testid="tab-code">
              {known.customer.code}
            </span>
          ) : (
            <span class={`lz-tab-dot${view ? ' lz-tab-dot-unknown' : ''}`} aria-hidden="true" />
          )}
        </button>
      </aside>
    );
  }
  return (
    <aside class="lz-sidebar" data-testid="liaison-sidebar" data-collapsed="false" aria-label={t('app.name')} lang={t.locale === 'zh_CN' ? 'zh-CN' : 'en'}>
      <header class="lz-header">
        <span class="lz-logo" aria-hidden="true">
          联
        </span>
        <span class="lz-brand">{t('app.name')}</span>
        <span class="lz-grow" />
        <button type="button" class="lz-icon-btn" aria-label={t('sidebar.settings')} title={t('sidebar.settings')} onClick={() => actions.openOptions()}>
          ⚙
        </button>
        <button type="button" class="lz-icon-btn" data-testid="sidebar-toggle" aria-expanded="true" aria-label={t('sidebar.collapse')} title={t('sidebar.collapse')} onClick={onToggle}>
          ⟩
        </button>
      </header>
      <HealthBanner t={t} health={health} {...(onCopyStructure ? { copy: onCopyStructure } : {})} />
      {error && (
        <div class="lz-banner lz-banner-error" role="alert" data-testid="sidebar-error">
          <span {...(errorDisplay(t, error).detail ? { title: error } : {})}>
            {t('sidebar.requestFailed')} {errorDisplay(t, error).text}
          </span>
          {onRetry && (
            <button type="button" class="lz-btn lz-btn-sm" data-testid="sidebar-retry" onClick={onRetry}>
              {t('common.retry')}
            </button>
          )}
        </div>
      )}
      <div class="lz-body">
        {!view ? (
          <div class="lz-empty-state">
            <div class="lz-empty-icon" aria-hidden="true">
              💬
            </div>
            <p>{t('sidebar.waiting')}</p>
          </div>
        ) : known ? (
          // Keyed by customer / conversation: switching chats remounts the forms, so a half-typed
          // follow-up or edit can never be saved against the next customer.
          <KnownCustomer key={known.customer.id} t={t} view={known} actions={actions} now={now} tickets={tickets} assignment={assignment} />
        ) : (
          <UnknownContact
            key={`${view.site}|${view.threadKey}`}
            t={t}
            view={view}
            create={(f) => actions.create(f)}
            search={(q) => actions.search(q)}
            link={(id) => actions.link(id)}
            {...(actions.findRemote && actions.linkRemote ? { findRemote: () => actions.findRemote!(), linkRemote: (c: RemoteCandidate) => actions.linkRemote!(c) } : {})}
            remoteNames={remoteNames}
          />
        )}
      </div>
    </aside>
  );
}

function KnownCustomer({ t, view, actions, now, tickets, assignment }: { t: T; view: CustomerView & { customer: Customer }; actions: SidebarActions; now: number; tickets?: readonly TicketView[] | undefined; assignment?: AssignmentView | undefined }) {
  const [editing, setEditing] = useState(false);
  return (
    <div class="lz-stack">
      {editing ? (
        <EditCustomer t={t} customer={view.customer} options={view.options} update={(p) => actions.update(p)} onClose={() => setEditing(false)} />
      ) : (
        <CustomerCard
          t={t}
          view={view}
          now={now}
          update={(p) => actions.update(p)}
          reminderDone={() => actions.reminderDone()}
          snooze={(m) => actions.snooze(m)}
          unlink={() => actions.unlink()}
          onEdit={() => setEditing(true)}
          retrySync={actions.retrySync ? (id) => actions.retrySync!(id) : undefined}
          {...(actions.pullNow ? { pullNow: () => actions.pullNow!() } : {})}
          {...(actions.restoreConflict ? { restoreConflict: (c: string, f: string, at: number) => actions.restoreConflict!(c, f, at) } : {})}
          {...(actions.dismissConflict ? { dismissConflict: (c: string, f: string) => actions.dismissConflict!(c, f) } : {})}
        />
      )}
      {assignment && actions.assign && <Owner t={t} owner={view.customer.owner} view={assignment} assign={(id) => actions.assign!(id)} now={now} />}
      {view.suggestions && actions.createDeal && (
        <Suggestions
          t={t}
          suggestions={view.suggestions}
          createDeal={(d) => actions.createDeal!(d)}
          setNextFollowUp={(at) => actions.update({ nextFollowUpAt: at })}
          logFollowUp={(f) => actions.logFollowUp(f)}
          {...(actions.setNeverLog ? { setNeverLog: (v: boolean) => actions.setNeverLog!(v) } : {})}
          {...(actions.createTicket ? { createTicket: (tk: TicketFormInput) => actions.createTicket!(tk) } : {})}
        />
      )}
      <TicketList t={t} tickets={tickets ?? []} now={now} {...(actions.setTicketStatus ? { setStatus: (id: string, s: TicketStatus) => actions.setTicketStatus!(id, s) } : {})} />
      <DealList t={t} deals={view.deals} sourceName={(id) => sourceName(view.links, id)} />
      <FollowUpForm t={t} now={now} logFollowUp={(f) => actions.logFollowUp(f)} tickets={openTickets(tickets)} />
      <FollowUpHistory t={t} followUps={view.followUps} now={now} sourceName={(id) => sourceName(view.links, id)} />
    </div>
  );
}

/** Open tickets as the follow-up form offers them (关联工单): their first number, then the subject. */
function openTickets(tickets: readonly TicketView[] | undefined): { id: string; label: string }[] {
  return (tickets ?? [])
    .filter((tk) => tk.status !== '已解决' && tk.status !== '已关闭')
    .map((tk) => ({ id: tk.id, label: [tk.places.find((p) => p.number)?.number, tk.subject].filter(Boolean).join(' ').slice(0, 80) }));
}

/** A connection id (a follow-up's, deal's or reminder's source) → the name its link shows; the id when unlinked since. */
export function sourceName(links: CustomerView['links'], connectionId: string): string {
  return links.find((l) => l.connectionId === connectionId)?.connectionName ?? connectionId;
}
