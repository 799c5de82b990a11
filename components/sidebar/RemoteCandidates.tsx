// An unknown contact searched live in the connected CRMs (issue 15): a colleague may already
// have the customer there. Each match is one line, 「在 智邦ERP 中找到：KH2025001 张伟 · 重点客户」,
// with its own 关联; several matches are all shown and none is picked. A CRM whose search
// failed says so in a line of its own and blocks nothing (the create form stays below).
// Names and values come from a CRM: untrusted, shown as text (<Name> for names).
import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import type { T } from '../../lib/i18n';
import type { ObservedIdentity, RemoteCandidate, candidateSearchSchema } from '../../lib/model';
import { errorDisplay } from '../../lib/i18n/bilingual';
import { useAction } from './async';
import { ErrorText } from './ErrorText';
import { formatPhoneForDisplay } from './phone-display';
import { rich } from './rich';
import { Name } from '../shared/Name';

export type CandidateSearch = z.infer<typeof candidateSearchSchema>;
export interface RemoteSearchResult {
  candidates: RemoteCandidate[];
  searched: CandidateSearch[];
}

/** After the conversation settles: a chat switch or a phone read a moment later costs one search, not several. */
export const REMOTE_DEBOUNCE_MS = 300;

export interface RemoteCandidatesProps {
  t: T;
  identity: ObservedIdentity;
  /** crm.candidates for this conversation. */
  find(): Promise<RemoteSearchResult>;
  /** crm.linkRemote. */
  link(c: RemoteCandidate): Promise<void>;
  /** The CRMs that will be searched, for 「正在 智邦ERP 中查找…」; unknown: one generic line. */
  names?: string[] | undefined;
}

type SearchState = { kind: 'idle' } | { kind: 'searching' } | { kind: 'done'; result: RemoteSearchResult } | { kind: 'failed'; error: string };

/** What the search asks by: the phones and emails read from the chat (the background searches by these). */
function searchKey(identity: ObservedIdentity): string | null {
  if (identity.isGroup || identity.weakKey) return null;
  const keys = [...identity.phones, ...identity.emails];
  return keys.length ? keys.join('\n') : null;
}

export function RemoteCandidates({ t, identity, find, link, names }: RemoteCandidatesProps) {
  const [state, setState] = useState<SearchState>({ kind: 'idle' });
  const key = searchKey(identity);
  useEffect(() => {
    if (key === null || (names !== undefined && names.length === 0)) {
      setState({ kind: 'idle' });
      return;
    }
    let live = true;
    setState({ kind: 'searching' });
    const timer = setTimeout(() => {
      find().then(
        (result) => live && setState({ kind: 'done', result }),
        (e: unknown) => live && setState({ kind: 'failed', error: e instanceof Error ? e.message : String(e) }),
      );
    }, REMOTE_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, names?.length === 0]);

  if (state.kind === 'idle') return null;
  if (state.kind === 'done' && state.result.searched.length === 0 && state.result.candidates.length === 0) return null;
  const candidates = state.kind === 'done' ? state.result.candidates : [];
  return (
    <section class="lz-section" aria-labelledby="lz-remote-h" data-testid="remote-candidates" data-state={state.kind} aria-busy={state.kind === 'searching'}>
      <h3 class="lz-h" id="lz-remote-h">
        {t('remote.title')}
      </h3>
      {state.kind === 'searching' &&
        (names?.length ? (
          names.map((n, i) => (
            <p key={i} class="lz-muted lz-small lz-remote-status" data-testid="remote-candidates-status" data-state="searching" role="status">
              <span class="lz-spinner" aria-hidden="true" /> {rich(t('remote.searching'), { crm: <Name value={n} /> })}
            </p>
          ))
        ) : (
          <p class="lz-muted lz-small lz-remote-status" data-testid="remote-candidates-status" data-state="searching" role="status">
            <span class="lz-spinner" aria-hidden="true" /> {t('remote.searchingAny')}
          </p>
        ))}
      {state.kind === 'failed' && <StatusFailed t={t} name={null} error={state.error} />}
      {candidates.length > 1 && (
        <p class="lz-note" data-testid="remote-several">
          {t('remote.several', { n: candidates.length })}
        </p>
      )}
      {candidates.length > 0 && (
        <ul class="lz-list">
          {candidates.map((c) => (
            <RemoteRow key={`${c.connectionId} ${c.remoteId}`} t={t} c={c} link={link} />
          ))}
        </ul>
      )}
      {state.kind === 'done' &&
        state.result.searched.map((s) =>
          !s.ok ? (
            <StatusFailed key={s.connectionId} t={t} name={s.connectionName} error={s.error ?? ''} connectionId={s.connectionId} />
          ) : candidates.some((c) => c.connectionId === s.connectionId) ? null : (
            <p key={s.connectionId} class="lz-muted lz-small lz-remote-status" data-testid="remote-candidates-status" data-state="none" data-connection={s.connectionId}>
              {rich(t('remote.none'), { crm: <Name value={s.connectionName} /> })}
            </p>
          ),
        )}
    </section>
  );
}

function StatusFailed({ t, name, error, connectionId }: { t: T; name: string | null; error: string; connectionId?: string }) {
  const shown = error ? errorDisplay(t, error) : { text: t('error.generic') };
  return (
    <p
      class="lz-small lz-error-text lz-remote-status"
      data-testid="remote-candidates-status"
      data-state="failed"
      {...(connectionId ? { 'data-connection': connectionId } : {})}
      {...(shown.detail ? { title: shown.detail } : {})}
    >
      {rich(t('remote.failed'), { crm: name === null ? 'CRM' : <Name value={name} />, error: shown.text })}
    </p>
  );
}

function RemoteRow({ t, c, link }: { t: T; c: RemoteCandidate; link(c: RemoteCandidate): Promise<void> }) {
  const action = useAction(() => link(c));
  // What the CRM says of them, as it spells it: stage, grade, owner.
  const about = [c.stage ? t.term(c.stage) : undefined, c.grade, c.owner].filter((x): x is string => !!x);
  const contact = [c.company, ...c.phones.map(formatPhoneForDisplay), c.email].filter(Boolean).join(' · ');
  return (
    <li class="lz-item lz-remote-item" data-testid="remote-candidate" data-connection={c.connectionId} data-remote-id={c.remoteId} {...(c.localCustomerId ? { 'data-local-customer': c.localCustomerId } : {})}>
      <div class="lz-item-main">
        <div class="lz-remote-line" data-testid="remote-candidate-text">
          {rich(t('remote.found'), { crm: <Name class="lz-remote-crm" value={c.connectionName} /> })}
          {c.remoteCode && (
            <>
              <span class="lz-code-sm lz-mono" data-testid="remote-candidate-code">
                {c.remoteCode}
              </span>{' '}
            </>
          )}
          <Name class="lz-name-sm" value={c.name} />
          {about.map((a, i) => (
            <span key={i}>
              {' · '}
              <Name value={a} />
            </span>
          ))}
        </div>
        {contact && <div class="lz-muted lz-small">{contact}</div>}
        {c.localCustomerId && (
          <div class="lz-small lz-note" data-testid="remote-candidate-local">
            {t('remote.local')}
          </div>
        )}
        <ErrorText t={t} error={action.error} />
      </div>
      <button
        type="button"
        class="lz-btn lz-btn-sm lz-btn-primary"
        disabled={action.busy}
        aria-busy={action.busy}
        title={t('remote.linkHint', { crm: c.connectionName })}
        data-testid="remote-candidate-link"
        onClick={() => void action.run()}
      >
        {action.busy ? t('common.working') : t('unknown.link')}
      </button>
    </li>
  );
}
