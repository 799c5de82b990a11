// A conversation with no customer yet: show who the chat is with, offer the customers the
// background thinks it might be (never linked silently), a prefilled create form, and a
// search to link an existing customer by name, phone or pinyin initials.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { CustomerSummary, CustomerView } from '../../lib/model';
import type { CustomerInput } from '../../lib/messaging/protocol';
import { errorMessage, useAction } from './async';
import { ErrorText } from './ErrorText';
import { StageBadge } from './badges';
import { CustomerFields, draftFromIdentity, draftToInput, followIdentity, validateDraft, type CustomerDraft, type DraftErrors } from './CustomerForm';
import { formatPhoneForDisplay } from './phone-display';
import { Name } from '../shared/Name';
import { RemoteCandidates, type RemoteSearchResult } from './RemoteCandidates';
import type { RemoteCandidate } from '../../lib/model';

export interface UnknownContactProps {
  t: T;
  view: CustomerView;
  create(fields: CustomerInput): Promise<void>;
  search(q: string): Promise<CustomerSummary[]>;
  link(customerId: string): Promise<void>;
  /** The connected CRMs searched live for this contact (crm.candidates); absent: local candidates only. */
  findRemote?(): Promise<RemoteSearchResult>;
  /** Link the chat to a customer found in a CRM (crm.linkRemote). */
  linkRemote?(c: RemoteCandidate): Promise<void>;
  /** Names of the CRMs a live search covers (for 「正在 智邦ERP 中查找…」); undefined while unknown. */
  remoteNames?: string[] | undefined;
}

/** Debounce for search-as-you-type: one query per pause, not per keystroke. */
export const SEARCH_DEBOUNCE_MS = 250;

export function UnknownContact({ t, view, create, search, link, findRemote, linkRemote, remoteNames }: UnknownContactProps) {
  return (
    <div class="lz-stack">
      <IdentityCard t={t} view={view} />
      {view.identity.weakKey ? (
        // Known only by its title: nothing may be linked or created for it (lib/identity/resolve.ts).
        <p class="lz-note" data-testid="weak-key-note">
          {t('unknown.weakKey')}
        </p>
      ) : (
        <>
          {view.candidates.length > 0 && (
            <section class="lz-section" aria-labelledby="lz-candidates-h">
              <h3 class="lz-h" id="lz-candidates-h">
                {t('unknown.candidates')}
              </h3>
              <ul class="lz-list">
                {view.candidates.map((c) => (
                  <SummaryRow key={c.id} t={t} c={c} link={link} testId="candidate" />
                ))}
              </ul>
            </section>
          )}
          {findRemote && linkRemote && <RemoteCandidates t={t} identity={view.identity} find={findRemote} link={linkRemote} names={remoteNames} />}
          <CreateForm t={t} view={view} create={create} />
          <LinkSearch t={t} search={search} link={link} />
        </>
      )}
    </div>
  );
}

