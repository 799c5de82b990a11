// The connect form for one CRM, generated from its declared spec: every auth and config field
// with its help text (where to get the value), "test connection" before saving, and secrets
// that are never shown again once stored (blank keeps them).
import { useEffect, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { CrmField, CrmSpec } from '../../lib/crm/spec';
import type { ConnectionDraft, ConnectionView } from '../../lib/connections/views';
import { useAction } from '../sidebar/async';
import { connTexts } from './remove-texts';
import { errorDisplay } from '../../lib/i18n/bilingual';

export interface ConnectionFormActions {
  save(draft: ConnectionDraft): Promise<void>;
  test(draft: ConnectionDraft): Promise<{ account?: string }>;
  /** A saved connection's values for a `remoteChoices` field, as its CRM lists them. */
  choices?(id: string, field: string): Promise<{ value: string; label: string }[]>;
}

const pick = (t: T, l: { zh_CN: string; en: string }) => (t.locale === 'zh_CN' ? l.zh_CN : l.en);

/** A CRM address the user typed with plain http:// (a self-hosted 智邦 on the LAN, say): allowed, with a warning. */
export function isPlainHttp(value: string): boolean {
  try {
    return new URL(value.trim()).protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * oauthRedirectUrl: chrome.identity.getRedirectURL(), shown for oauth2-pkce specs because the
 * user's connected app must list it as its callback URL, exactly, or the provider refuses.
 */
export function ConnectionForm(props: { t: T; spec: CrmSpec; existing?: ConnectionView; actions: ConnectionFormActions; onDone(): void; oauthRedirectUrl?: string }) {
  const { t, spec, existing } = props;
  const fields: CrmField[] = [...spec.auth.fields, ...(spec.configFields ?? [])];
  const [name, setName] = useState(existing?.name ?? pick(t, spec.names));
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.filter((f) => !f.secret).map((f) => [f.key, String(existing?.settings[f.key] ?? f.options?.[0]?.value ?? '')])),
  );
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [codeMaster, setCodeMaster] = useState<boolean>(existing?.settings.codeMaster === undefined ? (spec.codeMaster ?? false) : existing.settings.codeMaster === true);
  // lib/sync/pull.ts conflictRuleOf: anything but 'local' means the CRM wins.
  const [conflictRule, setConflictRule] = useState<'remote' | 'local'>(existing?.settings.conflictRule === 'local' ? 'local' : 'remote');
  const [tested, setTested] = useState<string | null>(null);
  const choices = useRemoteChoices(props.actions, existing, fields);

  const draft = (): ConnectionDraft => ({
    ...(existing ? { id: existing.id } : {}),
    kind: spec.id,
    name: name.trim(),
    enabled: existing?.enabled ?? true,
    // Settings that are not form fields (mapping, codeMaster…) are kept as they were.
    settings: { ...(existing?.settings ?? {}), ...values, codeMaster, conflictRule },
    secrets,
  });
  const test = useAction(async () => {
    setTested(null);
    const r = await props.actions.test(draft());
    setTested(r.account ?? '');
  });
  const save = useAction(async () => {
    await props.actions.save(draft());
    props.onDone();
  });

  return (
    <form
      class="lzo-card lzo-conn-form"
      data-testid="connection-form"
      data-kind={spec.id}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h3 class="lzo-subhead">{existing ? t('conn.edit', { name: existing.name }) : t('conn.new', { name: pick(t, spec.names) })}</h3>
      <div class="lzo-field">
        <label class="lzo-label" for="lzo-conn-name">
          {t('conn.name')}
        </label>
        <input id="lzo-conn-name" class="lzo-input" value={name} data-testid="conn-name" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      </div>
      {fields.map((f) => {
        const id = `lzo-conn-${f.key}`;
        const stored = f.secret && existing?.storedSecrets.includes(f.key);
        return (
          <div class="lzo-field" key={f.key}>
            <label class="lzo-label" for={id}>
              {pick(t, f.label)}
              {f.required === false && <span class="lzo-hint"> ({t('conn.optional')})</span>}
            </label>
            {f.type === 'select' && f.options ? (
              <select id={id} class="lzo-input" data-testid={`conn-field-${f.key}`} value={values[f.key]} onChange={(e) => setValues({ ...values, [f.key]: (e.currentTarget as HTMLSelectElement).value })}>
                {f.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {pick(t, o.label)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                class="lzo-input"
                data-testid={`conn-field-${f.key}`}
                {...(choices[f.key]?.length ? { list: `${id}-choices` } : {})}
                // Preact types `type` per input kind; the value is one of these four.
                type={(f.secret ? 'password' : f.type === 'url' ? 'url' : f.type === 'email' ? 'email' : 'text') as 'text'}
                autocomplete={f.secret ? 'new-password' : 'off'}
                placeholder={stored ? t('conn.secretStored') : (f.placeholder ?? '')}
                value={f.secret ? (secrets[f.key] ?? '') : values[f.key]}
                onInput={(e) => {
                  const v = (e.currentTarget as HTMLInputElement).value;
                  if (f.secret) setSecrets({ ...secrets, [f.key]: v });
                  else setValues({ ...values, [f.key]: v });
                }}
              />
            )}
            {choices[f.key] && choices[f.key]!.length > 0 && (
              <>
                <datalist id={`${id}-choices`}>
                  {choices[f.key]!.map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </datalist>
                <p class="lzo-hint" data-testid={`conn-choice-${f.key}`}>
                  {choices[f.key]!.find((c) => c.value === values[f.key])?.label ?? t('conn.choices', { n: choices[f.key]!.length })}
                </p>
              </>
            )}
            {!f.secret && isAddressField(spec, f) && isPlainHttp(values[f.key] ?? '') && (
              <p class="lzo-warn" role="alert" data-testid={`conn-http-warning-${f.key}`}>
                {connTexts(t.locale)('plainHttp')}
              </p>
            )}
            <p class="lzo-hint">{pick(t, f.help)}</p>
          </div>
        );
      })}
      {spec.auth.kind === 'oauth2-pkce' && props.oauthRedirectUrl && <OAuthRedirect t={t} url={props.oauthRedirectUrl} name={pick(t, spec.names)} />}
      <label class="lzo-radio">
        <input type="checkbox" checked={codeMaster} data-testid="conn-code-master" onChange={(e) => setCodeMaster((e.currentTarget as HTMLInputElement).checked)} />
        <span>
          {t('conn.codeMaster')}
          <span class="lzo-hint"> — {t('conn.codeMasterHint')}</span>
        </span>
      </label>
      <div class="lzo-field">
        <label class="lzo-label" for="lzo-conn-conflict-rule">
          {t('conn.conflictRule')}
        </label>
        <select
          id="lzo-conn-conflict-rule"
          class="lzo-input"
          data-testid="conn-conflict-rule"
          value={conflictRule}
          aria-describedby="lzo-conn-conflict-help"
          onChange={(e) => setConflictRule((e.currentTarget as HTMLSelectElement).value === 'local' ? 'local' : 'remote')}
        >
          <option value="remote">{t('conn.conflictRule.remote')}</option>
          <option value="local">{t('conn.conflictRule.local')}</option>
        </select>
        <p class="lzo-hint" id="lzo-conn-conflict-help">
          {t('conn.conflictRuleHint')}
        </p>
      </div>
      {tested !== null && (
        <p class="lzo-ok" role="status" data-testid="conn-test-ok">
          {tested ? t('conn.testOkAccount', { account: tested }) : t('conn.testOk')}
        </p>
      )}
      {(test.error !== null || save.error !== null) && (
        <p class="lzo-field-error" role="alert" data-testid="conn-error">
          {(test.error ?? save.error) ? errorDisplay(t, (test.error ?? save.error)!).text : t('error.generic')}
        </p>
      )}
      <div class="lzo-row">
        <button type="button" class="lzo-btn" data-testid="conn-test" disabled={test.busy} aria-busy={test.busy} onClick={() => void test.run()}>
          {test.busy ? t('common.working') : t('conn.test')}
        </button>
        <button type="submit" class="lzo-btn lzo-btn-primary" data-testid="conn-save" disabled={save.busy} aria-busy={save.busy}>
          {save.busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" class="lzo-btn lzo-btn-ghost" onClick={props.onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The callback URL to paste into the provider's app, copyable (read-only input: selectable by hand too). */
function OAuthRedirect(props: { t: T; url: string; name: string }) {
  const { t } = props;
  const [copied, setCopied] = useState(false);
  return (
    <div class="lzo-field">
      <label class="lzo-label" for="lzo-conn-oauth-redirect">
        {t('conn.oauth.redirect')}
      </label>
      <div class="lzo-row">
        <input id="lzo-conn-oauth-redirect" class="lzo-input" readOnly value={props.url} data-testid="conn-oauth-redirect" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        <button
          type="button"
          class="lzo-btn"
          data-testid="conn-oauth-copy"
          onClick={() => {
            // Clipboard may be refused (no focus); the field stays selectable either way.
            void navigator.clipboard?.writeText(props.url).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? t('conn.oauth.copied') : t('conn.oauth.copy')}
        </button>
      </div>
      <p class="lzo-hint">{t('conn.oauth.afterSave', { name: props.name })}</p>
    </div>
  );
}

/**
 * Fields whose values the CRM lists (an ERP enum) get them as suggestions once the connection
 * is saved. A CRM that cannot answer leaves the plain field: typing an id still works.
 */
function useRemoteChoices(actions: ConnectionFormActions, existing: ConnectionView | undefined, fields: CrmField[]): Record<string, { value: string; label: string }[]> {
  const [choices, setChoices] = useState<Record<string, { value: string; label: string }[]>>({});
  const keys = fields.filter((f) => f.remoteChoices).map((f) => f.key);
  useEffect(() => {
    if (!existing || !actions.choices || keys.length === 0) return;
    let live = true;
    for (const key of keys) {
      actions
        .choices(existing.id, key)
        .then((list) => live && setChoices((c) => ({ ...c, [key]: list })))
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [existing?.id, keys.join(',')]);
  return choices;
}

/** A field that says where requests (and the secret) go: a URL field, or one the host permissions come from. */
function isAddressField(spec: CrmSpec, f: CrmField): boolean {
  return f.type === 'url' || spec.hostPermissions.some((p) => typeof p === 'object' && p.fromField === f.key);
}
