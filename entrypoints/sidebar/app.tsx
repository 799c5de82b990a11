// Wires the pure Sidebar component to the background, for the sidebar page framed in a chat tab.
// The page's state (the open conversation, its customer view, the reader's health) comes from
// the background by this frame's own tab; every action goes to the background as an extension
// page's request.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Sidebar } from '@/components/sidebar/Sidebar';
import { createT, pickLocale } from '@/lib/i18n';
import { onChanged, onTabEvent, send } from '@/lib/messaging/client';
import { createNewest, SUPERSEDED } from '@/lib/messaging/newest';
import type { CustomerView, ReaderHealth, TicketView } from '@/lib/model';
import type { CopyOutcome } from '@/components/sidebar/HealthBanner';
import { findSpec } from '@/lib/crm/registry';
import type { ConnectionView } from '@/lib/connections/views';
import type { AssignmentView } from '@/lib/assign/messages';

/** The CRMs an unknown contact is searched in live: enabled, remote, able to search (crm.candidates skips the rest). */
function searchableNames(connections: ConnectionView[]): string[] {
  return connections
    .filter((c) => c.enabled && c.kind !== 'local' && (findSpec(c.kind)?.capabilities.findCustomers as boolean | undefined) !== false)
    .map((c) => c.name);
}

interface State {
  tabId: number | null;
  conv: { site: string; threadKey: string } | null;
  view: CustomerView | null;
  health: ReaderHealth | null;
  collapsed: boolean;
  error: string | null;
  /** the background's report number the state reflects: an older answer never replaces a newer one */
  seq: number;
}

