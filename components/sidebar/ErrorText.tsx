// The inline error line used under buttons and forms (role=alert so screen readers hear it).
import type { T } from '../../lib/i18n';

export function ErrorText({ t, error, class: cls }: { t: T; error: string | null; class?: string }) {
  if (error === null) return null;
  return (
    <p class={`lz-error${cls ? ` ${cls}` : ''}`} role="alert" data-testid="error">
      {error || t('error.generic')}
    </p>
  );
}
