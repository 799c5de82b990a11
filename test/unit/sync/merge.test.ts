// The three-way merge (lib/sync/merge.ts): what a pull takes from the CRM, what it keeps, what
// it records as a conflict, and what an update sends.
import { describe, expect, it } from 'vitest';
import { changedFields, mergeCustomer, sameValue } from '../../../lib/sync/merge';
import type { Customer } from '../../../lib/model';

const customer = (over: Partial<Customer> = {}): Customer => ({
  id: 'c1',
  code: 'KH2025001',
  name: '张伟',
  phones: ['+8613800138000'],
  stage: '新客户',
  tags: [],
  createdAt: 1,
  updatedAt: 2,
  searchKeys: [],
  ...over,
});
const base = { name: '张伟', stage: '新客户', notes: null, phones: ['+8613800138000'], tags: null, code: 'KH2025001' };

describe('mergeCustomer', () => {
  it('takes what only the CRM changed and keeps what only Liaison changed', () => {
    const r = mergeCustomer({ local: customer({ notes: '要报价' }), base, remote: { ...base, stage: '跟进中' }, rule: 'remote', codeMaster: true, now: 9 });
    expect(r.patch).toEqual({ stage: '跟进中' });
    expect(r.conflicts).toEqual([]);
    expect(r.pushNeeded).toBe(true); // notes: ours, not in the CRM yet
    expect(r.base).toMatchObject({ stage: '跟进中', notes: null });
  });

  it('a field changed on both sides follows the rule and is recorded with both values', () => {
    const input = { local: customer({ stage: '已报价' }), base, remote: { ...base, stage: '跟进中' }, codeMaster: true, now: 9 };
    const crmWins = mergeCustomer({ ...input, rule: 'remote' });
    expect(crmWins.patch).toEqual({ stage: '跟进中' });
    expect(crmWins.conflicts).toEqual([{ field: 'stage', kept: 'remote', keptValue: '跟进中', replacedValue: '已报价', at: 9 }]);
    expect(crmWins.pushNeeded).toBe(false);
    const oursWins = mergeCustomer({ ...input, rule: 'local' });
    expect(oursWins.patch).toEqual({});
    expect(oursWins.conflicts).toEqual([{ field: 'stage', kept: 'local', keptValue: '已报价', replacedValue: '跟进中', at: 9 }]);
    expect(oursWins.pushNeeded).toBe(true);
  });

  it('without a base every difference is a recorded conflict, and an empty side is never a rival', () => {
    const r = mergeCustomer({ local: customer({ owner: '李四', notes: '本地备注' }), base: undefined, remote: { name: '张伟', owner: '王五', notes: null, intentLevel: 'A' as never }, rule: 'remote', codeMaster: false, now: 5 });
    expect(r.patch).toEqual({ owner: '王五', intentLevel: 'A' });
    expect(r.conflicts.map((c) => [c.field, c.replacedValue])).toEqual([['owner', '李四']]);
    expect(r.pushNeeded).toBe(true); // notes: the CRM has none
  });

  it('the code comes from the code master only; the same values in another form are not a change', () => {
    const r = mergeCustomer({ local: customer({ code: 'WX20261205001', codeTemporary: true, tags: ['b', 'a'] }), base, remote: { ...base, code: 'KH2025009', tags: ['a', 'b', 'a'], name: ' 张伟 ' }, rule: 'remote', codeMaster: true, now: 1 });
    expect(r.patch).toEqual({ code: 'KH2025009' });
    expect(mergeCustomer({ local: customer(), base, remote: { ...base, code: 'OTHER' }, rule: 'remote', codeMaster: false, now: 1 }).patch).toEqual({});
    expect(sameValue('tags', ['x', 'y'], ['y', 'x'])).toBe(true);
    expect(sameValue('notes', '', null)).toBe(true);
  });

  it('never blanks a required field the CRM has empty', () => {
    const r = mergeCustomer({ local: customer(), base, remote: { ...base, stage: null, name: null }, rule: 'remote', codeMaster: true, now: 1 });
    expect(r.patch).toEqual({});
    expect(r.pushNeeded).toBe(true);
  });

  it('a remote-only change to 下次跟进 is taken, a cleared one too', () => {
    const b = { ...base, nextFollowUpAt: 1000 };
    expect(mergeCustomer({ local: customer({ nextFollowUpAt: 1000 }), base: b, remote: { ...b, nextFollowUpAt: 2000 }, rule: 'remote', codeMaster: true, now: 1 }).patch).toEqual({ nextFollowUpAt: 2000 });
    expect(mergeCustomer({ local: customer({ nextFollowUpAt: 1000 }), base: b, remote: { ...b, nextFollowUpAt: null }, rule: 'remote', codeMaster: true, now: 1 }).patch).toEqual({ nextFollowUpAt: undefined });
  });
});

describe('changedFields (what an update sends)', () => {
  const fields = ['code', 'name', 'phones', 'stage', 'notes', 'owner'];
  it('only fields that differ from the base; everything without a base; never a cleared field', () => {
    expect(changedFields(customer({ notes: '新备注' }), base, fields, true)).toEqual(['notes']);
    expect(changedFields(customer({ notes: '新备注' }), undefined, fields, true)).toEqual(['name', 'phones', 'stage', 'notes']);
    expect(changedFields(customer({ stage: '跟进中' }), { ...base, owner: '李四' }, fields, false)).toEqual(['stage']);
    // code: to a CRM that is not the master only, and never a temporary one
    expect(changedFields(customer({ code: 'KH2026-0002' }), base, fields, false)).toEqual(['code']);
    expect(changedFields(customer({ code: 'WX20261205001', codeTemporary: true }), base, fields, false)).toEqual([]);
  });
});
