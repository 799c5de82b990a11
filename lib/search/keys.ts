// Search keys for a customer: what "link to existing" matches on. Filled in by lib/search.
import type { Customer } from '../model';

export function deriveSearchKeys(c: Pick<Customer, 'name' | 'company' | 'phones' | 'code' | 'wechatId' | 'email'>): string[] {
  throw new Error('TODO: implement deriveSearchKeys (owned by the data-core work)');
}
