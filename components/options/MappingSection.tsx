// 字段映射: per connection, which text each CRM field gets ({{templates}}, seed 004), over the
// CRM's defaults, with a live preview on the customer open beside the chat. Pure: the entrypoint
// loads, previews and saves through the props (messages to the background).
import { neutraliseBidi } from '../../lib/i18n/bidi';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { CrmField } from '../../lib/crm/port';
import type { MappingIssue, MappingSection as Section, TemplateMapping } from '../../lib/mapping';
import type { MappingPreview, MappingView } from '../../lib/strategy/messages';
import { useAction } from '../sidebar/async';

export interface MappingSectionProps {
  t: T;
  connections: { id: string; name: string }[];
  load(connectionId: string): Promise<MappingView>;
  preview(connectionId: string, templates: TemplateMapping): Promise<MappingPreview>;
  save(connectionId: string, templates: TemplateMapping): Promise<{ own: TemplateMapping; unchecked?: string }>;
  /** Milliseconds between the last keystroke and the preview request. */
  debounceMs?: number;
}

const SECTIONS: readonly Section[] = ['customer', 'followUp', 'deal'];
type Lookups = NonNullable<TemplateMapping['lookups']>;

/** "intent: 高=Hot; 中=Warm" per line ⇄ { intent: { 高: 'Hot', 中: 'Warm' } }. */
export function lookupsToText(l: Lookups | undefined): string {
  return Object.entries(l ?? {})
    .map(([name, table]) => `${name}: ${Object.entries(table).map(([k, v]) => `${k}=${v}`).join('; ')}`)
    .join('\n');
}
export function parseLookups(text: string): { lookups?: Lookups; error?: number } {
  const out: Lookups = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!name) return { error: i + 1 };
    const table: Record<string, string> = {};
    for (const pair of line.slice(colon + 1).split(/[;；]/)) {
      if (!pair.trim()) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) return { error: i + 1 };
      table[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
    out[name] = table;
  }
  return Object.keys(out).length ? { lookups: out } : {};
}

export function MappingSection(props: MappingSectionProps) {
  const { t, connections } = props;
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? '');
  useEffect(() => {
    if (!connections.some((c) => c.id === connectionId) && connections[0]) setConnectionId(connections[0].id);
  }, [connections.map((c) => c.id).join(',')]);
  if (connections.length === 0) return <p class="lzo-hint" data-testid="mapping-none">{t('mapping.none')}</p>;
  return (
    <div class="lzo-mapping" data-testid="mapping-section">
      <label class="lzo-mapping-conn">
        {t('mapping.connection')}
        <select data-testid="mapping-connection" value={connectionId} onChange={(e) => setConnectionId((e.currentTarget as HTMLSelectElement).value)}>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {neutraliseBidi(c.name)}
            </option>
          ))}
        </select>
      </label>
      {connectionId && <Editor key={connectionId} {...props} connectionId={connectionId} />}
    </div>
  );
}

