// Log a 跟进记录 from the chat. 微信 is the default method because the user is in a chat;
// 下次跟进 is optional and has quick picks because typing a datetime is slow.
import { useId, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import { FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, type FollowUpMethod, type FollowUpResult } from '../../lib/model/enums';
import type { FollowUpInput } from '../../lib/messaging/protocol';
import { useAction } from './async';
import { ErrorText } from './ErrorText';
import { fromLocalInput, inOneHour, inThreeDays, toLocalInput, tomorrowNine } from './time';

export interface FollowUpFormProps {
  t: T;
  now: number;
  logFollowUp(f: FollowUpInput): Promise<void>;
  /** The customer's open tickets (关联工单): a follow-up about one is also a comment on it. */
  tickets?: readonly { id: string; label: string }[];
}

interface Draft {
  method: FollowUpMethod;
  content: string;
  result: FollowUpResult | '';
  nextAction: string;
  /** datetime-local value */
  nextAt: string;
  /** 关联工单: a ticket id, '' for none. */
  ticketId: string;
}

const EMPTY: Draft = { method: '微信', content: '', result: '', nextAction: '', nextAt: '', ticketId: '' };

export function FollowUpForm({ t, now, logFollowUp, tickets = [] }: FollowUpFormProps) {
  const [d, setD] = useState<Draft>(EMPTY);
  const [contentError, setContentError] = useState<string | null>(null);
  const id = useId();
  const action = useAction((f: FollowUpInput) => logFollowUp(f));
  const set = (p: Partial<Draft>) => setD((x) => ({ ...x, ...p }));

  const submit = async () => {
    if (!d.content.trim()) {
      setContentError(t('form.required'));
      return;
    }
    setContentError(null);
    const f: FollowUpInput = { method: d.method, content: d.content.trim() };
    if (d.result) f.result = d.result;
    if (d.nextAction.trim()) f.nextAction = d.nextAction.trim();
    const nextAt = fromLocalInput(d.nextAt);
    if (nextAt !== undefined) f.nextAt = nextAt;
    if (d.ticketId && tickets.some((tk) => tk.id === d.ticketId)) f.ticketId = d.ticketId;
    if (await action.run(f)) setD({ ...EMPTY, method: d.method });
  };

  const picks: [string, number][] = [
    [t('followUp.in1h'), inOneHour(now)],
    [t('followUp.tomorrow9'), tomorrowNine(now)],
    [t('followUp.in3d'), inThreeDays(now)],
  ];

  return (
    <form
      class="lz-card lz-form"
      data-testid="followup-form"
      noValidate
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 class="lz-h" id={`${id}-h`}>
        {t('followUp.title')}
      </h3>
      <fieldset class="lz-fieldset">
        <legend class="lz-label">{t('field.method')}</legend>
        <div class="lz-segmented" role="radiogroup">
          {FOLLOW_UP_METHODS.map((m) => (
            <label key={m} class={`lz-seg${d.method === m ? ' lz-seg-on' : ''}`}>
              <input type="radio" name={`${id}-method`} value={m} checked={d.method === m} onChange={() => set({ method: m })} />
              <span>{t.term(m)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class={`lz-field${contentError ? ' lz-invalid' : ''}`}>
        <label class="lz-label" for={`${id}-content`}>
          {t('field.content')}
        </label>
        <textarea
          id={`${id}-content`}
          class="lz-input lz-textarea"
          rows={3}
          value={d.content}
          placeholder={t('followUp.contentPlaceholder')}
          data-testid="followup-content"
          aria-invalid={contentError ? 'true' : undefined}
          onInput={(e) => set({ content: (e.currentTarget as HTMLTextAreaElement).value })}
          onKeyDown={(e) => {
            // Ctrl/⌘+Enter submits, as in chat apps; Enter alone is a new line.
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        {contentError && (
          <p class="lz-field-error" role="alert">
            {contentError}
          </p>
        )}
      </div>
      <fieldset class="lz-fieldset">
        <legend class="lz-label">{t('field.result')}</legend>
        <div class="lz-segmented lz-segmented-wrap" role="radiogroup">
          {FOLLOW_UP_RESULTS.map((r) => (
            <label key={r} class={`lz-seg${d.result === r ? ' lz-seg-on' : ''}`}>
              <input
                type="radio"
                name={`${id}-result`}
                value={r}
                checked={d.result === r}
                // Clicking the chosen result again clears it: the result is optional.
                onClick={() => set({ result: d.result === r ? '' : r })}
              />
              <span>{t.term(r)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="lz-field">
        <label class="lz-label" for={`${id}-action`}>
          {t('field.nextAction')}
        </label>
        <input id={`${id}-action`} class="lz-input" value={d.nextAction} onInput={(e) => set({ nextAction: (e.currentTarget as HTMLInputElement).value })} />
      </div>
      <div class="lz-field">
        <label class="lz-label" for={`${id}-next`}>
          {t('field.nextFollowUp')}
        </label>
        <div class="lz-row">
          <input
            id={`${id}-next`}
            class="lz-input"
            type="datetime-local"
            value={d.nextAt}
            data-testid="followup-next"
            onInput={(e) => set({ nextAt: (e.currentTarget as HTMLInputElement).value })}
            onChange={(e) => set({ nextAt: (e.currentTarget as HTMLInputElement).value })}
          />
          {d.nextAt && (
            <button type="button" class="lz-icon-btn" aria-label={t('common.clear')} title={t('common.clear')} onClick={() => set({ nextAt: '' })}>
              ×
            </button>
          )}
        </div>
        <div class="lz-chips">
          {picks.map(([label, ms]) => (
            <button key={label} type="button" class="lz-chip lz-chip-btn" data-testid="followup-pick" onClick={() => set({ nextAt: toLocalInput(ms) })}>
              {label}
            </button>
          ))}
        </div>
      </div>
      {tickets.length > 0 && (
        <div class="lz-field">
          <label class="lz-label" for={`${id}-ticket`}>
            {t('followUp.ticket')}
          </label>
          <select id={`${id}-ticket`} class="lz-input" value={d.ticketId} data-testid="followup-ticket" title={t('followUp.ticketHint')} onChange={(e) => set({ ticketId: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">{t('followUp.noTicket')}</option>
            {tickets.map((tk) => (
              <option key={tk.id} value={tk.id}>
                {tk.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <ErrorText t={t} error={action.error} />
      <div class="lz-actions">
        <span class="lz-small lz-muted lz-grow">{t('followUp.shortcut')}</span>
        <button type="submit" class="lz-btn lz-btn-primary" disabled={action.busy} aria-busy={action.busy} data-testid="followup-submit">
          {action.busy ? t('common.saving') : t('followUp.submit')}
        </button>
      </div>
    </form>
  );
}
