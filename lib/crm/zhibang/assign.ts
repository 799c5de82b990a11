// 客户指派 (systemmanage/order.asp?datatype=tel), seed 003's 销售线索自动分配: member1 1 = public
// to everyone, 0 = assign to the users listed in member2 (ERP user ids).
import { CrmError } from '../errors';
import { PATHS, type ZhibangClient } from './client';

export type Assignment = { publicToAll: true } | { userIds: string[] };

export async function assignCustomer(client: ZhibangClient, ord: string, a: Assignment, signal?: AbortSignal): Promise<void> {
  const userIds = 'userIds' in a ? a.userIds.map((u) => u.trim()).filter(Boolean) : [];
  if ('userIds' in a && (!userIds.length || userIds.some((u) => !/^\d+$/.test(u)))) {
    throw new CrmError('validation', '智邦ERP: assignment needs numeric ERP user ids');
  }
  await client.v1(
    PATHS.order,
    '__sys_dosave',
    { ord, member1: 'publicToAll' in a ? '1' : '0', member2: userIds.join(',') || undefined },
    { write: true, searchParams: { datatype: 'tel' }, ...(signal ? { signal } : {}) },
  );
}
