// 客户编号 format with a live preview of the first codes it would produce today.
import type { T } from '../../lib/i18n';
import { formatCustomerCode } from '../../lib/crm/local/code-format';
import { FieldError, Section } from './Section';

const TOKENS = ['{YYYY}', '{YY}', '{MM}', '{DD}', '{seq:4}'];

export function CodeSection({ t, value, error, now, onChange }: { t: T; value: string; error?: string; now: number; onChange(v: string): void }) {
  const at = new Date(now);
  return (
    <Section id="code" title={t('options.nav.code')} desc={t('options.code.desc')}>
      <div class={`lzo-field${error ? ' lzo-invalid' : ''}`}>
        <label class="lzo-label" for="lzo-code-format">
          {t('options.code.format')}
        </label>
        <input
          id="lzo-code-format"
          class="lzo-input lzo-mono"
          value={value}
          maxLength={60}
          spellcheck={false}
          autoComplete="off"
          data-testid="code-format"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby="lzo-code-help"
          onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
        />
        <FieldError error={error} />
        <div class="lzo-tokens" id="lzo-code-help">
          <span class="lzo-hint">{t('options.code.tokens')}</span>
          {TOKENS.map((tok) => (
            <button key={tok} type="button" class="lzo-token" onClick={() => onChange(value + tok)} title={t('options.code.insert')}>
              {tok}
            </button>
          ))}
        </div>
      </div>
      <div class="lzo-preview">
        <span class="lzo-hint">{t('options.code.preview')}</span>
        <code class="lzo-preview-code" data-testid="code-preview">
          {formatCustomerCode(value, at, 1)}
        </code>
        <span class="lzo-hint lzo-mono">
          {formatCustomerCode(value, at, 2)}, {formatCustomerCode(value, at, 3)} …
        </span>
      </div>
      <p class="lzo-hint">{t('options.code.restart')}</p>
    </Section>
  );
}
