// Definitions: version 1 still accepted (and upgraded), URL patterns with ports and what the
// browser is told for them, regular expressions (one group, no runaway shapes), time formats.
import { describe, expect, it } from 'vitest';
import { browserPatternsOf, matchesSitePattern, parsePattern } from '../../../lib/custom-sites/definition';
import { customSiteSchema, siteProblems } from '../../../lib/custom-sites/schema';
import { cutter, MAX_RE_INPUT, parseTime, regexProblem, timeFormatProblem } from '../../../lib/custom-sites/values';
import { CONSOLE } from './page';

describe('definition versions', () => {
  it('reads a version-1 export as version 2 with the same meaning', () => {
    const v1 = { id: 'shop', name: '小店', pattern: 'https://chat.example.com/*', selectors: { title: '.name', messageRow: '.msg', outgoing: '.mine', contact: '.phone', time: 'time' } };
    expect(customSiteSchema.parse(v1)).toEqual({
      version: 2,
      id: 'shop',
      name: '小店',
      pattern: 'https://chat.example.com/*',
      fields: { title: { css: '.name' }, messageRow: { css: '.msg' }, time: { css: 'time' }, threadKey: { css: '.phone' }, phone: { css: '.phone' } },
      direction: { kind: 'outgoingIf', css: '.mine' },
    });
  });

  it('round-trips a version-2 definition through JSON (export, import)', () => {
    expect(customSiteSchema.parse(JSON.parse(JSON.stringify(CONSOLE)))).toEqual(CONSOLE);
  });

  it('says what is wrong, in Chinese and English', () => {
    const problems = siteProblems({ ...CONSOLE, fields: { ...CONSOLE.fields, title: { css: '' }, wechat: { css: '.w', re: '(a+)+' } }, direction: { kind: 'outgoingAttr', attr: 'data-direction', equals: '' } });
    expect(problems.join('\n')).toContain('fields.title.css: 请填写 CSS 选择器 / a CSS selector is required');
    expect(problems.join('\n')).toContain('嵌套重复');
    expect(problems.join('\n')).toContain('direction.equals: 请填写属性值 / the attribute value is required');
    expect(siteProblems({ ...CONSOLE, fields: { ...CONSOLE.fields, threadKey: { css: '.h', attr: 'bad attr' } } })[0]).toMatch(/属性名无效.*invalid attribute name/);
  });
});

describe('URL patterns', () => {
  it('accept one site, with any port, one port or none; never every host', () => {
    for (const ok of ['http://127.0.0.1:*/console/*', 'http://127.0.0.1:8080/console/*', 'https://chat.example.com/*', 'https://*.example.com/app/*', 'http://localhost:*/*']) {
      expect(customSiteSchema.safeParse({ ...CONSOLE, pattern: ok }).success, ok).toBe(true);
    }
    for (const bad of ['<all_urls>', '*://*/*', 'https://*/*', 'chat.example.com', 'ftp://x.example/*', 'https://*.com/*', 'http://127.0.0.1:99999/*', 'http://127.0.0.1:0/*', 'http://127.0.0.1:8o/*']) {
      expect(customSiteSchema.safeParse({ ...CONSOLE, pattern: bad }).success, bad).toBe(false);
    }
  });

  it('match the full pattern, port and path included', () => {
    const cases: [string, string, boolean][] = [
      ['http://127.0.0.1:*/console/*', 'http://127.0.0.1:41234/console/conv/1', true],
      ['http://127.0.0.1:*/console/*', 'http://127.0.0.1/console/x', true],
      ['http://127.0.0.1:*/console/*', 'http://127.0.0.1:41234/other', false],
      ['http://127.0.0.1:8080/console/*', 'http://127.0.0.1:8080/console/a', true],
      ['http://127.0.0.1:8080/console/*', 'http://127.0.0.1:8081/console/a', false],
      ['http://127.0.0.1:80/console/*', 'http://127.0.0.1/console/a', true],
      ['https://*.example.com/*', 'https://a.b.example.com/x', true],
      ['https://*.example.com/*', 'https://example.com.evil.test/x', false],
      ['*://chat.example.com/*', 'http://chat.example.com/', true],
      ['https://chat.example.com/*', 'http://chat.example.com/', false],
    ];
    for (const [pattern, url, want] of cases) expect(matchesSitePattern(pattern, url), `${pattern} ${url}`).toBe(want);
  });

  it('tell Chrome the port where there is one, Firefox never (its patterns take none), and the whole origin', () => {
    const chrome = { portsInPatterns: true };
    const firefox = { portsInPatterns: false };
    expect(browserPatternsOf('http://127.0.0.1:*/console/*', chrome)).toEqual({ matches: 'http://127.0.0.1/*', origin: 'http://127.0.0.1/*' });
    expect(browserPatternsOf('http://127.0.0.1:8080/console/*', chrome)).toEqual({ matches: 'http://127.0.0.1:8080/*', origin: 'http://127.0.0.1:8080/*' });
    expect(browserPatternsOf('http://127.0.0.1:8080/console/*', firefox)).toEqual({ matches: 'http://127.0.0.1/*', origin: 'http://127.0.0.1/*' });
    expect(browserPatternsOf('https://*.example.com/app/*', firefox)?.origin).toBe('https://*.example.com/*');
    expect(parsePattern('http://127.0.0.1:*/console/*')).toEqual({ scheme: 'http', host: '127.0.0.1', port: '*', path: '/console/*' });
  });
});

