// The Linear adapter (background only): tickets as issues (issues.ts), follow-ups on them as
// comments (comments.ts), the settings form's choices and the template-writable fields
// (fields.ts), and verify. Linear keeps no customers, deals or tasks for Liaison: those port
// methods refuse (lib/crm/tickets-only.ts; spec.ts declares them false / 'none'). The context
// is built at the first operation, so a factory call with incomplete settings never throws.
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { contextBase, lazyContext, refusingCrmMethods, type TicketsOnlyOverrides } from '../tickets-only';
import type { LinearContext } from './client';
import { addTicketComment } from './comments';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { createTicket, getTicket } from './issues';
import { linearSpec } from './spec';
import { verify } from './verify';

/** baseUrl: instead of https://api.linear.app; reconcileDelaysMs (looking the id up again) default 0, 1 s, 3 s. */
export type LinearAdapterOverrides = TicketsOnlyOverrides;

export type LinearAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

export function createLinearAdapter(deps: AdapterDeps, overrides: LinearAdapterOverrides = {}): LinearAdapter {
  const run = lazyContext(
    (): LinearContext => ({ config: readConfig(deps, overrides.baseUrl), labelCache: new Map(), ...contextBase('linear', deps, linearSpec.rateLimit, overrides, [0, 1000, 3000]) }),
  );
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    ...refusingCrmMethods('Linear', { zh_CN: '工单（问题）', en: 'tickets (issues)' }),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts.signal)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
