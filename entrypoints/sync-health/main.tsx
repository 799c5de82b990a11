// 同步状态 / Sync health: sync-health.html?connection=<id> shows one CRM connection's queue,
// failures and actions; without the parameter, every remote connection with a link to its page.
// Opened in a tab from the options page's "同步详情". Live: reloads when the outbox, links or
// connections change, and relative times tick every 30 s.
import '@/components/sync-health/sync-health.css';
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { SyncHealthPage } from '@/components/sync-health/SyncHealthPage';
import { SyncHealthList, type HealthListItem } from '@/components/sync-health/SyncHealthList';
import { pickLocale, type T } from '@/lib/i18n';
import { createPageT } from '@/lib/i18n/pages';
import { onChanged, send } from '@/lib/messaging/client';
import { findSpec } from '@/lib/crm/registry';
import type { Settings } from '@/lib/model';
import type { SyncEntriesView } from '@/lib/sync/messages';

const TICK_MS = 30_000;
const WATCHED = ['outbox', 'links', 'connections'];

const hrefFor = (connectionId: string) => `sync-health.html?connection=${encodeURIComponent(connectionId)}`;

function kindName(t: T, kind: string): string {
  const spec = findSpec(kind);
  return spec ? (t.locale === 'zh_CN' ? spec.names.zh_CN : spec.names.en) : kind;
}

/** One load at a time: changes that arrive while loading cause exactly one more load after it (the worker announces every entry it records). */
function useCoalesced(load: () => Promise<void>): () => Promise<void> {
  const state = useRef({ running: false, again: false });
  return useCallback(async () => {
    const s = state.current;
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    try {
      do {
        s.again = false;
        await load();
      } while (s.again);
    } finally {
      s.running = false;
    }
  }, []);
}

function App() {
  const connectionId = new URLSearchParams(location.search).get('connection');
  const [language, setLanguage] = useState<Settings['language']>('auto');
  const t = useMemo(() => createPageT(pickLocale(language, browser.i18n.getUILanguage())), [language]);
  const [now, setNow] = useState(Date.now());
  const [view, setView] = useState<SyncEntriesView | null>(null);
  const [list, setList] = useState<(Omit<HealthListItem, 'kindName'> & { kind: string })[] | null>(null);
  const [error, setError] = useState<string | undefined>();

  const load = useCoalesced(async () => {
    try {
      if (connectionId) {
        setView(await send('sync.entries', { connectionId }));
      } else {
        const [{ connections }, health] = await Promise.all([send('connection.list', {}), send('sync.health', {})]);
        const byId = new Map(health.connections.map((h) => [h.connectionId, h]));
        setList(
          connections
            .filter((c) => c.kind !== 'local')
            .map((c) => {
              const h = byId.get(c.id);
              return { id: c.id, name: c.name, kind: c.kind, enabled: c.enabled, queued: h?.queued ?? 0, failed: h?.failed ?? 0, ...(h?.lastSuccessAt !== undefined ? { lastSuccessAt: h.lastSuccessAt } : {}) };
            }),
        );
      }
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    setNow(Date.now());
  });

  useEffect(() => {
    void send('settings.get', {})
      .then((s) => setLanguage(s.language))
      .catch(() => undefined);
    void load();
    const tick = setInterval(() => setNow(Date.now()), TICK_MS);
    const off = onChanged((e) => {
      if (e.tables.some((name) => WATCHED.includes(name))) void load();
    });
    return () => {
      clearInterval(tick);
      off();
    };
  }, []);

  useEffect(() => {
    document.title = view ? `${t('health.title')} · ${view.health.name}` : t('health.title');
  }, [t, view?.health.name]);

  const after = async (p: Promise<unknown>) => {
    await p;
    await load();
  };

  if (!connectionId) {
    return <SyncHealthList t={t} now={now} connections={list?.map(({ kind, ...c }) => ({ ...c, kindName: kindName(t, kind) })) ?? null} {...(error ? { error } : {})} hrefFor={hrefFor} />;
  }
  return (
    <SyncHealthPage
      t={t}
      now={now}
      view={view}
      {...(error ? { error } : {})}
      {...(view ? { kindName: kindName(t, view.health.kind) } : {})}
      listHref="sync-health.html"
      reconnectHref="options.html#lzo-connections"
      actions={{
        retryAll: (id) => after(send('sync.retry', { connectionId: id })),
        retryEntry: (entryId) => after(send('sync.retryEntry', { entryId })),
        discardEntry: (entryId) => after(send('sync.discardEntry', { entryId })),
      }}
    />
  );
}

render(<App />, document.getElementById('root')!);
