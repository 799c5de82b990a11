// 工单 / 售后单 beside the chat: each ticket's number where it lives, its status (the vendor's
// own word beside ours when they differ), the connection's name and when it was created. A local
// ticket's status is moved on here; a remote one's comes back from its CRM.
import type { T } from '../../lib/i18n';
import type { TicketPlaceView, TicketStatus, TicketView } from '../../lib/model';
import { useAction } from './async';
import { ErrorText } from './ErrorText';
import { Name } from '../shared/Name';
import { rich } from './rich';

/** What a user may set on a local ticket (lib/customers/ticket.ts LOCAL_STATUS_CHOICES). */
const LOCAL_CHOICES: readonly TicketStatus[] = ['新建', '处理中', '已解决', '已关闭'];

export interface TicketListProps {
  t: T;
  tickets: readonly TicketView[];
  now: number;
  setStatus?(ticketId: string, status: TicketStatus): Promise<void>;
}

const TONE: Record<TicketStatus, string> = { 新建: 'blue', 处理中: 'orange', 待回复: 'orange', 已解决: 'green', 已关闭: 'slate' };

export function TicketList({ t, tickets, now, setStatus }: TicketListProps) {
  if (!tickets.length) return null;
  return (
    <section class="lz-card lz-tickets" data-testid="tickets" aria-label={t('tickets.title')}>
      <h3 class="lz-h">{t('tickets.title')}</h3>
      <ul class="lz-ticket-list">
        {tickets.map((tk) => (
          <TicketRow key={tk.id} t={t} ticket={tk} now={now} {...(setStatus ? { setStatus } : {})} />
        ))}
      </ul>
    </section>
  );
}

function TicketRow({ t, ticket, now, setStatus }: { t: T; ticket: TicketView; now: number; setStatus?: TicketListProps['setStatus'] }) {
  const change = useAction((status: TicketStatus) => setStatus!(ticket.id, status));
  return (
    <li class="lz-ticket-item" data-testid="ticket-item" data-status={ticket.status}>
      <div class="lz-ticket-subject">
        <Name value={ticket.subject} />
      </div>
      <div class="lz-small lz-muted">
        {t.term(ticket.category)} · {t.term(ticket.priority)} · <span data-testid="ticket-created">{t('tickets.created', { when: t.formatAgo(ticket.createdAt, now) })}</span>
      </div>
      <ul class="lz-ticket-places">
        {ticket.places.map((p) => (
          <PlaceLine key={p.connectionId} t={t} place={p} now={now} />
        ))}
      </ul>
      {ticket.local && setStatus && (
        <label class="lz-small lz-ticket-set">
          <span>{t('tickets.setStatus')} </span>
          <select
            class="lz-input lz-input-sm"
            data-testid="ticket-status-select"
            value={ticket.status}
            disabled={change.busy}
            onChange={(e) => void change.run((e.currentTarget as HTMLSelectElement).value as TicketStatus)}
          >
            {LOCAL_CHOICES.map((s) => (
              <option key={s} value={s}>
                {t.term(s)}
              </option>
            ))}
          </select>
        </label>
      )}
      <ErrorText t={t} error={change.error} />
    </li>
  );
}

function PlaceLine({ t, place: p, now }: { t: T; place: TicketPlaceView; now: number }) {
  return (
    <li class="lz-ticket-place" data-testid="ticket-place" data-connection={p.connectionId}>
      {p.number ? (
        p.url ? (
          <a class="lz-mono" data-testid="ticket-number" href={p.url} target="_blank" rel="noopener noreferrer">
            {p.number}
          </a>
        ) : (
          <span class="lz-mono" data-testid="ticket-number">
            {p.number}
          </span>
        )
      ) : null}{' '}
      {p.status && (
        <span class={`lz-badge lz-outline lz-tone-${TONE[p.status]}`} data-testid="ticket-status" data-status={p.status}>
          {t.term(p.status)}
        </span>
      )}
      {p.vendorStatus && p.vendorStatus !== p.status && (
        <span class="lz-small lz-muted" data-testid="ticket-vendor-status">
          {' '}
          ({p.vendorStatus})
        </span>
      )}{' '}
      <span class="lz-small lz-muted" data-testid="ticket-where">
        {rich(t('tickets.where'), { crm: <Name value={p.connectionName} /> })}
      </span>
      {p.sync !== 'synced' && (
        <span class={`lz-badge lz-tone-${p.sync === 'failed' ? 'red' : 'orange'}`} data-testid="ticket-sync" data-sync={p.sync} {...(p.error ? { title: p.error } : {})}>
          {' '}
          {t(p.sync === 'failed' ? 'tickets.failed' : 'tickets.pending')}
        </span>
      )}
      {p.gone && (
        <span class="lz-small lz-error" data-testid="ticket-gone">
          {' '}
          {t('tickets.gone', { crm: p.connectionName })}
        </span>
      )}
      {p.readAt !== undefined && p.connectionId !== 'local' && <span class="lz-small lz-muted"> · {t('tickets.readAt', { when: t.formatAgo(p.readAt, now) })}</span>}
    </li>
  );
}
