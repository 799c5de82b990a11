// Edit the customer in place of the card. Sends every field (draftToInput full) so that
// clearing a field in the form clears it in the record.
import { useId, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { Customer } from '../../lib/model';
import type { CustomerInput } from '../../lib/messaging/protocol';
import { useAction } from './async';
import { ErrorText } from './ErrorText';
import { CustomerFields, draftFromCustomer, draftToInput, validateDraft, type CustomerDraft, type DraftErrors, type Options } from './CustomerForm';

export interface EditCustomerProps {
  t: T;
  customer: Customer;
  options: Options;
  update(patch: CustomerInput): Promise<void>;
  /** Called after a successful save, and on cancel. */
  onClose(): void;
}

export function EditCustomer({ t, customer, options, update, onClose }: EditCustomerProps) {
  const [draft, setDraft] = useState<CustomerDraft>(() => draftFromCustomer(customer));
  const [errors, setErrors] = useState<DraftErrors>({});
  const idPrefix = useId();
  const action = useAction((patch: CustomerInput) => update(patch));

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs = validateDraft(t, draft);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    if (await action.run(draftToInput(draft, true))) onClose();
  };
  return (
    <form
      class="lz-card lz-form"
      data-testid="edit-customer-form"
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !action.busy) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div class="lz-form-head">
        <h3 class="lz-h">{t('edit.title')}</h3>
        <span class="lz-mono lz-small lz-muted">{customer.code}</span>
      </div>
      <CustomerFields t={t} draft={draft} set={(p) => setDraft((d) => ({ ...d, ...p }))} options={options} errors={errors} full idPrefix={idPrefix} />
      <ErrorText t={t} error={action.error} />
      <div class="lz-actions">
        <button type="button" class="lz-btn lz-btn-ghost" onClick={onClose} disabled={action.busy}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="lz-btn lz-btn-primary" disabled={action.busy} aria-busy={action.busy} data-testid="edit-save">
          {action.busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
