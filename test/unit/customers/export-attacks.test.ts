// Issue 14: a backup file is input from outside. Each test is one attack from the issue, done
// the way an attacker would (a doctored file) against a database that holds real secrets.
import { describe, expect, it } from 'vitest';
import { exportAll, importAll, IMPORT_REPORT_KEY, REPORT, type ImportProgress } from '../../../lib/customers/export';
import { durabilityOf, relaxed } from '../../../lib/db/relaxed';
import { BACKUP_LIMITS } from '../../../lib/customers/backup-limits';
import { ValidationError } from '../../../lib/customers/errors';
import { rememberChatUrl } from '../../../lib/customers/link';
import { saveUnderstandingConfig, DEFAULT_UNDERSTANDING, LLM_SECRET_ID } from '../../../lib/suggest/config';
import { saveCustomSites } from '../../../lib/custom-sites/store';
import { DEFAULT_SETTINGS, type Connection, type Customer } from '../../../lib/model';
import type { LiaisonDb } from '../../../lib/db/db';
import { searchCustomers } from '../../../lib/search/query';
import { useDb, at, snapshot } from './helpers';

const t = useDb();
const now = at(2026, 12, 5);

const nocodb = (over: Partial<Connection> = {}): Connection => ({
  id: 'noco',
  kind: 'nocodb',
  name: 'NocoDB',
  enabled: true,
  settings: { host: 'https://crm.mine.example', base_id: 'p1' },
  createdAt: 0,
  ...over,
});

/** A valid export of an empty database, ready to be doctored. */
async function blankDoc(db: LiaisonDb) {
  return JSON.parse((await exportAll(db, now)).json);
}

function customer(i: number): Customer {
  return { id: `c${i}`, code: `KH-${i}`, name: `客户 ${i}`, phones: [], stage: '新客户', tags: [], createdAt: now, updatedAt: now, searchKeys: [] } as Customer;
}