export function SidebarPage(props: { uiLanguage: string; openOptions(): void; copyText(text: string): Promise<void> }) {
  const [state, setState] = useState<State>({ tabId: null, conv: null, view: null, health: null, collapsed: false, error: null, seq: -1 });
  const ref = useRef(state);
  ref.current = state;
  const [now, setNow] = useState(Date.now());
  const patch = (p: Partial<State>) => setState((s) => (ref.current = { ...s, ...p }));
  /** Names of the CRMs searched for an unknown contact (「正在 智邦ERP 中查找…」); undefined until known. */
  const [remoteNames, setRemoteNames] = useState<string[] | undefined>(undefined);
  const loadRemoteNames = () =>
    send('connection.list', {}).then(
      ({ connections }) => setRemoteNames(searchableNames(connections)),
      () => undefined,
    );

  /** The open customer's tickets (ticket.list), with the customer they belong to: another customer's never show. */
  const [tickets, setTickets] = useState<{ customerId: string; tickets: TicketView[] } | null>(null);
  /** The open customer's 负责人 and how it was assigned (customer.assignment), kept with its customer id like the tickets. */
  const [assignment, setAssignment] = useState<{ customerId: string; view: AssignmentView } | null>(null);
  const loadTickets = async (customerId: string | undefined) => {
    if (!customerId) return (setTickets(null), setAssignment(null));
    const [r, a] = await Promise.all([send('ticket.list', { customerId }), send('customer.assignment', { customerId })]);
    if (ref.current.view?.customer?.id !== customerId) return;
    setTickets({ customerId, tickets: r.tickets });
    setAssignment({ customerId, view: a });
  };
  /** Two loads in flight (a change event and an action's own refresh): an earlier one's answer, read before the change, is dropped. */
  const newest = useMemo(createNewest, []);
  /** Ask the background what this tab shows now (reobserve: understand its messages again). */
  const load = async (reobserve = false) => {
    const s = await newest(send('sidebar.state', reobserve ? { reobserve } : {}));
    if (s === SUPERSEDED || s.seq < ref.current.seq) return;
    patch({ tabId: s.tabId, conv: s.conv, view: s.view, health: s.health, seq: s.seq, error: null });
    await loadTickets(s.view?.customer?.id);
  };
  const fail = (err: Error) => patch({ error: err.message });

  useEffect(() => {
    void load().catch(fail);
    void loadRemoteNames();
    const offChanged = onChanged((e) => {
      void load().catch(fail);
      if (e.tables.includes('connections')) void loadRemoteNames();
    });
    // A new report from this tab's content script (a switch, a new message): its view comes along.
    const offTab = onTabEvent((e) => {
      const cur = ref.current;
      if (cur.tabId === null || e.tabId !== cur.tabId || e.seq <= cur.seq) return;
      if (e.state) {
        patch({ conv: e.state.conv, view: e.state.view, health: e.state.health, seq: e.seq, error: null });
        void loadTickets(e.state.view?.customer?.id).catch(fail);
      } else void load().catch(fail);
    });
    // Relative times ("in 2 hours", "overdue") stay right while the chat stays open.
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      offChanged();
      offTab();
      clearInterval(timer);
    };
  }, []);

  const language = state.view?.options.language ?? 'auto';
  const t = useMemo(() => createT(pickLocale(language, props.uiLanguage)), [language, props.uiLanguage]);

  const conv = state.conv;
  const customerId = state.view?.customer?.id;
  const need = () => {
    if (!conv) throw new Error(t('sidebar.noConversation'));
    return conv;
  };
  const needCustomer = () => {
    if (!customerId) throw new Error(t('sidebar.noCustomer'));
    return customerId;
  };
  /** Every action is followed by a fresh view, so the sidebar never shows stale data even if a change event is lost. */
  const refresh = () => load();
  /** 复制页面结构: the background asks this tab's content script for the scrubbed skeleton. */
  const copyStructure = async (): Promise<CopyOutcome> => {
    const site = ref.current.health?.site ?? ref.current.conv?.site;
    if (!site) throw new Error(t('sidebar.noConversation'));
    const { skeleton } = await send('diagnostics.skeleton', { site });
    if (skeleton === null) return { kind: 'noTab' };
    try {
      await props.copyText(skeleton);
      return { kind: 'copied' };
    } catch {
      // No clipboard access (the frame is not focused): shown for the user to copy by hand.
      return { kind: 'manual', text: skeleton };
    }
  };

  return (
    <Sidebar
      t={t}
      view={state.view}
      health={state.health}
      onCopyStructure={copyStructure}
      collapsed={state.collapsed}
      now={now}
      error={state.error}
      onRetry={() => void refresh().catch(fail)}
      {...(remoteNames ? { remoteNames } : {})}
      {...(tickets && tickets.customerId === customerId ? { tickets: tickets.tickets } : {})}
      {...(assignment && assignment.customerId === customerId ? { assignment: assignment.view } : {})}
      onToggle={() => {
        const collapsed = !ref.current.collapsed;
        patch({ collapsed });
        // The content script docks the frame: the only thing it is told.
        void send('sidebar.layout', { collapsed }).catch(fail);
      }}
      actions={{
        async create(fields) {
          await send('customer.create', { conv: need(), fields });
          // Understand what was already said, now that the chat has a customer.
          await load(true);
        },
        async search(query) {
          return (await send('customer.search', { query, limit: 20 })).results;
        },
        async link(id) {
          await send('customer.link', { conv: need(), customerId: id });
          await load(true);
        },
        async unlink() {
          await send('customer.unlink', { conv: need() });
          await refresh();
        },
        async update(p) {
          await send('customer.update', { conv: need(), customerId: needCustomer(), patch: p });
          await refresh();
        },
        async logFollowUp(followUp) {
          await send('followUp.log', { conv: need(), customerId: needCustomer(), followUp });
          await refresh();
        },
        async reminderDone() {
          await send('reminder.done', { conv: need(), customerId: needCustomer() });
          await refresh();
        },
        async snooze(minutes) {
          await send('reminder.snooze', { conv: need(), customerId: needCustomer(), minutes });
          await refresh();
        },
        async retrySync(connectionId) {
          await send('sync.retry', { conv: need(), customerId: needCustomer(), connectionId });
          await refresh();
        },
        async createDeal(deal) {
          await send('deal.create', { conv: need(), customerId: needCustomer(), deal });
          await refresh();
        },
        async setNeverLog(never) {
          await send('autolog.never', { conv: need(), customerId: needCustomer(), never });
          await refresh();
        },
        async findRemote() {
          return send('crm.candidates', { conv: need() });
        },
        async linkRemote(c) {
          await send('crm.linkRemote', { conv: need(), connectionId: c.connectionId, remoteId: c.remoteId });
          // Understand what was already said, now that the chat has a customer.
          await load(true);
        },
        async pullNow() {
          const { errors } = await send('crm.pullCustomer', { conv: need(), customerId: needCustomer() });
          await refresh();
          return errors;
        },
        async restoreConflict(connectionId, field, at) {
          await send('conflict.restore', { conv: need(), customerId: needCustomer(), connectionId, field, at });
          await refresh();
        },
        async dismissConflict(connectionId, field) {
          await send('conflict.dismiss', { conv: need(), customerId: needCustomer(), connectionId, field });
          await refresh();
        },
        async createTicket(ticket) {
          await send('ticket.create', { conv: need(), customerId: needCustomer(), ticket });
          await refresh();
        },
        async setTicketStatus(ticketId, status) {
          await send('ticket.setStatus', { conv: need(), customerId: needCustomer(), ticketId, status });
          await refresh();
        },
        async assign(memberId) {
          const customerId = needCustomer();
          const view = await send('customer.assign', { conv: need(), customerId, memberId });
          setAssignment({ customerId, view });
          await refresh();
        },
        openOptions: props.openOptions,
      }}
    />
  );
}
