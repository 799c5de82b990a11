// The options page: customer-code format, stages and enums, reminders, privacy, language, data.
import '@/components/options/options.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Options } from '@/components/options/Options';
import { createT, pickLocale } from '@/lib/i18n';
import { onChanged, send } from '@/lib/messaging/client';
import type { Settings } from '@/lib/model';

function download(filename: string, json: string) {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function App() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | undefined>();
  const t = useMemo(() => createT(pickLocale(settings?.language ?? 'auto', browser.i18n.getUILanguage())), [settings?.language]);
  const load = () =>
    send('settings.get', {})
      .then(setSettings)
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void load();
    return onChanged((e) => {
      if (e.tables.includes('settings')) void load();
    });
  }, []);
  if (!settings) return <p class="loading">{error ?? '…'}</p>;
  return (
    <Options
      t={t}
      settings={settings}
      now={Date.now()}
      onDownload={download}
      actions={{
        save: async (s) => setSettings(await send('settings.save', { settings: s })),
        exportData: () => send('data.export', {}),
        importData: async (json, mode) => (await send('data.import', { json, mode })).counts,
      }}
    />
  );
}

render(<App />, document.getElementById('root')!);
