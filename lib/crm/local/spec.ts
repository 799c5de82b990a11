// The embedded local CRM: the database itself, always there, the system of record until
// the user connects another CRM. UI-safe data only.
import { defineCrmSpec } from '../spec';

export const localSpec = defineCrmSpec({
  id: 'local',
  names: { zh_CN: '本地 CRM', en: 'Local CRM' },
  auth: { kind: 'none', fields: [] },
  hostPermissions: [],
  capabilities: {
    read: { getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false },
    createCustomer: true,
    updateCustomer: true,
    findCustomers: true,
    followUps: 'native',
    deals: 'native',
    tasks: 'native',
    batchCreate: 500,
  },
  // Records are written under their Liaison id, so a repeated create is a no-op.
  idempotency: 'key',
  rateLimit: {},
  defaultMapping: {
    customer: {
      code: 'code', name: 'name', company: 'company', phones: 'phones', wechatId: 'wechatId', email: 'email',
      source: 'source', product: 'product', amount: 'amount', intentLevel: 'intentLevel', stage: 'stage',
      grade: 'grade', tags: 'tags', owner: 'owner', keyword: 'keyword', notes: 'notes', nextFollowUpAt: 'nextFollowUpAt',
    },
  },
});