describe('regular expressions', () => {
  it('need one capture group and refuse runaway shapes', () => {
    expect(regexProblem('微信：(\\S+)')).toBeNull();
    expect(regexProblem('conv-(\\d+)')).toBeNull();
    expect(regexProblem('(?:id|key)=(\\w+)')).toBeNull();
    expect(regexProblem('(a)(b)')?.en).toMatch(/exactly one capture group/);
    expect(regexProblem('\\d+')?.en).toMatch(/exactly one capture group/);
    expect(regexProblem('(')?.en).toMatch(/does not compile/);
    for (const bad of ['(a+)+$', '((ab)*)+', '(a|aa)*', '(?:x+)*(y)', '(\\w+)\\1', `(${'a'.repeat(250)})`]) expect(regexProblem(bad), bad).not.toBeNull();
  });

  it('cut the value to the group, on at most MAX_RE_INPUT characters', () => {
    expect(cutter('微信：(\\S+)')('微信：zhiruo_emei')).toBe('zhiruo_emei');
    expect(cutter('id=(\\d+)')('no id')).toBeUndefined();
    expect(cutter(undefined)('as is')).toBe('as is');
    expect(cutter('(x)$')(`${'y'.repeat(MAX_RE_INPUT)}x`)).toBeUndefined();
    expect(cutter('(a+)+')('aaa')).toBeUndefined(); // refused: reads nothing
  });
});

describe('time formats', () => {
  const now = new Date(2026, 11, 5, 12, 0);
  it('read ISO, epoch seconds and ms, and patterns in the local time zone', () => {
    expect(parseTime('2026-12-01T09:30:00+08:00', 'iso')).toBe(Date.parse('2026-12-01T09:30:00+08:00'));
    expect(parseTime('1764552600', 'epoch-s')).toBe(1764552600000);
    expect(parseTime('1764552600123', 'epoch-ms')).toBe(1764552600123);
    expect(parseTime('2026-12-01 09:30', 'YYYY-MM-DD HH:mm')).toBe(new Date(2026, 11, 1, 9, 30).getTime());
    expect(parseTime('01.12.2026 09:30', 'DD.MM.YYYY HH:mm')).toBe(new Date(2026, 11, 1, 9, 30).getTime());
    expect(parseTime('12/01 09:30', 'MM/DD HH:mm', now)).toBe(new Date(2026, 11, 1, 9, 30).getTime());
    expect(parseTime('09:30', 'HH:mm', now)).toBe(new Date(2026, 11, 5, 9, 30).getTime());
    expect(parseTime('已读 09:30', 'HH:mm', now)).toBe(new Date(2026, 11, 5, 9, 30).getTime());
  });
  it('read nothing rather than a wrong time', () => {
    expect(parseTime('31.02.2026 09:30', 'DD.MM.YYYY HH:mm')).toBeUndefined();
    expect(parseTime('12:3x', 'epoch-s')).toBeUndefined();
    expect(parseTime('yesterday', 'iso')).toBeUndefined();
    expect(parseTime('25:00', 'HH:mm', now)).toBeUndefined();
  });
  it('accept known formats and patterns, refuse others', () => {
    for (const ok of ['iso', 'epoch-s', 'epoch-ms', 'YYYY-MM-DD HH:mm', 'DD.MM.YYYY HH:mm', 'YYYY年MM月DD日 HH:mm', 'HH:mm']) expect(timeFormatProblem(ok), ok).toBeNull();
    for (const bad of ['YYYY', 'yyyy-mm-dd', 'HH:mm a', 'DD.MM.YYYY DD', 'epoch']) expect(timeFormatProblem(bad), bad).not.toBeNull();
  });
});
