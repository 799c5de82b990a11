// Tickets → Case and CaseComment (lib/crm/salesforce/ticket.ts) against the emulated org.
import { describe, expect, it } from 'vitest';
import type { TicketInput } from '../../../../lib/crm/port';
import { caseStatus } from '../../../../lib/crm/salesforce/ticket';
import { customer, failure, followUp, harness, raw } from './helpers';

const ticket = (over: Partial<TicketInput> = {}): TicketInput => ({
  subject: 'Washing machine leaks',
  description: 'Bought last week, water under the drum',
  category: '售后',
  priority: '紧急',
  customer: { id: 'c1', code: 'KH2026001', name: '王小明', phones: ['+8613800138000'], email: 'wang@example.com', company: '王氏商行' },
  messages: [{ at: Date.UTC(2026, 11, 5, 1, 30), from: 'customer', text: '洗衣机漏水了' }],
  ...over,
});

describe('Salesforce Case', () => {
  it('a Contact customer: ContactId, Origin from the settings, Priority High for 紧急; CaseNumber and status read back', async () => {
    const h = await harness({ settings: { customerObject: 'Contact', caseOrigin: 'Phone' } });
    h.emu.control.setExternalIdField('Case', true);
    const contact = await h.adapter.createCustomer(customer(), { idempotencyKey: 'cust-1' });
    const ref = await h.adapter.createTicket!(ticket({ remoteCustomerId: contact.remoteId }), { idempotencyKey: 't-1' });
    const [row] = h.emu.control.records('Case');
    expect(row!.fields).toMatchObject({ ContactId: contact.remoteId, Origin: 'Phone', Priority: 'High', Status: 'New', Subject: 'Washing machine leaks', Liaison_Id__c: 't-1' });
    expect(row!.fields.SuppliedName).toBeUndefined();
    expect(row!.fields.Description).toBe('Bought last week, water under the drum\nCategory: 售后\nChat:\n2026-12-05 01:30 Customer: 洗衣机漏水了\n[Liaison t-1]');
    expect(ref).toMatchObject({ remoteId: row!.Id, remoteCode: row!.fields.CaseNumber, status: '新建', vendorStatus: 'New' });
    expect(ref.url).toBe(`${h.emu.url}/lightning/r/Case/${row!.Id}/view`);
    expect(h.emu.state.requests.map((r) => r.api).slice(-2)).toEqual(['sobject.upsert', 'sobject.get']);
  });

  it('a Lead customer: Case has no LeadId, so SuppliedName/Email/Phone/Company, and the Lead named in the Description; default Origin Web', async () => {
    const h = await harness();
    const lead = await h.adapter.createCustomer(customer(), { idempotencyKey: 'lead-1' });
    await h.adapter.createTicket!(ticket({ remoteCustomerId: lead.remoteId, priority: '低' }), { idempotencyKey: 't-2' });
    const [row] = h.emu.control.records('Case');
    expect(row!.fields).toMatchObject({ SuppliedName: '王小明', SuppliedEmail: 'wang@example.com', SuppliedPhone: '+8613800138000', SuppliedCompany: '王氏商行', Origin: 'Web', Priority: 'Low' });
    expect(row!.fields.ContactId).toBeUndefined();
    expect(row!.fields.Description).toContain(`Lead: ${lead.remoteId}`);
  });

  it('a retry after a lost reply upserts the same Case (external ID): one Case', async () => {
    const h = await harness();
    h.emu.control.setExternalIdField('Case', true);
    h.emu.control.dropNext({ api: 'sobject.upsert' });
    const e = await failure(h.adapter.createTicket!(ticket(), { idempotencyKey: 't-3' }));
    expect(e?.kind).toBe('unknown-outcome');
    expect(h.emu.control.records('Case')).toHaveLength(1);
    // Meanwhile an agent lowers the priority; the retry returns the Case without writing over it
    // (and an upsert would also be refused: SuppliedName/Email/Phone cannot be updated).
    const agent = h.emu.control.addUser('Agent');
    h.emu.control.as(agent).update(h.emu.control.records('Case')[0]!.Id, { Priority: 'Low' });
    h.emu.control.clearLog();
    const again = await h.another().createTicket!(ticket(), { idempotencyKey: 't-3' });
    expect(h.emu.control.records('Case')).toHaveLength(1);
    expect(again.remoteId).toBe(h.emu.control.records('Case')[0]!.Id);
    expect(h.emu.control.records('Case')[0]!.fields.Priority).toBe('Low');
    expect(h.emu.state.requests.map((r) => r.api)).toEqual(['sobject.getByExternalId', 'sobject.get']);
  });

  it('without the external ID field: a lookup by Subject and the trace before the insert, so a retry after a lost reply makes no second Case', async () => {
    const h = await harness();
    h.emu.control.dropNext({ api: 'sobject.create' });
    const e = await failure(h.adapter.createTicket!(ticket(), { idempotencyKey: 't-4' }));
    expect(e?.kind).toBe('unknown-outcome');
    expect(h.emu.control.records('Case')).toHaveLength(1);
    // A different ticket with the same Subject is not mistaken for it.
    await h.adapter.createTicket!(ticket({ description: 'another' }), { idempotencyKey: 't-5' });
    expect(h.emu.control.records('Case')).toHaveLength(2);
    const again = await h.another().createTicket!(ticket(), { idempotencyKey: 't-4' });
    expect(h.emu.control.records('Case')).toHaveLength(2);
    expect(h.emu.control.records('Case').find((r) => String(r.fields.Description).endsWith('[Liaison t-4]'))!.Id).toBe(again.remoteId);
  });

  it('getTicket follows the Status a colleague sets: Working → 处理中, Closed → 已关闭 (IsClosed); a deleted Case is null', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket!(ticket(), { idempotencyKey: 't-6' });
    const agent = h.emu.control.addUser('Support Agent');
    h.emu.control.as(agent).update(ref.remoteId, { Status: 'Working' });
    expect(await h.adapter.getTicket!(ref.remoteId)).toMatchObject({ status: '处理中', vendorStatus: 'Working', remoteCode: ref.remoteCode, subject: 'Washing machine leaks' });
    h.emu.control.as(agent).update(ref.remoteId, { Status: 'Closed' });
    expect(await h.adapter.getTicket!(ref.remoteId)).toMatchObject({ status: '已关闭', vendorStatus: 'Closed' });
    h.emu.control.delete(ref.remoteId);
    expect(await h.adapter.getTicket!(ref.remoteId)).toBeNull();
    expect((await failure(h.adapter.getTicket!('00Q000000000001AAA')))?.kind).toBe('validation');
  });

  it('status words: the org\'s own values map by meaning', () => {
    expect(caseStatus('New', false)).toBe('新建');
    expect(caseStatus('Escalated', false)).toBe('处理中');
    expect(caseStatus('Waiting on Customer', false)).toBe('待回复');
    expect(caseStatus('Closed - Resolved', true)).toBe('已解决');
    expect(caseStatus('Closed', true)).toBe('已关闭');
  });

  it('addTicketComment: a private CaseComment; a retry after a lost reply finds it by its trace', async () => {
    const h = await harness();
    const ref = await h.adapter.createTicket!(ticket(), { idempotencyKey: 't-7' });
    const f = followUp({ content: '已安排师傅周六上门' });
    h.emu.control.dropNext({ api: 'sobject.create' });
    const e = await failure(h.adapter.addTicketComment!(ref.remoteId, f, { idempotencyKey: 'fc-1' }));
    expect(e?.kind).toBe('unknown-outcome');
    const c = await h.adapter.addTicketComment!(ref.remoteId, f, { idempotencyKey: 'fc-1' });
    const comments = h.emu.control.records('CaseComment');
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ Id: c.remoteId, fields: { ParentId: ref.remoteId, IsPublished: false, CommentBody: '[电话 · 有意向] 已安排师傅周六上门\nNext: 发方案\n[Liaison fc-1]' } });
    await h.adapter.addTicketComment!(ref.remoteId, followUp({ content: 'x'.repeat(5000) }), { idempotencyKey: 'fc-2' });
    expect(String(h.emu.control.records('CaseComment')[1]!.fields.CommentBody).length).toBeLessThanOrEqual(4000);
  });

  it('errors are classified: a bad Origin value is validation, a non-Case id is refused before any request', async () => {
    const h = await harness({ settings: { caseOrigin: 'WhatsApp' } });
    const e = await failure(h.adapter.createTicket!(ticket(), { idempotencyKey: 't-8' }));
    expect(e?.kind).toBe('validation');
    expect(e?.vendorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(h.emu.control.records('Case')).toHaveLength(0);
    const before = h.emu.state.requests.length;
    expect((await failure(h.adapter.addTicketComment!('003000000000001AAA', followUp(), { idempotencyKey: 'x' })))?.kind).toBe('validation');
    expect(h.emu.state.requests.length).toBe(before);
  });
});

