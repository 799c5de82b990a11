// lib/i18n/bilingual.ts: the half of 「中文 / English」 in the UI's language, and what a UI shows
// for a background error (issue 15, 7d: no English error text in a Chinese UI). Table-driven,
// with the background's own message forms (lib/customers, lib/sync/team.ts, 智邦 enum warnings).
import { describe, expect, it } from 'vitest';
import { errorDisplay, errorKindOf, pickBilingual, splitBilingual } from '../../../lib/i18n/bilingual';
import { createT } from '../../../lib/i18n';
import { HOSTILE } from './fixtures';

const zh = createT('zh_CN');
const en = createT('en');

describe('pickBilingual', () => {
  it.each([
    ['客户不存在 / no such customer: c1', '客户不存在', 'no such customer: c1'],
    ['客户名称必填 / name is required', '客户名称必填', 'name is required'],
    // A connection name on both sides (Chinese in the English half).
    ['无法连接 智邦ERP / 智邦ERP has no adapter', '无法连接 智邦ERP', '智邦ERP has no adapter'],
    ['NocoDB 中已找不到该客户 / NocoDB no longer has this customer', 'NocoDB 中已找不到该客户', 'NocoDB no longer has this customer'],
    // A " / " inside the Chinese half (App ID / App Secret): the split between the languages wins.
    [
      '飞书拒绝了应用凭证（99991663），请检查 App ID / App Secret 和区域 / Feishu rejected the app credentials (99991663); check the App ID, App Secret and region',
      '飞书拒绝了应用凭证（99991663），请检查 App ID / App Secret 和区域',
      'Feishu rejected the app credentials (99991663); check the App ID, App Secret and region',
    ],
    // 智邦 enum warning (lib/crm/zhibang/enums.ts enumWarning): an English field id in the Chinese half.
    ['客户来源（ly）：智邦ERP中没有「抖音」这一选项，本次未写入 / Customer source: the ERP has no option "抖音"; left out', '客户来源（ly）：智邦ERP中没有「抖音」这一选项，本次未写入', 'Customer source: the ERP has no option "抖音"; left out'],
  ])('%s', (text, zhHalf, enHalf) => {
    expect(pickBilingual(text, 'zh_CN')).toBe(zhHalf);
    expect(pickBilingual(text, 'en')).toBe(enHalf);
  });

  it('keeps technical prefixes ("<name>: <kind>: ") on both halves', () => {
    const text = 'NocoDB: not-found: NocoDB 中已找不到该客户 / NocoDB no longer has this customer';
    expect(splitBilingual(text)).toEqual({ prefix: 'NocoDB: not-found: ', zh: 'NocoDB 中已找不到该客户', en: 'NocoDB no longer has this customer' });
    expect(pickBilingual(text, 'en')).toBe('NocoDB: not-found: NocoDB no longer has this customer');
    expect(pickBilingual('智邦ERP: auth: 凭证无效 / credentials rejected', 'zh_CN')).toBe('智邦ERP: auth: 凭证无效');
  });

  it.each([
    ['English only, with a slash', 'retryable: HTTP 503 / gateway'],
    ['Chinese only, with a slash', '检查 App ID / App Secret 和区域'],
    ['both languages but not split by " / "', 'validation: HTTP 422: 客户来源 is required'],
    ['no slash at all', 'credentials rejected'],
    ['a path', 'https://erp.example.com/a/b'],
    ['hostile markup', HOSTILE],
    ['markup with a spaced slash', '<a href="x"> / </a>'],
    ['empty', ''],
  ])('leaves text that is not 「中文 / English」 untouched: %s', (_what, text) => {
    expect(pickBilingual(text, 'zh_CN')).toBe(text);
    expect(pickBilingual(text, 'en')).toBe(text);
  });
});

describe('errorKindOf', () => {
  it.each([
    ['auth: NocoDB: the API token is missing', { kind: 'auth', detail: 'NocoDB: the API token is missing' }],
    ['NocoDB: rate-limited: HTTP 429', { name: 'NocoDB', kind: 'rate-limited', detail: 'HTTP 429' }],
    ['智邦ERP: unknown-outcome: timeout', { name: '智邦ERP', kind: 'unknown-outcome', detail: 'timeout' }],
    ['validation: HTTP 422: 客户来源 is required', { kind: 'validation', detail: 'HTTP 422: 客户来源 is required' }],
  ])('%s', (text, parts) => expect(errorKindOf(text)).toEqual(parts));

  it('needs a known kind at the start', () => {
    expect(errorKindOf('javascript:alert(1)')).toBeUndefined();
    expect(errorKindOf('skipped: duplicate')).toBeUndefined();
    expect(errorKindOf('authority: x')).toBeUndefined();
    expect(errorKindOf(HOSTILE)).toBeUndefined();
  });
});

describe('errorDisplay', () => {
  it('a Chinese UI shows no English: the Chinese half, else what the kind means; the original stays as detail', () => {
    expect(errorDisplay(zh, 'auth: NocoDB: the API token is missing')).toEqual({ text: '凭证无效、已过期或权限不足，请重新连接', detail: 'auth: NocoDB: the API token is missing' });
    expect(errorDisplay(zh, 'NocoDB: not-found: NocoDB 中已找不到该客户 / NocoDB no longer has this customer')).toEqual({
      text: 'NocoDB：NocoDB 中已找不到该客户',
      detail: 'NocoDB: not-found: NocoDB 中已找不到该客户 / NocoDB no longer has this customer',
    });
    expect(errorDisplay(zh, 'rate-limited: HTTP 429').text).toBe('请求过于频繁，已暂停，稍后自动重试');
    expect(errorDisplay(zh, '客户不存在 / no such customer: c1')).toEqual({ text: '客户不存在', detail: '客户不存在 / no such customer: c1' });
    expect(errorDisplay(zh, 'unknown-outcome: the worker stopped mid-call').text).toBe('不确定 CRM 是否已保存，将先核对再重试');
  });

  it('an English UI keeps the technical text, with the English half', () => {
    expect(errorDisplay(en, 'auth: NocoDB: the API token is missing')).toEqual({ text: 'auth: NocoDB: the API token is missing' });
    expect(errorDisplay(en, 'not-found: 智邦ERP 中已找不到该客户 / 智邦ERP no longer has this customer').text).toBe('not-found: 智邦ERP no longer has this customer');
  });

  it('text of no known form is shown as it is, in both languages', () => {
    for (const t of [zh, en]) {
      expect(errorDisplay(t, HOSTILE)).toEqual({ text: HOSTILE });
      expect(errorDisplay(t, 'HTTP 500')).toEqual({ text: 'HTTP 500' });
    }
  });
});
