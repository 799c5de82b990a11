// 提醒: the morning digest of due follow-ups, and how long "snooze" waits.
import type { T } from '../../lib/i18n';
import type { Settings } from '../../lib/model';
import { FieldError, Section } from './Section';
import type { SettingsErrors } from './validate';

export function RemindersSection({ t, settings: s, errors, set }: { t: T; settings: Settings; errors: SettingsErrors; set(p: Partial<Settings>): void }) {
  return (
    <Section id="reminders" title={t('options.nav.reminders')} desc={t('options.reminders.desc')}>
      <label class="lzo-switch-row">
        <input type="checkbox" class="lzo-switch" checked={s.digestEnabled} data-testid="digest-enabled" onChange={(e) => set({ digestEnabled: (e.currentTarget as HTMLInputElement).checked })} />
        <span>
          <span class="lzo-switch-title">{t('options.reminders.digest')}</span>
          <span class="lzo-hint">{t('options.reminders.digestHint')}</span>
        </span>
      </label>
      <div class="lzo-inline-fields">
        <div class={`lzo-field${errors.digestTime ? ' lzo-invalid' : ''}`}>
          <label class="lzo-label" for="lzo-digest-time">
            {t('options.reminders.time')}
          </label>
          <input
            id="lzo-digest-time"
            class="lzo-input lzo-narrow"
            type="time"
            value={s.digestTime}
            disabled={!s.digestEnabled}
            data-testid="digest-time"
            aria-invalid={errors.digestTime ? 'true' : undefined}
            onInput={(e) => set({ digestTime: (e.currentTarget as HTMLInputElement).value })}
            onChange={(e) => set({ digestTime: (e.currentTarget as HTMLInputElement).value })}
          />
          <FieldError error={errors.digestTime} />
        </div>
        <div class={`lzo-field${errors.snoozeMinutes ? ' lzo-invalid' : ''}`}>
          <label class="lzo-label" for="lzo-snooze">
            {t('options.reminders.snooze')}
          </label>
          <input
            id="lzo-snooze"
            class="lzo-input lzo-narrow"
            type="number"
            min={5}
            max={1440}
            step={5}
            value={Number.isNaN(s.snoozeMinutes) ? '' : s.snoozeMinutes}
            data-testid="snooze-minutes"
            aria-invalid={errors.snoozeMinutes ? 'true' : undefined}
            onInput={(e) => {
              const raw = (e.currentTarget as HTMLInputElement).value;
              set({ snoozeMinutes: raw === '' ? Number.NaN : Number(raw) });
            }}
          />
          <FieldError error={errors.snoozeMinutes} />
        </div>
      </div>
    </Section>
  );
}