function Editor(props: MappingSectionProps & { connectionId: string }) {
  const { t, connectionId } = props;
  const [view, setView] = useState<MappingView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [own, setOwn] = useState<TemplateMapping>({});
  const [lookupText, setLookupText] = useState('');
  const [tab, setTab] = useState<Section>('customer');
  const [result, setResult] = useState<MappingPreview | null>(null);
  const [saved, setSaved] = useState<{ unchecked?: string } | null>(null);
  const [add, setAdd] = useState({ field: '', template: '' });
  const focused = useRef<{ field: string; input: HTMLInputElement } | null>(null);

  useEffect(() => {
    props
      .load(connectionId)
      .then((v) => {
        setView(v);
        setOwn(v.own);
        setLookupText(lookupsToText(v.own.lookups));
      })
      .catch((e: Error) => setLoadError(e.message));
  }, [connectionId]);

  const parsedLookups = useMemo(() => parseLookups(lookupText), [lookupText]);
  const draft = useMemo<TemplateMapping>(() => {
    const { lookups: _l, ...rest } = own;
    return { ...rest, ...(parsedLookups.lookups ? { lookups: parsedLookups.lookups } : {}) };
  }, [own, parsedLookups]);

  // Live preview: each change is rendered by the background on the customer beside the chat.
  useEffect(() => {
    if (!view) return;
    let live = true;
    const timer = setTimeout(() => {
      props
        .preview(connectionId, draft)
        .then((r) => live && setResult(r))
        .catch((e: Error) => live && setResult({ values: {}, issues: [{ message: e.message }], subject: 'sample' }));
    }, props.debounceMs ?? 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [view, draft]);

  const saveAction = useAction(async () => {
    const r = await props.save(connectionId, draft);
    setOwn(r.own);
    setSaved(r.unchecked ? { unchecked: r.unchecked } : {});
  });

  if (loadError) return <p class="lzo-field-error" role="alert" data-testid="mapping-error">{loadError}</p>;
  if (!view) return <p class="loading">…</p>;

  const crmFields: CrmField[] | undefined = view.fields?.[tab];
  const known = crmFields ? new Set(crmFields.map((f) => f.name)) : undefined;
  const defaults = view.effective[tab] ?? {};
  const mine = own[tab] ?? {};
  // The rows: the CRM defaults (unless overridden) and the user's own, in a stable order.
  const names = [...new Set([...Object.keys(defaults), ...Object.keys(mine)])];
  const issuesOf = (field: string): MappingIssue[] => (result?.issues ?? []).filter((i) => i.field === `${tab}.${field}`);
  const general = (result?.issues ?? []).filter((i) => !i.field || !SECTIONS.some((s) => i.field!.startsWith(`${s}.`)));

  const edit = (field: string, template: string | undefined) => {
    setSaved(null);
    const next = { ...(own[tab] ?? {}) };
    if (template === undefined) delete next[field];
    else next[field] = template;
    setOwn({ ...own, [tab]: next });
  };
  const insertVariable = (name: string) => {
    const target = focused.current;
    const token = `{{${name}}}`;
    if (!target) {
      setAdd({ ...add, template: add.template + token });
      return;
    }
    const el = target.input;
    const at = el.selectionStart ?? el.value.length;
    const value = el.value.slice(0, at) + token + el.value.slice(el.selectionEnd ?? at);
    if (target.field === '') setAdd({ ...add, template: value });
    else edit(target.field, value);
  };
  const subject = result?.subject;
  const addUnknown = add.field.trim() !== '' && known !== undefined && !known.has(add.field.trim());

  return (
    <div class="lzo-mapping-editor" data-testid="mapping-editor">
      {view.fieldsError && (
        <p class="lzo-hint" role="status" data-testid="mapping-fields-error">
          {t('mapping.fieldsError', { reason: view.fieldsError })}
        </p>
      )}
      <p class="lzo-hint" data-testid="mapping-subject" data-subject={subject === undefined ? '' : subject === 'sample' ? 'sample' : 'customer'}>
        {subject === undefined ? '…' : subject === 'sample' ? t('mapping.subject.sample') : t('mapping.subject.customer', { name: subject.name, code: subject.code })}
      </p>
      <div class="lzo-tabs" role="tablist">
        {SECTIONS.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={tab === s} class={tab === s ? 'lzo-btn lzo-btn-primary' : 'lzo-btn'} data-testid={`mapping-tab-${s}`} onClick={() => setTab(s)}>
            {t(`mapping.section.${s}`)}
          </button>
        ))}
      </div>
      <table class="lzo-mapping-table">
        <thead>
          <tr>
            <th>{t('mapping.field')}</th>
            <th>{t('mapping.template')}</th>
            <th>{t('mapping.preview')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {names.map((field) => {
            const isOwn = Object.hasOwn(mine, field);
            const template = isOwn ? mine[field]! : (defaults[field] ?? '');
            const problems = [
              ...(isOwn && known && !known.has(field) ? [{ message: t('mapping.unknownField', { field }) }] : []),
              ...issuesOf(field),
            ];
            const value = result?.values[tab]?.[field];
            const info = crmFields?.find((f) => f.name === field);
            return (
              <tr key={field} data-testid="mapping-row" data-field={field} data-default={isOwn ? 'false' : 'true'}>
                <td>
                  <code>{field}</code>
                  {info?.label && info.label !== field && <span class="lzo-hint"> {info.label}</span>}
                  {!isOwn && <span class="lzo-badge"> {t('mapping.default')}</span>}
                </td>
                <td>
                  <input
                    type="text"
                    data-testid="mapping-template"
                    value={template}
                    aria-invalid={problems.length > 0}
                    onFocus={(e) => (focused.current = { field, input: e.currentTarget as HTMLInputElement })}
                    onInput={(e) => edit(field, (e.currentTarget as HTMLInputElement).value)}
                  />
                  {info?.options && info.options.length > 0 && (
                    <p class="lzo-hint" data-testid="mapping-options">
                      {t('mapping.options', { values: info.options.slice(0, 12).join(' / ') + (info.options.length > 12 ? ' …' : '') })}
                    </p>
                  )}
                  {problems.map((p, i) => (
                    <p key={i} class="lzo-field-error" data-testid="mapping-issue">
                      {p.message}
                    </p>
                  ))}
                </td>
                <td data-testid="mapping-preview-value">{value === undefined ? <span class="lzo-hint">{t('mapping.empty')}</span> : String(value)}</td>
                <td>
                  {isOwn && (
                    <button type="button" class="lzo-btn lzo-btn-ghost" data-testid="mapping-remove" onClick={() => edit(field, undefined)}>
                      {Object.hasOwn(defaults, field) ? t('mapping.revert') : t('mapping.remove')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form
        class="lzo-mapping-add"
        onSubmit={(e) => {
          e.preventDefault();
          const field = add.field.trim();
          if (!field || addUnknown) return;
          edit(field, add.template);
          setAdd({ field: '', template: '' });
        }}
      >
        <input type="text" list={`mapping-fields-${tab}`} placeholder={t('mapping.addField')} data-testid="mapping-add-field" value={add.field} onInput={(e) => setAdd({ ...add, field: (e.currentTarget as HTMLInputElement).value })} aria-invalid={addUnknown} />
        {crmFields && (
          <datalist id={`mapping-fields-${tab}`}>
            {crmFields.map((f) => (
              <option key={f.name} value={f.name}>
                {[f.label, f.type].filter(Boolean).join(' · ')}
              </option>
            ))}
          </datalist>
        )}
        <input
          type="text"
          placeholder="{{customer.name}}"
          data-testid="mapping-add-template"
          value={add.template}
          onFocus={(e) => (focused.current = { field: '', input: e.currentTarget as HTMLInputElement })}
          onInput={(e) => setAdd({ ...add, template: (e.currentTarget as HTMLInputElement).value })}
        />
        <button type="submit" class="lzo-btn" data-testid="mapping-add" disabled={!add.field.trim() || addUnknown}>
          {t('mapping.add')}
        </button>
        {addUnknown && (
          <span class="lzo-field-error" data-testid="mapping-add-unknown">
            {t('mapping.unknownField', { field: add.field.trim() })}
          </span>
        )}
      </form>
      <details class="lzo-mapping-vars">
        <summary>{t('mapping.variables')}</summary>
        <p class="lzo-hint">{t('mapping.filters', { filters: view.filters.join(', ') })}</p>
        <div class="lzo-chips">
          {view.variables.map((v) => (
            <button key={v.name} type="button" class="lzo-chip" data-testid="mapping-var" data-var={v.name} title={v.name} onMouseDown={(e) => e.preventDefault()} onClick={() => insertVariable(v.name)}>
              {v.label} <code>{v.name}</code>
            </button>
          ))}
        </div>
      </details>
      <label class="lzo-mapping-lookups">
        {t('mapping.lookups')}
        <textarea
          rows={3}
          data-testid="mapping-lookups"
          placeholder="intent: 高=Hot; 中=Warm; 低=Cold"
          value={lookupText}
          onInput={(e) => {
            setSaved(null);
            setLookupText((e.currentTarget as HTMLTextAreaElement).value);
          }}
        />
      </label>
      {parsedLookups.error !== undefined && (
        <p class="lzo-field-error" data-testid="mapping-lookups-error">
          {t('mapping.lookupsError', { line: parsedLookups.error })}
        </p>
      )}
      {general.map((p, i) => (
        <p key={i} class="lzo-field-error" data-testid="mapping-issue">
          {p.field ? `${p.field}: ` : ''}
          {p.message}
        </p>
      ))}
      <div class="lzo-row">
        <button type="button" class="lzo-btn lzo-btn-primary" data-testid="mapping-save" disabled={saveAction.busy || parsedLookups.error !== undefined} onClick={() => void saveAction.run()}>
          {t('mapping.save')}
        </button>
        {saved && (
          <span class="lzo-ok" role="status" data-testid="mapping-saved">
            {saved.unchecked ? t('mapping.savedUnchecked', { reason: saved.unchecked }) : t('mapping.saved')}
          </span>
        )}
      </div>
      {saveAction.error !== null && (
        <p class="lzo-field-error" role="alert" data-testid="mapping-save-error">
          {saveAction.error || t('error.generic')}
        </p>
      )}
    </div>
  );
}
