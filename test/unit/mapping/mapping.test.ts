import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping, compileTemplate, defaultTemplates, effectiveMapping, mappingIssues, MappingError, renderTemplate, type MappingContext } from '../../../lib/mapping';
import type { Customer } from '../../../lib/model';
import { hubspotSpec } from '../../../lib/crm/hubspot/spec';

// 2026-03-05 23:30 UTC = 2026-03-06 07:30 in Shanghai: a date that changes day with the zone.
const T = Date.UTC(2026, 2, 5, 23, 30, 0);
const customer: Customer = {
  id: 'c1',
  code: 'KH2026-0007',
  name: '张三丰',
  company: '武当贸易',
  phones: ['+8613800138000', '+8613900139000'],
  email: 'zs@example.com',
  intentLevel: '高',
  stage: '跟进中',
  amount: 500000,
  tags: ['老客户', '经营贷'],
  nextFollowUpAt: T,
  createdAt: T,
  updatedAt: T,
  searchKeys: [],
};
const ctx: MappingContext = {
  customer,
  conversation: { site: 'whatsapp', lastMessage: '你好，我想咨询一下经营贷的利率，最近资金周转有点紧张，希望尽快办理，谢谢！', category: '销售线索', priority: 'high', receivedAt: T },
  followUp: { id: 'f1', customerId: 'c1', method: '电话', content: '聊了利率', at: T, origin: 'manual', messageIds: [] },
};
const lookups = { intent: { 高: 'Hot', 中: 'Warm', 低: 'Cold' } };
const render = (src: string, c: MappingContext = ctx) => {
  const { template, issues } = compileTemplate(src, lookups);
  expect(issues).toEqual([]);
  return renderTemplate(template!, c, lookups);
};

describe('templates', () => {
  it.each([
    ['plain text', '客户', '客户'],
    ['a variable', '{{customer.name}}', '张三丰'],
    ['seed 004 alias senderName', '{{senderName}}', '张三丰'],
    ['text around variables', '客户咨询 - {{category}}', '客户咨询 - 销售线索'],
    ['the first phone', '{{customer.phone}}', '+8613800138000'],
    ['a list joins', '{{customer.tags}}', '老客户, 经营贷'],
    ['join with a separator', "{{customer.tags|join:';'}}", '老客户;经营贷'],
    ['a lone number stays a number', '{{customer.amount}}', 500000],
    ['a number inside text', '金额 {{customer.amount}}', '金额 500000'],
    ['a bare time is ISO 8601', '{{customer.nextFollowUpAt}}', '2026-03-05T23:30:00.000Z'],
    ['date in the default zone (Shanghai)', "{{customer.nextFollowUpAt|date:'YYYY-MM-DD HH:mm'}}", '2026-03-06 07:30'],
    ['date in the context zone', "{{receivedAt|date:'YYYY-MM-DD HH:mm'}}", '2026-03-05 15:30', { ...ctx, timeZone: 'America/Los_Angeles' }],
    ['date with an explicit zone', "{{receivedAt|date:'DD/MM/YYYY HH:mm:ss','UTC'}}", '05/03/2026 23:30:00'],
    ['truncate counts characters and keeps the limit', '{{messageContent|truncate:10}}', '你好，我想咨询一下…'],
    ['truncate leaves short text alone', '{{customer.name|truncate:10}}', '张三丰'],
    ['seed 004 ticket subject', '{{category}} - {{messageContent|truncate:5}}', '销售线索 - 你好，我…'],
    ['default fills a missing value', "{{customer.owner|default:'未分配'}}", '未分配'],
    ['default keeps a present value', "{{customer.stage|default:'新客户'}}", '跟进中'],
    ['default with a double-quoted arg containing |', '{{customer.owner|default:"a|b"}}', 'a|b'],
    ['phone e164', "{{customer.phone|phone:'e164'}}", '+8613800138000'],
    ['phone national', "{{customer.phone|phone:'national'}}", '138 0013 8000'],
    ['phone digits', '{{customer.phone|phone:digits}}', '13800138000'],
    ['lookup an enum', '{{customer.intentLevel|lookup:intent}}', 'Hot'],
    ['lookup miss then default', "{{customer.grade|lookup:intent|default:'Unknown'}}", 'Unknown'],
    ['upper', '{{platform|upper}}', 'WHATSAPP'],
    ['lower', '{{customer.email|upper|lower}}', 'zs@example.com'],
    ['chinese family name', '{{senderLastName}}/{{senderFirstName}}', '张/三丰'],
    ['a follow-up field', '{{followUp.method}}：{{followUp.content}}', '电话：聊了利率'],
    ['a missing record renders empty', '{{deal.product}}', ''],
  ] as [string, string, string | number, MappingContext?][])('%s', (_n, src, want, c) => {
    expect(render(src, c)).toEqual(want);
  });

  it('a lookup miss without default renders empty; a * row is the fallback', () => {
    expect(render('{{customer.stage|lookup:intent}}')).toBe('');
    const { template } = compileTemplate('{{customer.stage|lookup:t}}', { t: { '*': 'Other' } });
    expect(renderTemplate(template!, ctx, { t: { '*': 'Other' } })).toBe('Other');
  });

  it.each([
    ['{{senderNam}}', /unknown variable: senderNam \(did you mean senderName\?\)/],
    ['{{customer.nmae}}', /unknown variable: customer\.nmae \(did you mean customer\.name\?\)/],
    ['{{constructor}}', /unknown variable: constructor/],
    ['{{customer.name|truncat:5}}', /unknown filter: truncat \(did you mean truncate\?\)/],
    ['{{customer.name|truncate}}', /truncate needs a positive whole number/],
    ['{{customer.name|truncate:0}}', /truncate needs a positive whole number/],
    ["{{customer.name|phone:'intl'}}", /phone takes one of: e164, national, digits/],
    ['{{customer.name|date}}', /date needs a pattern/],
    ["{{customer.name|date:'YYYY','Mars/Base'}}", /unknown time zone: Mars\/Base/],
    ['{{customer.intentLevel|lookup:levels}}', /unknown lookup table: levels \(have: intent\)/],
    ['{{customer.name', /"\{\{" without "\}\}"/],
    ["{{customer.name|default:'x}}", /unterminated quote/],
    ['{{ 1+1 }}', /not a variable name/],
    ['{{customer.name|upper:1}}', /upper takes no argument/],
  ])('rejects %s', (src, msg) => {
    const { template, issues } = compileTemplate(src, lookups);
    expect(template).toBeUndefined();
    expect(issues.join('\n')).toMatch(msg);
  });
});

