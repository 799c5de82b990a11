// 团队同步 (issue 15): how often the connected CRMs are read back (seed 003's scheduler), and
// seed 003 方案B's temporary 客户编号, shown until a code-master CRM assigns the real one.
import type { T } from '../../lib/i18n';
import type { Settings } from '../../lib/model';
import { formatCustomerCode } from '../../lib/crm/local/code-format';
import { FieldError, Section } from './Section';
import type { SettingsErrors } from './validate';

export function TeamSyncSection({ t, settings: s, errors, now, set }: { t: T; settings: Settings; errors: SettingsErrors; now: number; set(p: Partial<Settings>): void }) {
  const at = new Date(now);
  return (
    <Section id="team" title={t('options.nav.team')} desc={t('options.team.desc')}>
      <div class="lzo-field">
        <label class="lzo-label" for="lzo-user-name">
          {t('options.team.userName')}
        </label>
        <input
          id="lzo-user-name"
          class="lzo-input lzo-narrow"
          value={s.userName}
          maxLength={100}
          autoComplete="name"
          data-testid="user-name"
          aria-describedby="lzo-user-name-help"
          onInput={(e) => set({ userName: (e.currentTarget as HTMLInputElement).value })}
        />
        <p class="lzo-hint" id="lzo-user-name-help">
          {t('options.team.userNameHint')}
        </p>
      </div>
      <div class={`lzo-field${errors.pullMinutes ? ' lzo-invalid' : ''}`}>
        <label class="lzo-label" for="lzo-pull-minutes">
          {t('options.team.pullMinutes')}
        </label>
        <input
          id="lzo-pull-minutes"
          class="lzo-input lzo-narrow"
          type="number"
          min={1}
          max={1440}
          step={1}
          value={Number.isNaN(s.pullMinutes) ? '' : s.pullMinutes}
          data-testid="pull-minutes"
          aria-invalid={errors.pullMinutes ? 'true' : undefined}
          aria-describedby="lzo-pull-help"
          onInput={(e) => {
            const raw = (e.currentTarget as HTMLInputElement).value;
            set({ pullMinutes: raw === '' ? Number.NaN : Number(raw) });
          }}
        />
        <FieldError error={errors.pullMinutes} />
        <p class="lzo-hint" id="lzo-pull-help">
          {t('options.team.pullHint')}
        </p>
      </div>
      <div class={`lzo-field${errors.tempCodeFormat ? ' lzo-invalid' : ''}`}>
        <label class="lzo-label" for="lzo-temp-code-format">
          {t('options.team.tempCode')}
        </label>
        <input
          id="lzo-temp-code-format"
          class="lzo-input lzo-mono"
          value={s.tempCodeFormat}
          maxLength={60}
          spellcheck={false}
          autoComplete="off"
          data-testid="temp-code-format"
          aria-invalid={errors.tempCodeFormat ? 'true' : undefined}
          aria-describedby="lzo-temp-code-help"
          onInput={(e) => set({ tempCodeFormat: (e.currentTarget as HTMLInputElement).value })}
        />
        <FieldError error={errors.tempCodeFormat} />
        <p class="lzo-hint" id="lzo-temp-code-help">
          {t('options.team.tempCodeHint')}
        </p>
      </div>
      {!errors.tempCodeFormat && (
        <div class="lzo-preview">
          <span class="lzo-hint">{t('options.team.tempPreview')}</span>
          <code class="lzo-preview-code" data-testid="temp-code-preview">
            {formatCustomerCode(s.tempCodeFormat, at, 1)}
          </code>
        </div>
      )}
    </Section>
  );
}
