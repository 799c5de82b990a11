// The ClickUp adapter (background only): tickets as tasks in a chosen List (tasks.ts), follow-ups
// on them as task comments (comments.ts), the List's Custom Fields and the settings form's
// choices (fields.ts), and verify. ClickUp keeps no customers, deals or reminders for Liaison:
// those port methods refuse (lib/crm/tickets-only.ts; spec.ts declares them false / 'none').
// The context is built at the first operation, so a factory call with incomplete settings (the
// registry meta-test) never throws.
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { contextBase, lazyContext, refusingCrmMethods, type TicketsOnlyOverrides } from '../tickets-only';
import type { ClickUpContext } from './client';
import { addTicketComment } from './comments';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { clickupSpec } from './spec';
import { createTicket, getTicket } from './tasks';
import { verify } from './verify';

/** baseUrl: instead of api.clickup.com; reconcileDelaysMs default 0, 2 s, 5 s. */
export type ClickUpAdapterOverrides = TicketsOnlyOverrides;

export type ClickUpAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

export function createClickUpAdapter(deps: AdapterDeps, overrides: ClickUpAdapterOverrides = {}): ClickUpAdapter {
  // One budget per connection (ClickUp counts per token: one token, one connection in practice).
  const run = lazyContext(
    (): ClickUpContext => ({ config: readConfig(deps, overrides.baseUrl), listCache: new Map(), ...contextBase('clickup', deps, clickupSpec.rateLimit, overrides, [0, 2000, 5000]) }),
  );
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    ...refusingCrmMethods('ClickUp', { zh_CN: '工单（任务）', en: 'tickets (tasks)' }),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts.signal)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
