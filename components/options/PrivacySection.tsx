// 隐私: what Liaison keeps from conversations. Both are off by default; the text explains
// exactly what turning them on does, because these are the settings people worry about.
import type { T } from '../../lib/i18n';
import type { Settings } from '../../lib/model';
import { Section } from './Section';

export function PrivacySection({ t, settings: s, set }: { t: T; settings: Settings; set(p: Partial<Settings>): void }) {
  return (
    <Section id="privacy" title={t('options.nav.privacy')} desc={t('options.privacy.desc')}>
      <label class="lzo-switch-row">
        <input type="checkbox" class="lzo-switch" checked={s.autoLog} data-testid="auto-log" onChange={(e) => set({ autoLog: (e.currentTarget as HTMLInputElement).checked })} />
        <span>
          <span class="lzo-switch-title">{t('options.privacy.autoLog')}</span>
          <span class="lzo-hint">{t('options.privacy.autoLogHint')}</span>
        </span>
      </label>
      <label class="lzo-switch-row">
        <input
          type="checkbox"
          class="lzo-switch"
          checked={s.keepTranscripts}
          data-testid="keep-transcripts"
          onChange={(e) => set({ keepTranscripts: (e.currentTarget as HTMLInputElement).checked })}
        />
        <span>
          <span class="lzo-switch-title">{t('options.privacy.transcripts')}</span>
          <span class="lzo-hint">{t('options.privacy.transcriptsHint')}</span>
        </span>
      </label>
      <p class="lzo-note">{t('options.privacy.local')}</p>
    </Section>
  );
}