describe('compileMapping / applyMapping', () => {
  const seedTicket = {
    customer: {
      firstname: '{{senderFirstName}}',
      lastname: '{{senderLastName}}',
      phone: "{{senderPhone|phone:'national'}}",
      lifecyclestage: 'lead',
      lead_source: '{{platform}}',
      hs_lead_status: "{{customer.intentLevel|lookup:intent|default:'Unknown'}}",
      owner: '{{customer.owner}}',
    },
    followUp: { hs_note_body: "{{followUp.content}} ({{followUp.at|date:'YYYY-MM-DD'}})" },
    lookups,
  };

  it('renders every CRM field and leaves empty ones out', () => {
    const compiled = compileMapping(seedTicket);
    expect(applyMapping(compiled, ctx)).toEqual({
      firstname: '三丰',
      lastname: '张',
      phone: '138 0013 8000',
      lifecyclestage: 'lead',
      lead_source: 'whatsapp',
      hs_lead_status: 'Hot',
    });
    expect(applyMapping(compiled, ctx, 'followUp')).toEqual({ hs_note_body: '聊了利率 (2026-03-06)' });
    expect(applyMapping(compiled, ctx, 'deal')).toEqual({});
  });

  it('collects every problem with the field it belongs to', () => {
    const bad = { customer: { firstname: '{{senderNam}}', nope: '{{customer.name}}', amount: '{{deal.amount}}', x: '{{customer.name|shout}}' } };
    const issues = mappingIssues(bad, { fields: ['firstname', 'amount', 'x'] });
    expect(issues).toEqual([
      { field: 'customer.firstname', message: expect.stringMatching(/unknown variable: senderNam/) },
      { field: 'customer.nope', message: expect.stringMatching(/the CRM has no field "nope"/) },
      { field: 'customer.amount', message: expect.stringMatching(/deal\.amount is not available when sending a customer/) },
      { field: 'customer.x', message: expect.stringMatching(/unknown filter: shout/) },
    ]);
    expect(() => compileMapping(bad, { fields: ['firstname'] })).toThrow(MappingError);
    expect(() => compileMapping(bad)).toThrow(/customer\.firstname: 未知变量/);
  });

  it('checks fields per section when the CRM lists them per object', () => {
    const m = { customer: { name: '{{senderName}}' }, followUp: { body: '{{followUp.content}}' } };
    expect(mappingIssues(m, { fields: { customer: ['name'], followUp: ['hs_note_body'] } })).toEqual([
      { field: 'followUp.body', message: expect.stringMatching(/no field "body"/) },
    ]);
    expect(mappingIssues(m, { fields: { customer: ['name'] } })).toEqual([]);
  });

  it('refuses a malformed mapping document', () => {
    expect(mappingIssues({ customer: { name: 42 } })).toEqual([{ field: 'customer.name', message: expect.any(String) }]);
    expect(mappingIssues('{{senderName}}')).toHaveLength(1);
  });

  it('derives per-CRM defaults from spec.defaultMapping that send what the adapter sends', () => {
    const d = defaultTemplates(hubspotSpec.defaultMapping);
    const names = hubspotSpec.defaultMapping.customer as Record<string, string>;
    expect(d.customer?.[names.name!]).toBe('{{customer.name}}');
    expect(d.customer?.[names.phones!]).toBe('{{customer.phone}}');
    // Every default compiles against the CRM's own field list.
    const fields = Object.values(names);
    const compiled = compileMapping({ customer: d.customer }, { fields });
    expect(applyMapping(compiled, ctx)[names.phones!]).toBe('+8613800138000');
  });

  it("a connection's templates override the defaults field by field, and its field renames apply", () => {
    const names = hubspotSpec.defaultMapping.customer as Record<string, string>;
    const m = effectiveMapping(
      { settings: { mapping: { customer: { email: 'work_email' } }, templates: { customer: { [names.name!]: '{{senderName}}（{{customer.code}}）' }, lookups } } },
      hubspotSpec,
    );
    expect(m.customer?.[names.name!]).toBe('{{senderName}}（{{customer.code}}）');
    expect(m.customer?.work_email).toBe('{{customer.email}}');
    expect(m.customer?.[names.email!]).toBeUndefined();
    expect(m.lookups).toEqual(lookups);
    expect(applyMapping(compileMapping(m), ctx)[names.name!]).toBe('张三丰（KH2026-0007）');
  });
});
