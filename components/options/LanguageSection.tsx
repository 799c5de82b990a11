// 语言: the language names are written in their own language, so anyone can find theirs.
import type { T } from '../../lib/i18n';
import type { Settings } from '../../lib/model';
import { Section } from './Section';

export function LanguageSection({ t, value, set }: { t: T; value: Settings['language']; set(p: Partial<Settings>): void }) {
  return (
    <Section id="language" title={t('options.nav.language')}>
      <div class="lzo-field">
        <label class="lzo-label" for="lzo-language">
          {t('options.language.label')}
        </label>
        <select
          id="lzo-language"
          class="lzo-input lzo-narrow"
          value={value}
          data-testid="language"
          onChange={(e) => set({ language: (e.currentTarget as HTMLSelectElement).value as Settings['language'] })}
        >
          <option value="auto">{t('options.language.auto')}</option>
          <option value="zh_CN">中文</option>
          <option value="en">English</option>
        </select>
      </div>
    </Section>
  );
}
