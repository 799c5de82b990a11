// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createT, pickLocale } from '../../../lib/i18n';
import { messages } from '../../../lib/i18n/pages';
import { DEFAULT_STAGES, FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, INTENT_LEVELS } from '../../../lib/model';
import { HOUR, DAY, NOW } from './fixtures';

describe('messages', () => {
  it('zh_CN and en have exactly the same keys', () => {
    const zh = Object.keys(messages.zh_CN).sort();
    const en = Object.keys(messages.en).sort();
    expect(en).toEqual(zh);
  });

  it('has no empty strings', () => {
    for (const [locale, dict] of Object.entries(messages)) {
      for (const [key, value] of Object.entries(dict)) {
        expect(value.trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('keeps {placeholders} identical in both languages', () => {
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(messages.zh_CN) as (keyof typeof messages.zh_CN)[]) {
      expect(vars(messages.en[key]), key).toEqual(vars(messages.zh_CN[key]));
    }
  });

  it('translates every domain enum value into English', () => {
    const t = createT('en');
    for (const v of [...DEFAULT_STAGES, ...FOLLOW_UP_METHODS, ...FOLLOW_UP_RESULTS, ...INTENT_LEVELS]) {
      expect(t.term(v), v).not.toBe(v);
      expect(t.term(v)).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('pickLocale', () => {
  it.each([
    ['auto', 'zh-CN', 'zh_CN'],
    ['auto', 'zh', 'zh_CN'],
    ['auto', 'zh-TW', 'zh_CN'],
    ['auto', 'zh-HK', 'zh_CN'],
    ['auto', 'zh_CN', 'zh_CN'],
    ['auto', 'ZH-cn', 'zh_CN'],
    ['auto', 'en-US', 'en'],
    ['auto', 'en', 'en'],
    ['auto', 'ja', 'en'],
    ['auto', 'fr-FR', 'en'],
    ['auto', '', 'en'],
    ['zh_CN', 'en-US', 'zh_CN'],
    ['en', 'zh-CN', 'en'],
  ] as const)('%s + %s → %s', (setting, ui, expected) => {
    expect(pickLocale(setting, ui)).toBe(expected);
  });
});

describe('createT', () => {
  it('looks up keys per locale and interpolates {vars}', () => {
    expect(createT('zh_CN')('field.code')).toBe('客户编号');
    expect(createT('en')('field.code')).toBe('Customer code');
    expect(createT('en')('history.more', { n: 3 })).toBe('Show 3 older');
    expect(createT('en').locale).toBe('en');
  });

  it('leaves unknown vars in place rather than printing undefined', () => {
    expect(createT('en')('health.missing', {})).toBe('Not found: {fields}');
  });

  it('term: Chinese values stay in zh_CN, get labels in en, and unknown values pass through', () => {
    expect(createT('zh_CN').term('跟进中')).toBe('跟进中');
    expect(createT('en').term('跟进中')).toBe('Following up');
    expect(createT('en').term('意向面谈')).toBe('意向面谈');
    expect(createT('en').term('')).toBe('');
  });

  it('formatRelative says when a due time is, or how overdue it is', () => {
    const zh = createT('zh_CN');
    const en = createT('en');
    expect(zh.formatRelative(NOW + 2 * HOUR, NOW)).toBe('2小时后');
    expect(en.formatRelative(NOW + 2 * HOUR, NOW)).toBe('in 2 hours');
    expect(en.formatRelative(NOW + 30 * 60_000, NOW)).toBe('in 30 minutes');
    expect(en.formatRelative(NOW - 3 * DAY, NOW)).toBe('3 days overdue');
    expect(en.formatRelative(NOW - DAY, NOW)).toBe('1 day overdue');
    expect(zh.formatRelative(NOW - 3 * DAY, NOW)).toMatch(/^逾期 3\s?天$/);
    expect(en.formatRelative(NOW + 10_000, NOW)).toBe('now');
  });

  it('formatAgo says how long ago', () => {
    expect(createT('en').formatAgo(NOW - 2 * DAY, NOW)).toBe('2 days ago');
    expect(createT('zh_CN').formatAgo(NOW - 2 * DAY, NOW)).toBe('2天前');
    expect(createT('en').formatAgo(NOW - 5_000, NOW)).toBe('just now');
  });

  it('formatDateTime uses the locale', () => {
    const at = new Date(2026, 2, 5, 14, 30).getTime();
    expect(createT('en').formatDateTime(at)).toMatch(/Mar/);
    expect(createT('zh_CN').formatDateTime(at)).toMatch(/3月/);
  });
});

// The sidebar ships only its own strings (content-script size): every key it uses must be there.
describe('the sidebar string table', () => {
  it('holds every key the sidebar and the chat-page code use', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const { sidebarZh } = await import('../../../lib/i18n/messages-sidebar');
    const root = resolve(import.meta.dirname, '../../..');
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
    const keys = new Set(Object.keys(sidebarZh));
    const prefixes = new Set([...keys].map((k) => k.slice(0, k.indexOf('.') + 1)));
    const used: string[] = [];
    for (const f of [...files('components/sidebar'), ...files('lib/content')]) {
      const src = readFileSync(join(root, f), 'utf8');
      for (const m of src.matchAll(/\bt\(\s*(['`])([a-zA-Z0-9_.]+)(\$\{)?/g)) used.push(m[3] ? `${m[2]}*` : m[2]!);
    }
    expect(used.length).toBeGreaterThan(50);
    for (const k of used) {
      if (k.endsWith('*')) expect(prefixes.has(k.slice(0, k.indexOf('.') + 1)), k).toBe(true);
      else expect(keys.has(k), k).toBe(true);
    }
  });
});
