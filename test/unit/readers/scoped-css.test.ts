// scoped(): selectors queried from inside a row, with every class- or id-naming compound left of
// a combinator inside :is(), so that Chromium walks the row rather than the page (see
// lib/readers/scoped-css.ts). The rewrite must find exactly what the original finds: checked
// from every element of every built-in reader's saved page, for every selector the readers use.
import { afterEach, describe, expect, it } from 'vitest';
import { scoped } from '../../../lib/readers/scoped-css';
import { feishuReader } from '../../../lib/readers/sites/feishu';
import { linkedinReader } from '../../../lib/readers/sites/linkedin';
import { telegramAReader } from '../../../lib/readers/sites/telegram-a';
import { telegramKReader } from '../../../lib/readers/sites/telegram-k';
import { whatsappReader } from '../../../lib/readers/sites/whatsapp';
import type { SiteReader } from '../../../lib/readers/types';
import { openFixture } from './fixture-dom';
import type { Page } from './fixture-dom';

const pages: Page[] = [];
afterEach(async () => {
  for (const p of pages.splice(0)) await p.close();
});

describe('scoped: the rewrite', () => {
  it.each([
    ['.message-title .message-title-name > .sender-title', ':is(.message-title) :is(.message-title-name) > .sender-title'],
    ['.a.b, .c .d, .e', '.a.b, :is(.c) .d, .e'],
    ['.msg-s-event-listitem--other a[href*="/in/ACoA"]', ':is(.msg-s-event-listitem--other) a[href*="/in/ACoA"]'],
    ['#main header [data-testid="a .b"]', ':is(#main) header [data-testid="a .b"]'],
    // Already cheap: no class or id left of a combinator, a :scope, a tag or an attribute.
    ['a > b', 'a > b'],
    ['[data-x=".a b"] .c', '[data-x=".a b"] .c'],
    [':scope > .Avatar[data-peer-id]:not(.saved-dialog-avatar)', ':scope > .Avatar[data-peer-id]:not(.saved-dialog-avatar)'],
    ['.a ~ .b + .c', ':is(.a) ~ :is(.b) + .c'],
    ['li.a:has(.b .c) > p', ':is(li.a:has(.b .c)) > p'],
    // Piercing selectors are split by the runtime first.
    ['#x >>> .a .b', '#x >>> .a .b'],
  ])('%s → %s', (css, expected) => {
    expect(scoped(css)).toBe(expected);
  });
});

const READERS: [string, string, SiteReader, string?][] = [
  ['whatsapp', 'current', whatsappReader],
  ['whatsapp', 'v2025', whatsappReader],
  ['telegram-k', 'current', telegramKReader],
  ['telegram-a', 'current', telegramAReader],
  ['feishu', 'current', feishuReader],
  ['linkedin', 'current', linkedinReader],
];

/** Selectors written as constants in the site readers and queried from rows (kept in step by hand). */
const ROW_CONSTANTS = [
  '.message-title .message-title-name > .sender-title',
  '.content-inner.forwarded-message, .message-title .forward-title, .forward-custom-shape-subheader',
  '.msg-s-event-listitem--other a[href*="/in/ACoA"]',
  '.name .bubble-name-forwarded',
  '.bubble-content > .message',
  '.name > .peer-title',
  '.message-info .message-info-name',
  '.MessageMeta, .Reactions, .translation-animation, .text-content > [class*="peer-color-"], .icon',
];

describe('scoped: the same elements as the original, from every element of the saved pages', () => {
  it.each(READERS)('%s/%s', (site, name, reader) => {
    const page = openFixture(site, name);
    pages.push(page);
    const selectors = [...Object.values(reader.selectors).flatMap((vs) => (vs ?? []).map((v) => v.css)), ...ROW_CONSTANTS].filter((css) => !css.includes('>>>'));
    let compared = 0;
    let rewritten = 0;
    /** elements found by a rewritten selector: the comparison is not of two empty lists only */
    let found = 0;
    for (const css of selectors) {
      if (scoped(css) !== css) rewritten++;
      for (const el of Array.from(page.doc.querySelectorAll('body *'))) {
        const got = Array.from(el.querySelectorAll(scoped(css)));
        expect(got, css).toEqual(Array.from(el.querySelectorAll(css)));
        if (scoped(css) !== css) found += got.length;
        compared++;
      }
    }
    expect(rewritten).toBeGreaterThan(0);
    expect(found).toBeGreaterThan(0);
    expect(compared).toBeGreaterThan(100);
  });
});
