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
      <label class="lzo-switch-row">
        <input type="checkbox" class="lzo-switch" checked={s.weeklyEnabled} data-testid="weekly-enabled" onChange={(e) => set({ weeklyEnabled: (e.currentTarget as HTMLInputElement).checked })} />
        <span>
          <span class="lzo-switch-title">{t('options.reminders.weekly')}</span>
          <span class="lzo-hint">{t('options.reminders.weeklyHint')}</span>
        </span>
      </label>
      <div class="lzo-inline-fields">
        <div class="lzo-field">
          <label class="lzo-label" for="lzo-weekly-day">
            {t('options.reminders.weeklyDay')}
          </label>
          <select
            id="lzo-weekly-day"
            class="lzo-input lzo-narrow"
            value={String(s.weeklyDay)}
            disabled={!s.weeklyEnabled}
            data-testid="weekly-day"
            onChange={(e) => set({ weeklyDay: Number((e.currentTarget as HTMLSelectElement).value) })}
          >
            {[1, 2, 3, 4, 5, 6, 7].map((d) => (
              <option key={d} value={String(d)}>
                {/* 2024-01-01 was a Monday: day d of that week, named in the UI's language. */}
                {new Intl.DateTimeFormat(t.locale === 'zh_CN' ? 'zh-CN' : 'en', { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, d))}
              </option>
            ))}
          </select>
        </div>
        <div class={`lzo-field${errors.weeklyTime ? ' lzo-invalid' : ''}`}>
          <label class="lzo-label" for="lzo-weekly-time">
            {t('options.reminders.time')}
          </label>
          <input
            id="lzo-weekly-time"
            class="lzo-input lzo-narrow"
            type="time"
            value={s.weeklyTime}
            disabled={!s.weeklyEnabled}
            data-testid="weekly-time"
            onInput={(e) => set({ weeklyTime: (e.currentTarget as HTMLInputElement).value })}
            onChange={(e) => set({ weeklyTime: (e.currentTarget as HTMLInputElement).value })}
          />
          <FieldError error={errors.weeklyTime} />
        </div>
      </div>
    </Section>
  );
}
