// 创建售后单: the small form the complaint suggestion opens, prefilled from what was understood
// (subject from the message, 售后, priority, the messages quoted); the user edits and files it.
import { useId, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, type TicketCategory, type TicketPriority } from '../../lib/model/enums';
import type { TicketFormInput } from '../../lib/model';
import type { TicketPrefill } from '../../lib/suggest/schema';
import { useAction } from './async';
import { ErrorText } from './ErrorText';

export interface TicketFormProps {
  t: T;
  prefill: TicketPrefill;
  createTicket(ticket: TicketFormInput): Promise<void>;
  onCancel(): void;
}

export function TicketForm({ t, prefill, createTicket, onCancel }: TicketFormProps) {
  const id = useId();
  const [subject, setSubject] = useState(prefill.subject);
  const [description, setDescription] = useState(prefill.description);
  const [category, setCategory] = useState<TicketCategory>(prefill.category);
  const [priority, setPriority] = useState<TicketPriority>(prefill.priority);
  const [subjectError, setSubjectError] = useState<string | null>(null);
  const action = useAction((input: TicketFormInput) => createTicket(input));

  const submit = async () => {
    if (!subject.trim()) {
      setSubjectError(t('tickets.subjectRequired'));
      return;
    }
    setSubjectError(null);
    await action.run({ subject: subject.trim(), description: description.trim(), category, priority, messages: prefill.messages });
  };

  return (
    <form
      class="lz-form lz-ticket-form"
      data-testid="ticket-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div class={`lz-field${subjectError ? ' lz-invalid' : ''}`}>
        <label class="lz-label" for={`${id}-subject`}>
          {t('tickets.subject')}
        </label>
        <input
          id={`${id}-subject`}
          class="lz-input"
          data-testid="ticket-subject"
          value={subject}
          maxLength={300}
          aria-invalid={subjectError ? 'true' : undefined}
          onInput={(e) => setSubject((e.currentTarget as HTMLInputElement).value)}
        />
        {subjectError && (
          <p class="lz-field-error" role="alert">
            {subjectError}
          </p>
        )}
      </div>
      <div class="lz-row">
        <div class="lz-field lz-grow">
          <label class="lz-label" for={`${id}-category`}>
            {t('tickets.category')}
          </label>
          <select id={`${id}-category`} class="lz-input" data-testid="ticket-category" value={category} onChange={(e) => setCategory((e.currentTarget as HTMLSelectElement).value as TicketCategory)}>
            {TICKET_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t.term(c)}
              </option>
            ))}
          </select>
        </div>
        <div class="lz-field lz-grow">
          <label class="lz-label" for={`${id}-priority`}>
            {t('tickets.priority')}
          </label>
          <select id={`${id}-priority`} class="lz-input" data-testid="ticket-priority" value={priority} onChange={(e) => setPriority((e.currentTarget as HTMLSelectElement).value as TicketPriority)}>
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t.term(p)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="lz-field">
        <label class="lz-label" for={`${id}-description`}>
          {t('tickets.description')}
        </label>
        <textarea
          id={`${id}-description`}
          class="lz-input lz-textarea"
          rows={4}
          data-testid="ticket-description"
          value={description}
          onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)}
        />
      </div>
      <ErrorText t={t} error={action.error} />
      <div class="lz-actions">
        <button type="button" class="lz-btn lz-btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="lz-btn lz-btn-primary" data-testid="ticket-submit" disabled={action.busy} aria-busy={action.busy}>
          {action.busy ? t('tickets.creating') : t('tickets.create')}
        </button>
      </div>
    </form>
  );
}
