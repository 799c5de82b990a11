// Schema v3 → v4 (issue 17): a tickets table, nothing else changes. Seeds a v3 database with
// plain Dexie (as the shipped v3 code wrote it), then opens it with today's LiaisonDb.
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb, SCHEMA_V3 } from '../../../lib/db/db';
import { ticketSchema } from '../../../lib/model';

const opened: Dexie[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.delete();
});

const customer = { id: 'c1', code: 'KH2026-0001', name: '张三', phones: ['+8613800138000'], stage: '新客户', tags: [], createdAt: 1, updatedAt: 10, searchKeys: ['张三'] };
const followUp = { id: 'f1', customerId: 'c1', method: '微信', content: '问了利率', at: 5, origin: 'manual', messageIds: [], remoteRefs: ['crm r1'] };
const entry = { id: 'o1', op: 'followUp.create', entity: { table: 'followUps', id: 'f1' }, connectionId: 'crm', idempotencyKey: 'k1', attempts: 0, nextAttemptAt: 9, state: 'pending', createdAt: 7 };

describe('schema v3 → v4', () => {
  it('keeps every v3 row and adds the tickets table with its indexes', async () => {
    const name = `upgrade-v4-${crypto.randomUUID()}`;
    const v3 = new Dexie(name);
    v3.version(3).stores(SCHEMA_V3);
    opened.push(v3);
    await v3.open();
    await v3.table('customers').add(customer);
    await v3.table('followUps').add(followUp);
    await v3.table('outbox').add(entry);
    v3.close();

    const db = new LiaisonDb(name);
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(4);
    expect(await db.customers.get('c1')).toEqual(customer);
    expect(await db.followUps.where('remoteRefs').equals('crm r1').count()).toBe(1);
    expect(await db.outbox.get('o1')).toEqual(entry);
    expect(await db.tickets.count()).toBe(0);

    const ticket = ticketSchema.parse({
      id: 't1', customerId: 'c1', subject: '坏了', description: '', category: '售后', priority: '中', status: '新建',
      createdAt: 20, updatedAt: 20, messageIds: [], messages: [], places: [{ connectionId: 'desk', remoteId: '35', remoteCode: '#35' }], remoteRefs: ['desk 35'],
    });
    await db.tickets.add(ticket);
    expect(await db.tickets.where('remoteRefs').startsWith('desk ').primaryKeys()).toEqual(['t1']);
    expect(await db.tickets.where('[customerId+createdAt]').between(['c1', 0], ['c1', 100]).count()).toBe(1);
    expect(await db.tickets.where('status').equals('新建').count()).toBe(1);
  });
});
