// What Liaison understood from the conversation, each with one click to accept: create the deal
// the customer asked about, set the next follow-up they named, open an after-sales ticket, or
// log the prefilled follow-up when auto-logging is off. Also the customer's deals (成交).
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { Deal, TicketFormInput } from '../../lib/model';
import type { DealInput, FollowUpInput } from '../../lib/messaging/protocol';
import type { Suggestion, Suggestions as SuggestionsData } from '../../lib/suggest/schema';
import { useAction } from './async';
import { ErrorText } from './ErrorText';
import { Name } from '../shared/Name';
import { rich } from './rich';
import { TicketForm } from './TicketForm';

export interface SuggestionsProps {
  t: T;
  suggestions: SuggestionsData;
  createDeal(deal: DealInput): Promise<void>;
  setNextFollowUp(at: number): Promise<void>;
  logFollowUp(f: FollowUpInput): Promise<void>;
  setNeverLog?(never: boolean): Promise<void>;
  /** 创建售后单: a complaint suggestion with a draft opens the ticket form; without this, it logs the follow-up. */
  createTicket?(ticket: TicketFormInput): Promise<void>;
}

function label(t: T, s: Suggestion): string {
  switch (s.kind) {
    case 'deal': {
      const what = [s.product ? t.term(s.product) : '', s.amountText ?? ''].filter(Boolean).join(' ') || s.term;
      return t('suggest.deal', { what });
    }
    case 'next':
      return t('suggest.next', { when: t.formatDateTime(s.at) });
    case 'ticket':
      return t(s.complaintKind === 'complaint' ? 'suggest.complaint' : 'suggest.afterSales', { term: s.term });
    case 'log':
      return t('suggest.log', { summary: s.followUp.content.split('\n')[0] ?? '' });
  }
}

export function Suggestions({ t, suggestions, ...actions }: SuggestionsProps) {
  const [dismissed, setDismissed] = useState<string[]>([]);
  const items = suggestions.items.filter((s) => !dismissed.includes(s.id));
  const never = useAction((v: boolean) => actions.setNeverLog!(v));
  if (!items.length && !actions.setNeverLog) return null;
  return (
    <section class="lz-card lz-suggest" data-testid="suggestions" aria-label={t('suggest.title')}>
      <h3 class="lz-h">{t('suggest.title')}</h3>
      {items.length === 0 ? (
        <p class="lz-muted lz-small">{t('suggest.none')}</p>
      ) : (
        <ul class="lz-suggest-list">
          {items.map((s) => (
            <SuggestionRow key={s.id} t={t} s={s} {...actions} onDismiss={() => setDismissed((d) => [...d, s.id])} />
          ))}
        </ul>
      )}
      {suggestions.autoLog.active && <p class="lz-small lz-muted" data-testid="autolog-on">{t('suggest.autoLogOn')}</p>}
      {actions.setNeverLog && (
        <label class="lz-small lz-suggest-never">
          <input
            type="checkbox"
            data-testid="never-log"
            checked={suggestions.autoLog.never}
            disabled={never.busy}
            onChange={(e) => void never.run((e.currentTarget as HTMLInputElement).checked)}
          />
          <span>{t('suggest.neverLog')}</span>
        </label>
      )}
      <ErrorText t={t} error={never.error} />
    </section>
  );
}

function SuggestionRow(props: Omit<SuggestionsProps, 'suggestions' | 'setNeverLog'> & { s: Suggestion; onDismiss(): void }) {
  const { t, s } = props;
  const [form, setForm] = useState(false);
  const ticketDraft = s.kind === 'ticket' && props.createTicket ? s.ticket : undefined;
  const accept = useAction(async () => {
    switch (s.kind) {
      case 'deal':
        // The product is required by a deal; an inquiry without one gets the term as a placeholder the user can edit later.
        return props.createDeal({ product: s.product ?? t('suggest.unknownProduct'), ...(s.amount !== undefined ? { amount: s.amount } : {}) });
      case 'next':
        return props.setNextFollowUp(s.at);
      case 'ticket':
      case 'log': {
        const f = s.followUp;
        return props.logFollowUp({
          method: f.method,
          content: f.content,
          ...(f.result ? { result: f.result } : {}),
          ...(f.nextAction ? { nextAction: f.nextAction } : {}),
          ...(f.nextAt !== undefined ? { nextAt: f.nextAt } : {}),
          messageIds: f.messageIds,
        });
      }
    }
  });
  if (ticketDraft && form) {
    return (
      <li class="lz-suggest-item lz-suggest-ticket" data-testid="suggestion" data-kind={s.kind}>
        <span class="lz-suggest-text">{label(t, s)}</span>
        <TicketForm t={t} prefill={ticketDraft} createTicket={(tk) => props.createTicket!(tk)} onCancel={() => setForm(false)} />
      </li>
    );
  }
  return (
    <li class={`lz-suggest-item lz-suggest-${s.kind}`} data-testid="suggestion" data-kind={s.kind}>
      <span class="lz-suggest-text">{label(t, s)}</span>
      <div class="lz-actions lz-actions-start">
        {ticketDraft ? (
          <button type="button" class="lz-btn lz-btn-sm lz-btn-primary" data-testid="suggestion-accept" data-action="ticket-form" onClick={() => setForm(true)}>
            {t('suggest.accept.ticketForm')}
          </button>
        ) : (
          <button type="button" class="lz-btn lz-btn-sm lz-btn-primary" data-testid="suggestion-accept" disabled={accept.busy} aria-busy={accept.busy} onClick={() => void accept.run()}>
            {accept.busy ? t('common.working') : t(`suggest.accept.${s.kind}`)}
          </button>
        )}
        <button type="button" class="lz-btn lz-btn-sm lz-btn-ghost" data-testid="suggestion-dismiss" onClick={props.onDismiss}>
          {t('suggest.dismiss')}
        </button>
      </div>
      <ErrorText t={t} error={accept.error} />
    </li>
  );
}

/** sourceName: a connection id → its name, for deals a colleague created in a CRM (「李娜 · 来自 NocoDB」). */
export function DealList({ t, deals, sourceName }: { t: T; deals: readonly Deal[]; sourceName?: (connectionId: string) => string }) {
  if (!deals.length) return null;
  return (
    <section class="lz-card lz-deals" aria-label={t('deals.title')}>
      <h3 class="lz-h">{t('deals.title')}</h3>
      <ul class="lz-deal-list">
        {[...deals].reverse().map((d) => (
          <li key={d.id} class="lz-deal-item" data-testid="deal-item" data-status={d.status}>
            <span class="lz-deal-product">{t.term(d.product)}</span>
            {d.amount !== undefined && <span class="lz-mono lz-small">{t('deals.amount', { amount: d.amount.toLocaleString(t.locale === 'zh_CN' ? 'zh-CN' : 'en') })}</span>}
            <span class="lz-badge lz-outline lz-tone-slate">{t.term(d.status)}</span>
            {(d.by || d.source) && (
              <span class="lz-small lz-muted lz-deal-by">
                {d.by && <Name data-testid="deal-author" value={d.by} />}
                {d.by && d.source && ' · '}
                {d.source && <span data-testid="deal-source">{rich(t('history.source'), { crm: <Name value={sourceName ? sourceName(d.source) : d.source} /> })}</span>}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
