// The popup: today's due and overdue follow-ups with quick actions.
import '@/components/popup/popup.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Popup } from '@/components/popup/Popup';
import { pickLocale } from '@/lib/i18n';
import { createPageT } from '@/lib/i18n/pages';
import { onChanged, send } from '@/lib/messaging/client';
import { createNewest, SUPERSEDED } from '@/lib/messaging/newest';
import type { Dashboard, Settings } from '@/lib/model';

function App() {
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [language, setLanguage] = useState<Settings['language']>('auto');
  const [error, setError] = useState<string | undefined>();
  const t = useMemo(() => createPageT(pickLocale(language, browser.i18n.getUILanguage())), [language]);

  // Done in the popup re-asks, and so does the change event it causes: the earlier answer may come last.
  const newest = useMemo(createNewest, []);
  const load = () =>
    newest(send('dashboard.get', {}))
      .then((d) => {
        if (d === SUPERSEDED) return;
        setDashboard(d);
        setError(undefined);
      })
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void load();
    void send('settings.get', {}).then((s) => setLanguage(s.language)).catch(() => undefined);
    return onChanged(() => void load());
  }, []);

  const after = async (p: Promise<unknown>) => {
    await p;
    await load();
  };
  return (
    <Popup
      t={t}
      dashboard={dashboard}
      error={error}
      actions={{
        done: (customerId) => after(send('reminder.done', { customerId })),
        snooze: (customerId, minutes) => after(send('reminder.snooze', { customerId, minutes })),
        openChat: async (customerId) => {
          const { opened } = await send('chat.open', { customerId });
          if (!opened) throw new Error(t('popup.noChat'));
        },
        quickNote: (customerId, text) => after(send('followUp.log', { customerId, followUp: { method: '其他', content: text, completesReminder: false } })),
        openOptions: () => void browser.runtime.openOptionsPage(),
        extractLeads: async () => {
          // The popup's tab is the one the user clicked the toolbar button on: activeTab covers it.
          const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
          if (tab?.id === undefined) throw new Error('no tab');
          await send('leads.extract', { tabId: tab.id, open: true });
          window.close();
        },
      }}
    />
  );
}

render(<App />, document.getElementById('root')!);
