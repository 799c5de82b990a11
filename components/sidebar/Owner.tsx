// 负责人 beside the chat (seed 003 #2): who owns the customer, how they were assigned, whether
// 客户指派 and the notice went out, and 分配/改派 to a team member or by the rules. Hidden when
// assignment is off (options → 团队与分配). Renders only; the entrypoint sends customer.assign.
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import { assignTexts } from '../../lib/i18n/messages-assign';
import type { AssignmentView } from '../../lib/assign/messages';
import { useAction } from './async';
import { ErrorText } from './ErrorText';

export interface OwnerProps {
  t: T;
  owner: string | undefined;
  view: AssignmentView;
  assign(memberId: string): Promise<void>;
  now: number;
}

export function Owner({ t, owner, view, assign }: OwnerProps) {
  const at = assignTexts(t.locale);
  const [choice, setChoice] = useState('');
  const action = useAction((id: string) => assign(id));
  if (view.mode === 'off') return null;
  const last = view.last && view.last.name === owner ? view.last : undefined;
  const reason = last && (last.reason === 'manual' ? at('reasonManual', { by: last.by ?? '' }).trim() : at(`reason${last.reason}` as 'reasonproduct'));
  const op = (o: 'customer.assign' | 'person.notify') => at(o === 'customer.assign' ? 'opAssign' : 'opNotify');
  const stateKey = { pending: 'noticePending', inflight: 'noticeInflight', done: 'noticeDone', failed: 'noticeFailed' } as const;
  return (
    <section class="lz-card lz-owner" data-testid="owner" aria-label={at('owner')}>
      <div class="lz-row">
        <span class="lz-label">{at('owner')}</span>
        <strong data-testid="owner-name">{owner || at('none')}</strong>
        {reason && <span class="lz-muted" data-testid="owner-reason">{reason}</span>}
      </div>
      {last && view.notices.length > 0 && (
        <ul class="lz-owner-notices" data-testid="owner-notices">
          {view.notices.map((n, i) => (
            <li key={i} class={n.state === 'failed' ? 'lz-bad' : 'lz-muted'} title={n.lastError}>
              {at(stateKey[n.state], { conn: n.connectionName, op: op(n.op) })}
            </li>
          ))}
        </ul>
      )}
      {view.missingIds.length > 0 && <p class="lz-muted">{at('missing', { conns: view.missingIds.join('、') })}</p>}
      {view.members.length > 0 && (
        <form
          class="lz-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (choice) void action.run(choice).then((ok) => ok && setChoice(''));
          }}
        >
          <select class="lz-input" value={choice} data-testid="owner-pick" aria-label={owner ? at('reassign') : at('assign')} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{owner ? at('reassign') : at('assign')}…</option>
            <option value="auto">{at('auto')}</option>
            {view.members.map((m) => (
              <option key={m.id} value={m.id} disabled={m.name === owner}>
                {m.name}
              </option>
            ))}
          </select>
          <button type="submit" class="lz-btn" data-testid="owner-assign" disabled={!choice || action.busy}>
            {action.busy ? at('assigning') : owner ? at('reassign') : at('assign')}
          </button>
        </form>
      )}
      {action.error !== null && <ErrorText t={t} error={action.error} />}
    </section>
  );
}