describe('import never changes where a stored secret is sent', () => {
  it('replace: a same-id connection with another host loses the stored token and arrives switched off', async () => {
    const { db } = t;
    await db.connections.add(nocodb());
    await db.secrets.add({ connectionId: 'noco', value: { api_token: 'nc-token' } });
    const doc = await blankDoc(db);
    doc.tables.connections = [nocodb({ settings: { host: 'https://evil.example', base_id: 'p1' } })];

    const counts = await importAll(db, JSON.stringify(doc), 'replace', now);

    expect(await db.secrets.get('noco')).toBeUndefined();
    expect(await db.connections.get('noco')).toMatchObject({ enabled: false, settings: { host: 'https://evil.example' } });
    expect(counts[REPORT.secretsDropped]).toBe(1);
  });

  it('replace: the same connection restored (same CRM, same host, other mapping) keeps its token', async () => {
    const { db } = t;
    await db.connections.add(nocodb());
    await db.secrets.add({ connectionId: 'noco', value: { api_token: 'nc-token' } });
    const doc = await blankDoc(db);
    doc.tables.connections = [nocodb({ name: 'renamed', settings: { host: 'https://crm.mine.example', base_id: 'p1', mapping: { x: 1 } } })];

    const counts = await importAll(db, JSON.stringify(doc), 'replace', now);

    expect(await db.secrets.get('noco')).toEqual({ connectionId: 'noco', value: { api_token: 'nc-token' } });
    expect(await db.connections.get('noco')).toMatchObject({ enabled: true, name: 'renamed' });
    expect(counts[REPORT.secretsDropped]).toBe(0);
  });

  it.each([
    ['another port', { host: 'https://crm.mine.example:8443', base_id: 'p1' }, 'nocodb'],
    ['another base', { host: 'https://crm.mine.example', base_id: 'p2' }, 'nocodb'],
    ['another CRM type', { host: 'https://crm.mine.example', base_id: 'p1' }, 'hubspot'],
  ])('replace: %s drops the token', async (_label, settings, kind) => {
    const { db } = t;
    await db.connections.add(nocodb());
    await db.secrets.add({ connectionId: 'noco', value: { api_token: 'nc-token' } });
    const doc = await blankDoc(db);
    doc.tables.connections = [nocodb({ kind, settings })];
    await importAll(db, JSON.stringify(doc), 'replace', now);
    expect(await db.secrets.get('noco')).toBeUndefined();
  });

  it('merge: the stored connection is kept as it is, token and host', async () => {
    const { db } = t;
    await db.connections.add(nocodb());
    await db.secrets.add({ connectionId: 'noco', value: { api_token: 'nc-token' } });
    const doc = await blankDoc(db);
    doc.tables.connections = [nocodb({ settings: { host: 'https://evil.example', base_id: 'p1' } })];
    await importAll(db, JSON.stringify(doc), 'merge', now);
    expect(await db.connections.get('noco')).toMatchObject({ enabled: true, settings: { host: 'https://crm.mine.example' } });
    expect(await db.secrets.get('noco')).toBeDefined();
  });

  it('a connection cannot adopt a secret left under its id, nor take the LLM key row', async () => {
    const { db } = t;
    await db.secrets.add({ connectionId: 'orphan', value: { api_token: 'left-over' } });
    await db.secrets.add({ connectionId: LLM_SECRET_ID, value: { apiKey: 'sk-llm' } });
    const doc = await blankDoc(db);
    doc.tables.connections = [nocodb({ id: 'orphan', settings: { host: 'https://evil.example' } }), nocodb({ id: LLM_SECRET_ID, settings: { host: 'https://evil.example' } })];
    const counts = await importAll(db, JSON.stringify(doc), 'merge', now);
    expect(await db.secrets.get('orphan')).toBeUndefined();
    expect(await db.connections.get(LLM_SECRET_ID)).toBeUndefined();
    expect(await db.secrets.get(LLM_SECRET_ID)).toEqual({ connectionId: LLM_SECRET_ID, value: { apiKey: 'sk-llm' } });
    expect(counts[REPORT.connectionsDropped]).toBe(1);
  });

  it('an LLM endpoint changed by the file deletes the stored LLM key and turns the LLM off', async () => {
    const { db } = t;
    const llm = { ...DEFAULT_UNDERSTANDING.llm, enabled: true, baseUrl: 'https://api.deepseek.com/v1', model: 'm' };
    await saveUnderstandingConfig(db, { ...DEFAULT_UNDERSTANDING, llm }, 'sk-llm');
    const doc = await blankDoc(db);
    const understanding = doc.tables.kv.find((r: { key: string }) => r.key === 'understanding');
    understanding.value.llm.baseUrl = 'https://collector.evil.example/v1';

    const counts = await importAll(db, JSON.stringify(doc), 'replace', now);

    expect(await db.secrets.get(LLM_SECRET_ID)).toBeUndefined();
    expect((await db.kv.get('understanding'))?.value).toMatchObject({ llm: { enabled: false, baseUrl: 'https://collector.evil.example/v1' } });
    expect(counts[REPORT.llmKeyDropped]).toBe(1);
  });
});

describe('search keys', () => {
  it('derives them from each imported customer: none in the file, or planted ones, change nothing', async () => {
    const { db } = t;
    const doc = await blankDoc(db);
    const planted = { ...customer(1), name: '钓鱼客户', searchKeys: ['张伟', '13800138000', 'zhangwei'] };
    const bare = { ...customer(2), name: '李娜', phones: ['+8613912345678'], searchKeys: [] };
    doc.tables.customers = [planted, bare];
    await importAll(db, JSON.stringify(doc), 'replace', now);
    // Found by what it is, not by what the file said.
    expect((await searchCustomers(db, '李娜', 10)).map((c) => c.id)).toEqual(['c2']);
    expect((await searchCustomers(db, '13912345678', 10)).map((c) => c.id)).toEqual(['c2']);
    expect(await searchCustomers(db, '张伟', 10)).toEqual([]);
    expect(await searchCustomers(db, 'zhangwei', 10)).toEqual([]);
    expect((await searchCustomers(db, '钓鱼', 10)).map((c) => c.id)).toEqual(['c1']);
  });
});

