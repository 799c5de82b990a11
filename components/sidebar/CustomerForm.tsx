// The customer fields shared by "create" (UnknownContact) and "edit" (EditCustomer):
// one draft shape, one conversion to CustomerInput, so both forms validate the same way.
import type { ComponentChildren } from 'preact';
import type { T } from '../../lib/i18n';
import type { Customer, IntentLevel, ObservedIdentity } from '../../lib/model';
import { INTENT_LEVELS } from '../../lib/model/enums';
import type { CustomerInput } from '../../lib/messaging/protocol';

export interface CustomerDraft {
  name: string;
  phones: string[];
  company: string;
  wechatId: string;
  email: string;
  source: string;
  product: string;
  intentLevel: IntentLevel | '';
  stage: string;
  /** Edit only: comma-separated in the input. */
  tags: string;
  notes: string;
}

export interface Options {
  stages: string[];
  sources: string[];
  products: string[];
}

export function draftFromIdentity(identity: ObservedIdentity, options: Options): CustomerDraft {
  return {
    name: identity.displayName,
    phones: identity.phones.length ? [...identity.phones] : [''],
    company: '',
    wechatId: identity.wechat ?? '',
    email: identity.emails[0] ?? '',
    source: '',
    product: '',
    intentLevel: '',
    stage: options.stages[0] ?? '',
    tags: '',
    notes: '',
  };
}

/**
 * The draft after the chat revealed more of the contact (its name read after the first render, a
 * number the customer typed): each field the user has not touched — still what the identity gave
 * before — takes the identity's new value; a field the user edited keeps the edit.
 */
export function followIdentity(draft: CustomerDraft, before: CustomerDraft, now: CustomerDraft): CustomerDraft {
  const same = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b);
  let out = draft;
  for (const k of Object.keys(now) as (keyof CustomerDraft)[]) {
    if (same(draft[k], before[k]) && !same(draft[k], now[k])) out = { ...out, [k]: now[k] };
  }
  return out;
}

export function draftFromCustomer(c: Customer): CustomerDraft {
  return {
    name: c.name,
    phones: c.phones.length ? [...c.phones] : [''],
    company: c.company ?? '',
    wechatId: c.wechatId ?? '',
    email: c.email ?? '',
    source: c.source ?? '',
    product: c.product ?? '',
    intentLevel: c.intentLevel ?? '',
    stage: c.stage,
    tags: c.tags.join(', '),
    notes: c.notes ?? '',
  };
}

export type DraftErrors = Partial<Record<'name' | 'stage', string>>;

export function validateDraft(t: T, d: CustomerDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (!d.name.trim()) errors.name = t('form.required');
  if (!d.stage) errors.stage = t('form.required');
  return errors;
}

export function splitTags(s: string): string[] {
  return [...new Set(s.split(/[,，;；\n]/).map((x) => x.trim()).filter(Boolean))];
}

/**
 * For create: only fields the user filled (an empty company is "unknown", not "").
 * For edit (`full`): every field, so clearing one in the form clears it in the record.
 */
export function draftToInput(d: CustomerDraft, full: boolean): CustomerInput {
  const phones = d.phones.map((p) => p.trim()).filter(Boolean);
  const input: CustomerInput = { name: d.name.trim(), phones, stage: d.stage };
  const text = { company: d.company, wechatId: d.wechatId, email: d.email, source: d.source, product: d.product } as const;
  for (const [k, v] of Object.entries(text) as [keyof typeof text, string][]) {
    const value = v.trim();
    if (value || full) input[k] = value;
  }
  if (d.intentLevel) input.intentLevel = d.intentLevel;
  else if (full) input.intentLevel = null;
  if (full) {
    input.tags = splitTags(d.tags);
    input.notes = d.notes;
  }
  return input;
}

type SetDraft = (patch: Partial<CustomerDraft>) => void;

export function Field(props: { id: string; label: string; error?: string; children: ComponentChildren; hint?: string }) {
  return (
    <div class={`lz-field${props.error ? ' lz-invalid' : ''}`}>
      <label class="lz-label" for={props.id}>
        {props.label}
      </label>
      {props.children}
      {props.hint && !props.error && <p class="lz-hint">{props.hint}</p>}
      {props.error && <p class="lz-field-error" role="alert">{props.error}</p>}
    </div>
  );
}

/** A select over domain values: the value stays Chinese, the label is translated. */
export function TermSelect(props: {
  t: T;
  id: string;
  value: string;
  values: readonly string[];
  empty?: string;
  onChange: (v: string) => void;
  disabled?: boolean;
  testId?: string;
  class?: string;
}) {
  const values = props.value && !props.values.includes(props.value) ? [props.value, ...props.values] : props.values;
  return (
    <select
      id={props.id}
      class={props.class ?? 'lz-input'}
      value={props.value}
      disabled={props.disabled}
      data-testid={props.testId}
      onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
    >
      {props.empty !== undefined && <option value="">{props.empty}</option>}
      {values.map((v) => (
        <option key={v} value={v}>
          {props.t.term(v)}
        </option>
      ))}
    </select>
  );
}

