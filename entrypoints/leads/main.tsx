// The lead review page, opened in a tab by the popup's "提取线索" or the context menu with the
// review id in the hash.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { LeadReview } from '@/components/leads/LeadReview';
import { leadTexts } from '@/components/leads/texts';
import { pickLocale } from '@/lib/i18n';
import { send } from '@/lib/messaging/client';
import type { LeadReview as Review } from '@/lib/leads/review';
import type { Settings } from '@/lib/model';

function App() {
  const reviewId = decodeURIComponent(location.hash.slice(1));
  const [review, setReview] = useState<Review | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | undefined>();
  const t = useMemo(() => leadTexts(pickLocale(settings?.language ?? 'auto', browser.i18n.getUILanguage()) === 'zh_CN' ? 'zh' : 'en'), [settings?.language]);
  const load = () =>
    send('leads.review', { reviewId })
      .then(setReview)
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void send('settings.get', {}).then(setSettings).catch(() => undefined);
    void load();
  }, []);
  return (
    <LeadReview
      t={t}
      review={review}
      error={error}
      sources={settings?.sources ?? []}
      onImport={async ({ leads, source, keyword }) => {
        const out = await send('leads.import', { reviewId, leads, source, keyword, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
        // Imported leads are customers now: the statuses change.
        await load();
        return out;
      }}
    />
  );
}

render(<App />, document.getElementById('root')!);
