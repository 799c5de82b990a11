// Wires the pure Sidebar component to the store and the background. The only sidebar code
// that knows about messaging.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Sidebar } from '../../components/sidebar/Sidebar';
import { createT, pickLocale } from '../i18n';
import { send } from '../messaging/client';
import type { SidebarStore } from './sidebar-store';

export function SidebarApp(props: { store: SidebarStore; uiLanguage: string; openOptions(): void; onCollapse(collapsed: boolean): void; reobserve?(): void }) {
  const { store } = props;
  const [state, setState] = useState(store.get());
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const off = store.subscribe(setState);
    // The store may have changed between the first render and this effect (a fast reply from
    // the background): catch up, or that update is lost until the next one.
    setState(store.get());
    return off;
  }, [store]);
  // Relative times ("in 2 hours", "overdue") stay right while the chat stays open.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const language = state.view?.options.language ?? 'auto';
  const t = useMemo(() => createT(pickLocale(language, props.uiLanguage)), [language, props.uiLanguage]);

  const conv = state.conv;
  const customerId = state.view?.customer?.id;
  /** Every action is followed by a fresh view, so the sidebar never shows stale data even if a change event is lost. */
  const refresh = async () => {
    const current = store.get().conv;
    if (!current) return;
    const view = await send('conversation.view', { conv: current });
    if (store.get().conv?.threadKey === current.threadKey) store.set({ view, error: null });
  };
  const need = () => {
    if (!conv) throw new Error(t('sidebar.noConversation'));
    return conv;
  };
  const needCustomer = () => {
    if (!customerId) throw new Error(t('sidebar.noCustomer'));
    return customerId;
  };

  return (
    <Sidebar
      t={t}
      view={state.view}
      health={state.health && { ok: state.health.ok, missing: state.health.missing }}
      collapsed={state.collapsed}
      now={now}
      error={state.error}
      onRetry={() => void refresh().catch((err: Error) => store.set({ error: err.message }))}
      onToggle={() => {
        const collapsed = !store.get().collapsed;
        store.set({ collapsed });
        props.onCollapse(collapsed);
      }}
      actions={{
        async create(fields) {
          await send('customer.create', { conv: need(), fields });
          await refresh();
          props.reobserve?.();
        },
        async search(query) {
          return (await send('customer.search', { query, limit: 20 })).results;
        },
        async link(id) {
          await send('customer.link', { conv: need(), customerId: id });
          await refresh();
          props.reobserve?.();
        },
        async unlink() {
          await send('customer.unlink', { conv: need() });
          await refresh();
        },
        async update(patch) {
          await send('customer.update', { conv: need(), customerId: needCustomer(), patch });
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
        openOptions: props.openOptions,
      }}
    />
  );
}
