// The Jira Cloud adapter (background only): tickets as issues (issues.ts), follow-ups on them as
// comments (comments.ts), the create metadata and the settings form's choices (fields.ts), and
// verify. Jira keeps no customers, deals or tasks for Liaison: those port methods refuse
// (lib/crm/tickets-only.ts) (spec.ts declares them false / 'none'). The context is built at the
// first operation, so a factory call with incomplete settings (the registry meta-test) never throws.
import type { AdapterDeps, CrmAdapter, CrmField, CrmFieldList, FieldChoice, OpOptions } from '../port';
import { contextBase, lazyContext, refusingCrmMethods, type TicketsOnlyOverrides } from '../tickets-only';
import type { JiraContext } from './client';
import { addTicketComment } from './comments';
import { readConfig } from './config';
import { fieldChoices, listFields } from './fields';
import { createTicket, getTicket } from './issues';
import { jiraSpec } from './spec';
import { verify } from './verify';

/** baseUrl: the origin requests go to instead of the site (browse links keep the site); reconcileDelaysMs default 0, 2 s, 5 s. */
export type JiraAdapterOverrides = TicketsOnlyOverrides;

export type JiraAdapter = Omit<CrmAdapter, 'listFields' | 'fieldChoices'> &
  Required<Pick<CrmAdapter, 'createTicket' | 'getTicket' | 'addTicketComment'>> & {
    listFields(opts?: OpOptions): Promise<CrmFieldList & { ticket: CrmField[] }>;
    fieldChoices(fieldKey: string, opts?: OpOptions): Promise<FieldChoice[] | undefined>;
  };

export function createJiraAdapter(deps: AdapterDeps, overrides: JiraAdapterOverrides = {}): JiraAdapter {
  const run = lazyContext(
    (): JiraContext => ({ config: readConfig(deps, overrides.baseUrl), metaCache: new Map(), ...contextBase('jira', deps, jiraSpec.rateLimit, overrides, [0, 2000, 5000]) }),
  );
  return {
    verify: (opts = {}) => run((c) => verify(c, opts.signal)),
    ...refusingCrmMethods('Jira', { zh_CN: '工单（问题）', en: 'tickets (issues)' }),
    listFields: (opts = {}) => run((c) => listFields(c, opts.signal)),
    fieldChoices: (key, opts = {}) => run((c) => fieldChoices(c, key, opts.signal)),
    createTicket: (t, opts) => run((c) => createTicket(c, t, opts)),
    getTicket: (id, opts = {}) => run((c) => getTicket(c, id, opts.signal)),
    addTicketComment: (id, f, opts) => run((c) => addTicketComment(c, id, f, opts)),
  };
}
