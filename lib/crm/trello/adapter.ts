// The Trello adapter (background only): tickets as cards (cards.ts), follow-ups on them as
// comments (comments.ts), the settings form's choices and the card parameters a template may set
// (fields.ts), and verify. Trello keeps no customers, deals or tasks for Liaison: those port
// methods refuse (lib/crm/tickets-only.ts; spec.ts declares them false / 'none'). The context is
// built at the first operation, so a factory call with incomplete settings (the registry
// meta-test) never throws.
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { contextBase, lazyContext, refusingCrmMethods, type TicketsOnlyOverrides } from '../tickets-only';
import { createTicket, getTicket } from './cards';
import type { TrelloContext } from './client';
import { addTicketComment } from './comments';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { trelloSpec } from './spec';
import { verify } from './verify';

/** baseUrl: instead of https://api.trello.com/1 (the emulator's /1); reconcileDelaysMs default 0, 2 s. */
export type TrelloAdapterOverrides = TicketsOnlyOverrides;

export type TrelloAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

export function createTrelloAdapter(deps: AdapterDeps, overrides: TrelloAdapterOverrides = {}): TrelloAdapter {
  // Trello counts per token; one connection holds one token, so the budget is kept per connection.
  const run = lazyContext((): TrelloContext => ({ config: readConfig(deps, overrides.baseUrl), ...contextBase('trello', deps, trelloSpec.rateLimit, overrides, [0, 2000]) }));
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    ...refusingCrmMethods('Trello', { zh_CN: '工单（卡片）', en: 'tickets (cards)' }),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts.signal)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