describe('chat URLs', () => {
  it('keeps chat pages of known and user-defined sites and drops file:, chrome:, data:, javascript: and other sites', async () => {
    const { db } = t;
    await saveCustomSites(db, [
      { version: 2, id: 'mychat', name: 'My chat', pattern: 'https://chat.example.com/*', fields: { title: { css: 'h1' }, messageRow: { css: '.m' } } } as never,
    ]);
    const doc = await blankDoc(db);
    const urls: Record<string, string> = {
      ok1: 'https://web.whatsapp.com/',
      ok2: 'https://www.linkedin.com/messaging/thread/2-abc/',
      ok3: 'https://chat.example.com/room/1',
      bad1: 'file:///etc/passwd',
      bad2: 'chrome://settings/passwords',
      bad3: 'data:text/html,<script>alert(1)</script>',
      bad4: 'javascript:alert(1)',
      bad5: 'https://phish.example/web.whatsapp.com/',
      bad6: 'https://user:pw@web.whatsapp.com/',
    };
    doc.tables.kv.push(...Object.entries(urls).map(([id, value]) => ({ key: `chatUrl:${id}`, value })));

    const counts = await importAll(db, JSON.stringify(doc), 'replace', now);

    const kept = (await db.kv.where('key').startsWith('chatUrl:').toArray()).map((r) => r.key).sort();
    expect(kept).toEqual(['chatUrl:ok1', 'chatUrl:ok2', 'chatUrl:ok3']);
    expect(counts[REPORT.chatUrlsDropped]).toBe(6);
  });

  it('a URL rememberChatUrl stored survives the round trip', async () => {
    const { db } = t;
    await rememberChatUrl(db, 'c1', 'https://web.telegram.org/k/#@someone');
    const { json } = await exportAll(db, now);
    await db.kv.clear();
    await importAll(db, json, 'merge', now);
    expect((await db.kv.get('chatUrl:c1'))?.value).toBe('https://web.telegram.org/k/#@someone');
  });
});

describe('settings and other kv rows', () => {
  it('imports only known keys, each re-validated; unknown keys and fields are dropped and counted', async () => {
    const { db } = t;
    const doc = await blankDoc(db);
    doc.tables.kv.push(
      { key: 'settings', value: { ...DEFAULT_SETTINGS, snoozeMinutes: 15, language: 'klingon', injected: '<img src=x>' } },
      { key: 'sync:breaker:noco', value: { open: true } },
      { key: 'chat:currentCustomer', value: 'c1' },
      { key: '__proto__', value: { polluted: true } },
      { key: 'strategy', value: { mode: 'nonsense' } },
      { key: 'stageChange:0001764900000000:c1:abcd1234', value: { customerId: 'c1', to: '跟进中', at: 1 } },
    );

    const counts = await importAll(db, JSON.stringify(doc), 'replace', now);

    const rows = await db.kv.toArray();
    // (and the import's own report, written last: see importAll)
    expect(rows.map((r) => r.key).sort()).toEqual([IMPORT_REPORT_KEY, 'settings', 'stageChange:0001764900000000:c1:abcd1234']);
    const settings = rows.find((r) => r.key === 'settings')!.value as Record<string, unknown>;
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, snoozeMinutes: 15 });
    // language (invalid) + injected (unknown field) + 4 rows (breaker, open chat, __proto__, bad strategy)
    expect(counts[REPORT.settingsDropped]).toBe(6);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('export leaves machine state (breakers, caches) out of the file', async () => {
    const { db } = t;
    await db.kv.bulkPut([
      { key: 'sync:breaker:noco', value: { open: true } },
      { key: 'readerHealth:whatsapp', value: { ok: true } },
      { key: 'settings', value: DEFAULT_SETTINGS },
    ]);
    const doc = JSON.parse((await exportAll(db, now)).json);
    expect(doc.tables.kv.map((r: { key: string }) => r.key)).toEqual(['settings']);
  });
});