function IdentityCard({ t, view }: { t: T; view: CustomerView }) {
  const id = view.identity;
  const initial = id.displayName.trim().charAt(0) || '?';
  return (
    <section class="lz-card lz-identity" aria-label={t('unknown.identity')}>
      <div class="lz-identity-head">
        <span class="lz-avatar" aria-hidden="true">
          {initial}
        </span>
        <div class="lz-grow">
          <div class="lz-name" data-testid="identity-name">
            {id.displayName ? <Name value={id.displayName} /> : t('unknown.noName')}
          </div>
          <div class="lz-muted lz-small">{t('unknown.notLinked')}</div>
        </div>
        <span class="lz-badge lz-tone-orange">{t('unknown.badge')}</span>
      </div>
      {id.isGroup && (
        <p class="lz-note" data-testid="group-note">
          {t('unknown.group')}
        </p>
      )}
      <dl class="lz-dl">
        <dt>{t('field.phones')}</dt>
        <dd data-testid="identity-phones">
          {id.phones.length ? (
            id.phones.map((p) => (
              <span key={p} class="lz-chip lz-mono" title={p}>
                {formatPhoneForDisplay(p)}
              </span>
            ))
          ) : (
            <span class="lz-muted">{t('unknown.noPhones')}</span>
          )}
        </dd>
        {id.emails.length > 0 && (
          <>
                <dt>{t('field.email')}</dt>
                <dd>{id.emails.join(', ')}</dd>
          </>
        )}
        {id.wechat && (
          <>
                <dt>{t('field.wechat')}</dt>
                <dd>{id.wechat}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

const MATCH_KEYS = ['phone', 'email', 'wechat', 'name', 'company', 'search'] as const;

function matchLabel(t: T, by: string): string {
  return (MATCH_KEYS as readonly string[]).includes(by) ? t(`match.${by as (typeof MATCH_KEYS)[number]}`) : by;
}

function SummaryRow({ t, c, link, testId }: { t: T; c: CustomerSummary; link: (id: string) => Promise<void>; testId: string }) {
  const action = useAction(() => link(c.id));
  return (
    <li class="lz-item" data-testid={testId} data-customer-id={c.id}>
      <div class="lz-item-main">
        <div class="lz-item-title">
          <span class="lz-code-sm lz-mono">{c.code}</span>
          <Name class="lz-name-sm" value={c.name} />
          <StageBadge t={t} stage={c.stage} />
        </div>
        <div class="lz-muted lz-small">
          {[c.company, ...c.phones].filter(Boolean).join(' · ')}
        </div>
        {c.matchedBy && c.matchedBy.length > 0 && (
          <div class="lz-chips">
            {c.matchedBy.map((m) => (
              <span key={m} class="lz-chip lz-chip-match">
                {matchLabel(t, m)}
              </span>
            ))}
          </div>
        )}
        <ErrorText t={t} error={action.error} />
      </div>
      <button
        type="button"
        class="lz-btn lz-btn-sm lz-btn-primary"
        disabled={action.busy}
        aria-busy={action.busy}
        data-testid="link-customer"
        onClick={() => void action.run()}
      >
        {action.busy ? t('common.working') : t('unknown.link')}
      </button>
    </li>
  );
}

function CreateForm({ t, view, create }: { t: T; view: CustomerView; create: UnknownContactProps['create'] }) {
  const [draft, setDraft] = useState<CustomerDraft>(() => draftFromIdentity(view.identity, view.options));
  const [errors, setErrors] = useState<DraftErrors>({});
  // The same chat can tell more after the first render (the name read a moment later, a number the
  // customer just typed): fields the user has not touched follow it.
  const fromIdentity = draftFromIdentity(view.identity, view.options);
  const lastFromIdentity = useRef(fromIdentity);
  const identityKey = JSON.stringify(fromIdentity);
  useEffect(() => {
    const before = lastFromIdentity.current;
    lastFromIdentity.current = fromIdentity;
    setDraft((d) => followIdentity(d, before, fromIdentity));
    // fromIdentity is rebuilt every render; its content is identityKey.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [identityKey]);
  // Sidebar keys this component by conversation, so a new chat starts a fresh draft.
  const idPrefix = useId();

  const action = useAction((input: CustomerInput) => create(input));
  const submit = (e: Event) => {
    e.preventDefault();
    const errs = validateDraft(t, draft);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    void action.run(draftToInput(draft, false));
  };
  return (
    <section class="lz-section" aria-labelledby={`${idPrefix}-h`}>
      <h3 class="lz-h" id={`${idPrefix}-h`}>
        {t('unknown.create')}
      </h3>
      <form class="lz-card lz-form" data-testid="create-customer" onSubmit={submit} noValidate>
        <CustomerFields
          t={t}
          draft={draft}
          set={(p) => setDraft((d) => ({ ...d, ...p }))}
          options={view.options}
          errors={errors}
          idPrefix={idPrefix}
        />
        <ErrorText t={t} error={action.error} />
        <div class="lz-actions">
          <button type="submit" class="lz-btn lz-btn-primary" disabled={action.busy} aria-busy={action.busy} data-testid="create-submit">
            {action.busy ? t('common.saving') : t('unknown.createSubmit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function LinkSearch({ t, search, link }: { t: T; search: UnknownContactProps['search']; link: UnknownContactProps['link'] }) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<CustomerSummary[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  // Answers can arrive out of order; only the latest query may write the results.
  const seq = useRef(0);

  useEffect(() => {
    const query = q.trim();
    const mine = ++seq.current;
    if (!query) {
      setResults(null);
      setLoading(false);
      setError(null);
      return;
    }
    const timer = setTimeout(() => {
      setLoading(true);
      search(query).then(
        (r) => {
          if (seq.current !== mine) return;
          setResults(r);
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          if (seq.current !== mine) return;
          setError(errorMessage(e));
          setLoading(false);
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  return (
    <section class="lz-section" aria-labelledby={`${id}-h`}>
      <h3 class="lz-h" id={`${id}-h`}>
        {t('unknown.linkExisting')}
      </h3>
      <div class="lz-search">
        <input
          id={`${id}-q`}
          class="lz-input"
          type="search"
          value={q}
          placeholder={t('unknown.searchPlaceholder')}
          aria-label={t('unknown.linkExisting')}
          autoComplete="off"
          data-testid="link-search"
          onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
        />
        {loading && <span class="lz-spinner" aria-label={t('common.loading')} />}
      </div>
      <ErrorText t={t} error={error} />
      {results !== null && !loading && results.length === 0 && !error && (
        <p class="lz-muted lz-small lz-pad">{t('unknown.noResults')}</p>
      )}
      {results && results.length > 0 && (
        <ul class="lz-list">
          {results.map((c) => (
            <SummaryRow key={c.id} t={t} c={c} link={link} testId="search-result" />
          ))}
        </ul>
      )}
    </section>
  );
}