function PhoneInputs({ t, idBase, phones, set }: { t: T; idBase: string; phones: string[]; set: SetDraft }) {
  const update = (i: number, v: string) => set({ phones: phones.map((p, j) => (j === i ? v : p)) });
  return (
    <div class="lz-phones">
      {phones.map((p, i) => (
        <div class="lz-row" key={i}>
          <input
            id={i === 0 ? idBase : `${idBase}-${i}`}
            class="lz-input"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            value={p}
            aria-label={`${t('field.phone')} ${i + 1}`}
            placeholder="+86 138 0013 8000"
            onInput={(e) => update(i, (e.currentTarget as HTMLInputElement).value)}
          />
          {phones.length > 1 && (
            <button
              type="button"
              class="lz-icon-btn"
              aria-label={t('form.removePhone')}
              title={t('form.removePhone')}
              onClick={() => set({ phones: phones.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          )}
        </div>
      ))}
      <button type="button" class="lz-link-btn" onClick={() => set({ phones: [...phones, ''] })}>
        + {t('form.addPhone')}
      </button>
    </div>
  );
}

/** The fields; the surrounding <form>, submit button and errors belong to the caller. */
export function CustomerFields(props: {
  t: T;
  draft: CustomerDraft;
  set: SetDraft;
  options: Options;
  errors: DraftErrors;
  /** Edit shows tags and notes too. */
  full?: boolean;
  idPrefix: string;
}) {
  const { t, draft: d, set, options, errors, idPrefix: p } = props;
  const input = (k: 'company' | 'wechatId' | 'email') => (e: Event) => set({ [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <div class="lz-fields">
      <Field id={`${p}-name`} label={t('field.name')} error={errors.name}>
        <input
          id={`${p}-name`}
          class="lz-input"
          value={d.name}
          required
          aria-invalid={errors.name ? 'true' : undefined}
          onInput={(e) => set({ name: (e.currentTarget as HTMLInputElement).value })}
        />
      </Field>
      <Field id={`${p}-phone`} label={t('field.phones')}>
        <PhoneInputs t={t} idBase={`${p}-phone`} phones={d.phones} set={set} />
      </Field>
      <div class="lz-grid2">
        <Field id={`${p}-company`} label={t('field.company')}>
          <input id={`${p}-company`} class="lz-input" value={d.company} onInput={input('company')} />
        </Field>
        <Field id={`${p}-wechat`} label={t('field.wechat')}>
          <input id={`${p}-wechat`} class="lz-input" value={d.wechatId} autoComplete="off" onInput={input('wechatId')} />
        </Field>
      </div>
      <Field id={`${p}-email`} label={t('field.email')}>
        <input id={`${p}-email`} class="lz-input" type="email" value={d.email} onInput={input('email')} />
      </Field>
      <div class="lz-grid2">
        <Field id={`${p}-source`} label={t('field.source')}>
          <TermSelect t={t} id={`${p}-source`} value={d.source} values={options.sources} empty="—" onChange={(v) => set({ source: v })} />
        </Field>
        <Field id={`${p}-product`} label={t('field.product')}>
          <TermSelect t={t} id={`${p}-product`} value={d.product} values={options.products} empty="—" onChange={(v) => set({ product: v })} />
        </Field>
      </div>
      <div class="lz-grid2">
        <Field id={`${p}-intent`} label={t('field.intentLevel')}>
          <TermSelect
            t={t}
            id={`${p}-intent`}
            value={d.intentLevel}
            values={INTENT_LEVELS}
            empty="—"
            onChange={(v) => set({ intentLevel: v as IntentLevel | '' })}
          />
        </Field>
        <Field id={`${p}-stage`} label={t('field.stage')} error={errors.stage}>
          <TermSelect t={t} id={`${p}-stage`} value={d.stage} values={options.stages} onChange={(v) => set({ stage: v })} />
        </Field>
      </div>
      {props.full && (
        <>
          <Field id={`${p}-tags`} label={t('field.tags')} hint={t('form.tagsHint')}>
            <input id={`${p}-tags`} class="lz-input" value={d.tags} onInput={(e) => set({ tags: (e.currentTarget as HTMLInputElement).value })} />
          </Field>
          <Field id={`${p}-notes`} label={t('field.notes')}>
            <textarea
              id={`${p}-notes`}
              class="lz-input lz-textarea"
              rows={3}
              value={d.notes}
              onInput={(e) => set({ notes: (e.currentTarget as HTMLTextAreaElement).value })}
            />
          </Field>
        </>
      )}
    </div>
  );
}
