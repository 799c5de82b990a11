// The Asana adapter (background only): tickets as tasks in a project (tasks.ts), follow-ups on
// them as comments (stories.ts), the settings form's choices and the project's custom fields
// (fields.ts), and verify. Asana keeps no customers, deals or (Liaison) tasks for Liaison: those
// port methods refuse (lib/crm/tickets-only.ts; spec.ts declares them false / 'none'). The
// context is built at the first operation, so a factory call with incomplete settings (the
// registry meta-test) never throws.
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { contextBase, lazyContext, refusingCrmMethods, type TicketsOnlyOverrides } from '../tickets-only';
import type { AsanaContext } from './client';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { asanaSpec } from './spec';
import { addTicketComment } from './stories';
import { createTicket, getTicket } from './tasks';
import { verify } from './verify';

/** baseUrl: instead of https://app.asana.com; reconcileDelaysMs default 0, 1 s. */
export type AsanaAdapterOverrides = TicketsOnlyOverrides;

export type AsanaAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

export function createAsanaAdapter(deps: AdapterDeps, overrides: AsanaAdapterOverrides = {}): AsanaAdapter {
  const run = lazyContext((): AsanaContext => ({ config: readConfig(deps, overrides.baseUrl), ...contextBase('asana', deps, asanaSpec.rateLimit, overrides, [0, 1000]) }));
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    ...refusingCrmMethods('Asana', { zh_CN: '工单（项目中的任务）', en: 'tickets (tasks in a project)' }),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts.signal)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
