// Small status pills shared by the sidebar and the popup.
import type { T } from '../../lib/i18n';
import type { SyncState } from '../../lib/model';

// Default stages get a tone that reads as progress (grey → blue → purple → orange → green/red).
// User-defined stages get a stable tone from their text, so the same stage always looks the same.
const STAGE_TONES: Record<string, string> = {
  新客户: 'slate',
  已联系: 'blue',
  跟进中: 'cyan',
  方案沟通: 'purple',
  谈判中: 'orange',
  成交: 'green',
  流失: 'red',
};
const HASH_TONES = ['blue', 'cyan', 'purple', 'orange', 'slate'];

export function stageTone(stage: string): string {
  const known = STAGE_TONES[stage];
  if (known) return known;
  let h = 0;
  for (const ch of stage) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return HASH_TONES[h % HASH_TONES.length] ?? 'slate';
}

export function StageBadge({ t, stage }: { t: T; stage: string }) {
  return (
    <span class={`lz-badge lz-tone-${stageTone(stage)}`} data-testid="stage-badge" title={stage}>
      {t.term(stage)}
    </span>
  );
}

const SYNC_TONES: Record<SyncState, string> = { synced: 'green', pending: 'orange', failed: 'red' };

export function SyncBadge({ t, state }: { t: T; state: SyncState }) {
  return (
    <span class={`lz-badge lz-dot lz-tone-${SYNC_TONES[state]}`}>{t(`sync.${state}`)}</span>
  );
}

const INTENT_TONES: Record<string, string> = { 高: 'red', 中: 'orange', 低: 'slate' };

export function IntentBadge({ t, level }: { t: T; level: string }) {
  return (
    <span class={`lz-badge lz-outline lz-tone-${INTENT_TONES[level] ?? 'slate'}`}>
      {t('field.intentLevel')} · {t.term(level)}
    </span>
  );
}
