import { describe, expect, it } from 'vitest';
import { queryMatches } from '../../../lib/crm/query-match';

describe('queryMatches (RemoteCustomer.matchedBy for every adapter)', () => {
  const found = { phones: ['+8613800138000'], email: 'Zhang@Example.com', code: 'KH2026-0001', name: '张三 示例贸易' };

  it('names each query key the record really matches, whatever format the query is typed in', () => {
    expect(queryMatches({ phone: '138 0013 8000', email: ' zhang@example.com ', code: ' KH2026-0001', name: '张三 ' }, found)).toEqual(['phone', 'email', 'code', 'name']);
    expect(queryMatches({ phone: '+86 139 1234 5678', email: 'li@example.com', code: 'KH2026-0002', name: '李四' }, found)).toEqual([]);
  });

  it('a fuzzy vendor hit on part of the number is not a phone match unless the CRM keeps free-form numbers', () => {
    const stored = { phones: ['(0086) 138-0013-8000'], name: 'x' };
    expect(queryMatches({ phone: '+8613800138000' }, stored)).toEqual(['phone']); // normalizes to the same E.164
    const national = { phones: ['0013800138000'], name: 'x' };
    expect(queryMatches({ phone: '+8613800138000' }, national)).toEqual([]);
    expect(queryMatches({ phone: '+8613800138000' }, national, { phoneSuffix: true })).toEqual(['phone']);
    expect(queryMatches({ phone: '8000' }, national, { phoneSuffix: true })).toEqual([]); // too few digits to mean anything
  });
});
