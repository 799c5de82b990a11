// The inline error line used under buttons and forms (role=alert so screen readers hear it).
// Background errors often come in both languages (「中文 / English」): the UI's half is shown,
// the whole text stays in the tooltip (lib/i18n/bilingual.ts).
import type { T } from '../../lib/i18n';
import { errorDisplay } from '../../lib/i18n/bilingual';

export function ErrorText({ t, error, class: cls }: { t: T; error: string | null; class?: string }) {
  if (error === null) return null;
  const shown = error ? errorDisplay(t, error) : { text: t('error.generic') };
  return (
    <p class={`lz-error${cls ? ` ${cls}` : ''}`} role="alert" data-testid="error" {...(shown.detail ? { title: shown.detail } : {})}>
      {shown.text}
    </p>
  );
}
