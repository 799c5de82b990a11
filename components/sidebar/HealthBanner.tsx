// Shown when the site reader cannot find what it needs: the chat site probably changed its
// page, and the user should know why the sidebar stopped following the conversation.
import type { T } from '../../lib/i18n';

export function HealthBanner({ t, health }: { t: T; health: { ok: boolean; missing: string[] } | null | undefined }) {
  if (!health || health.ok) return null;
  return (
    <div class="lz-banner lz-banner-warn" role="status" data-testid="health-banner">
      <span class="lz-banner-icon" aria-hidden="true">
        !
      </span>
      <div>
        <div class="lz-banner-title">{t('health.broken')}</div>
        {health.missing.length > 0 && <div class="lz-small">{t('health.missing', { fields: health.missing.join(', ') })}</div>}
      </div>
    </div>
  );
}
