// The declared half: a valid, complete spec; and the key → client_token conversion.
import { describe, expect, it } from 'vitest';
import { crmSpecSchema } from '../../../../lib/crm/spec';
import { feishuBitableSpec } from '../../../../lib/crm/feishu-bitable/spec';
import { isUuidV4, toUuidV4 } from '../../../../lib/crm/feishu-bitable/uuid';
import { createFeishuBitableAdapter } from '../../../../lib/crm/feishu-bitable/adapter';

describe('Feishu Bitable spec', () => {
  it('is a valid spec: app credentials, both hosts, linked-record follow-ups and deals, batch 500, key idempotency', () => {
    const parsed = crmSpecSchema.parse(feishuBitableSpec);
    expect(parsed.auth.fields.map((f) => [f.key, f.secret])).toEqual([['host', false], ['app_id', false], ['app_secret', true]]);
    expect(parsed.hostPermissions).toEqual(['https://open.feishu.cn/*', 'https://open.larksuite.com/*']);
    expect(parsed.capabilities).toMatchObject({ followUps: 'linked-record', deals: 'linked-record', batchCreate: 500 });
    expect(parsed.rateLimit.concurrentWrites).toBe(1);
    expect(parsed.idempotency).toBe('key');
    expect(parsed.defaultMapping.customer).toMatchObject({ name: '姓名', phones: '电话', code: '客户ID', stage: '贷款状态', keyword: '搜索关键词' });
    expect(feishuBitableSpec.auth.fields[1]!.help.zh_CN).toContain('凭证与基础信息');
    expect(feishuBitableSpec.auth.fields[1]!.help.zh_CN).toContain('bitable:app');
  });

  it('builds without settings or secrets (the registry meta-test does) and fails only when used', async () => {
    const a = createFeishuBitableAdapter({ db: null, connection: { id: 'x', kind: 'feishu-bitable', name: 'x', enabled: true, settings: {}, createdAt: 0 }, secrets: {}, now: Date.now });
    await expect(a.verify()).rejects.toMatchObject({ kind: 'auth' });
    const b = createFeishuBitableAdapter({ db: null, connection: { id: 'y', kind: 'feishu-bitable', name: 'y', enabled: true, settings: { host: 'mars.cn' }, createdAt: 0 }, secrets: {}, now: Date.now });
    await expect(b.verify()).rejects.toMatchObject({ kind: 'validation' });
  });

  it('turns any idempotency key into the same uuidv4 every time, and keeps a uuidv4 as it is', async () => {
    const a = await toUuidV4('outbox:123');
    expect(isUuidV4(a)).toBe(true);
    expect(await toUuidV4('outbox:123')).toBe(a);
    expect(await toUuidV4('outbox:124')).not.toBe(a);
    const u = crypto.randomUUID();
    expect(await toUuidV4(u)).toBe(u);
  });
});