describe('size limits', () => {
  it('refuses a 50 MB file at once, naming the limit in Chinese and English, and writes nothing', async () => {
    const { db } = t;
    const doc = await blankDoc(db);
    doc.tables.kv.push({ key: 'settings', value: { codeFormat: 'x'.repeat(50 * 1024 * 1024) } });
    const json = JSON.stringify(doc);
    const before = await snapshot(db);
    const err = await importAll(db, json, 'replace', now).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/导入文件太大.*上限为 40 MB.*the file is too large.*the limit is 40 MB/);
    expect(await snapshot(db)).toEqual(before);
  });

  it('refuses one overlong value inside a file of allowed size', async () => {
    const { db } = t;
    const doc = await blankDoc(db);
    doc.tables.connections = [nocodb({ settings: { host: 'https://crm.mine.example', blob: 'y'.repeat(BACKUP_LIMITS.valueChars + 1) } })];
    const err = await importAll(db, JSON.stringify(doc), 'replace', now).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toContain('tables.connections.0.settings.blob');
    expect(err.message).toMatch(/超过上限.*more than the limit/);
    expect(await db.connections.count()).toBe(0);
  });

  it('refuses 700,000 rows quickly, before validating any of them', async () => {
    const { db } = t;
    const doc = await blankDoc(db);
    doc.tables.identities = Array.from({ length: 700_000 }, () => ({}));
    const json = JSON.stringify(doc);
    const err = await importAll(db, json, 'merge', now).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    // The row count is checked before any row is validated: the message is the limit's, not a
    // schema error about the first empty row.
    expect(err.message).toMatch(/identities 有 700000 行，超过上限 100000 行.*table identities has 700000 rows/);
    expect(await db.identities.count()).toBe(0);
  });
});

describe('batches and progress', () => {
  it('writes in batches of short transactions, reporting progress up to the total', async () => {
    const { db } = t;
    const doc = await blankDoc(db);
    doc.tables.customers = Array.from({ length: 2500 }, (_, i) => customer(i));
    const seen: ImportProgress[] = [];
    let transactions = 0;
    // The batches go through the relaxed-durability twin (issue 19), the rest through db.
    for (const conn of [db, relaxed(db)]) {
      const original = conn.transaction.bind(conn);
      (conn as unknown as { transaction: unknown }).transaction = (...args: unknown[]) => {
        transactions += 1;
        return (original as (...a: unknown[]) => unknown)(...args);
      };
    }

    const counts = await importAll(db, JSON.stringify(doc), 'replace', now, (p) => seen.push(p));

    expect(counts.customers).toBe(2500);
    expect(await db.customers.count()).toBe(2500);
    expect(seen[0]).toEqual({ done: 0, total: 2500 });
    expect(seen.at(-1)).toEqual({ done: 2500, total: 2500 });
    expect(seen.map((p) => p.done)).toEqual([0, 1000, 2000, 2500]);
    // read (prepare), clear, three batches of customers.
    expect(transactions).toBeGreaterThanOrEqual(5);
  });

  it('cut off mid-import: whole batches or nothing, no report, and a merge afterwards reports exactly the rest', async () => {
    const { db } = t;
    const doc = await blankDoc(db);
    doc.tables.customers = Array.from({ length: 2500 }, (_, i) => customer(i));
    // The batches' connection commits without flushing to disk; the report's is strict.
    expect(durabilityOf(relaxed(db))).toBe('relaxed');
    expect(durabilityOf(db)).toBe('strict');
    // The third batch dies mid-write (a crash of the worker, as far as this import can tell).
    const twin = relaxed(db);
    const bulkPut = twin.customers.bulkPut.bind(twin.customers);
    let calls = 0;
    (twin.customers as unknown as { bulkPut: unknown }).bulkPut = async (rows: never[]) => {
      if (++calls === 3) {
        await bulkPut(rows.slice(0, 10)); // partly written inside the batch's transaction…
        throw new Error('worker stopped');
      }
      return bulkPut(rows);
    };
    await expect(importAll(db, JSON.stringify(doc), 'merge', now)).rejects.toThrow('worker stopped');
    // …and rolled back with it: exactly the first two batches, and no report claims anything.
    expect(await db.customers.count()).toBe(2000);
    expect(await db.kv.get(IMPORT_REPORT_KEY)).toBeUndefined();

    (twin.customers as unknown as { bulkPut: unknown }).bulkPut = bulkPut;
    const counts = await importAll(db, JSON.stringify(doc), 'merge', now);
    expect(counts.customers).toBe(500);
    expect(await db.customers.count()).toBe(2500);
    expect((await db.kv.get(IMPORT_REPORT_KEY))?.value).toMatchObject({ mode: 'merge', counts: { customers: 500 } });
    // imported customers are found by search (stored keys: pinyin initials stay in searchKeys)
    const [first] = doc.tables.customers;
    expect((await searchCustomers(db, first!.name, 5)).map((c) => c.id)).toContain(first!.id);
  });
});