describe('Salesforce emulator: Case and CaseComment are strict', () => {
  it('CaseNumber is read-only, CaseComment needs ParentId and takes no external ID, long text cannot be filtered', async () => {
    const h = await harness();
    const token = h.secrets.access_token!;
    const bad = await raw(h.emu, 'POST', '/services/data/v60.0/sobjects/Case', token, { Subject: 'x', CaseNumber: '1' });
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const noParent = await raw(h.emu, 'POST', '/services/data/v60.0/sobjects/CaseComment', token, { CommentBody: 'x' });
    expect(noParent.body[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
    const upsert = await raw(h.emu, 'PATCH', '/services/data/v60.0/sobjects/CaseComment/Liaison_Id__c/k1', token, { CommentBody: 'x' });
    expect(upsert.status).toBe(404);
    expect(() => h.emu.control.setExternalIdField('CaseComment', true)).toThrow();
    const q = await raw(h.emu, 'GET', `/services/data/v60.0/query?q=${encodeURIComponent("SELECT Id FROM Case WHERE Description = 'x'")}`, token);
    expect(q.status).toBe(400);
    expect(q.body[0].errorCode).toBe('INVALID_FIELD');
  });
});

// Seeded faults on every REST request (a reply lost after the commit, a 503 before or after it),
// each attempt by a fresh adapter instance: every Case and CaseComment exists once.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each([
  [1, true],
  [2, false],
  [3, true],
] as const)('Salesforce Cases under seeded faults (seed %i, external ID on Case: %s)', (seed, keyed) => {
  it('8 Cases and a comment on each: 0 lost, 0 duplicated', async () => {
    const h = await harness();
    if (keyed) h.emu.control.setExternalIdField('Case', true);
    const rand = rng(seed);
    h.emu.control.setFaultPolicy((r) => {
      if (!r.path.includes('/services/data/')) return undefined;
      const x = rand();
      return x < 0.15 ? { kind: 'drop', commit: true } : x < 0.25 ? { kind: 'error', status: 503, commit: rand() < 0.5 } : undefined;
    });
    const retry = async <T>(op: () => Promise<T>): Promise<T> => {
      for (let i = 0; ; i++) {
        try {
          return await op();
        } catch (e) {
          const kind = (e as { kind?: string }).kind;
          if (i > 40 || (kind !== 'unknown-outcome' && kind !== 'retryable')) throw e;
        }
      }
    };
    const ids: string[] = [];
    for (let n = 0; n < 8; n++) {
      const ref = await retry(() => h.another().createTicket!(ticket({ subject: `Case ${n}` }), { idempotencyKey: `s${seed}-t${n}` }));
      ids.push(ref.remoteId);
      await retry(() => h.another().addTicketComment!(ref.remoteId, followUp({ content: `跟进 ${n}` }), { idempotencyKey: `s${seed}-c${n}` }));
    }
    h.emu.control.setFaultPolicy(undefined);
    // The faults did happen: replies lost after the commit.
    expect(h.emu.state.requests.filter((r) => r.outcome === 'dropped').length).toBeGreaterThan(2);
    const cases = h.emu.control.records('Case');
    expect(cases).toHaveLength(8);
    expect(cases.map((c) => c.Id).sort()).toEqual([...ids].sort());
    const comments = h.emu.control.records('CaseComment');
    expect(comments).toHaveLength(8);
    for (const id of ids) expect(comments.filter((c) => c.fields.ParentId === id)).toHaveLength(1);
  }, 90_000);
});
