// Lead extraction on three kinds of lead pages (a search-results page, a comment thread with
// replies, a directory table), scored against hand-labelled expectations: a predicted lead is a
// reviewed candidate with a valid phone or WeChat id (extract → normalize → dedupe); it matches
// a labelled lead when they share a phone or WeChat id. Precision and recall are printed.
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { extractLeads, pageKeyword, wechatIds } from '../../../lib/leads/extract';
import { buildReview, pageLeadsSchema, type LeadReview } from '../../../lib/leads/review';
import { createCustomer } from '../../../lib/customers/create';
import { useDb } from '../customers/helpers';

const FIX = new URL('../../fixtures/leads/', import.meta.url);

interface Expected {
  url: string;
  keyword?: string;
  leads: { name: string; phones: string[]; wechatId?: string }[];
  duplicatesOnPage?: string[];
  invalidOnPage?: string[];
}

function open(name: string) {
  const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, FIX), 'utf8')) as Expected;
  const html = readFileSync(new URL(`${name}.html`, FIX), 'utf8');
  const window = new Window({ url: expected.url });
  const doc = window.document as unknown as Document;
  doc.write(html);
  return { doc, expected, close: () => window.happyDOM.close() };
}

const keysOf = (l: { phones: string[]; wechatId?: string }) => [...l.phones.map((p) => `p:${p}`), ...(l.wechatId ? [`w:${l.wechatId}`] : [])];

function score(review: LeadReview, expected: Expected) {
  // Duplicates on the page are the same lead again: scored once, through the first occurrence.
  const predicted = review.leads.filter((l) => l.status === 'new' || l.status === 'duplicate-local');
  const matched = predicted.filter((p) => expected.leads.some((e) => keysOf(e).some((k) => keysOf(p).includes(k))));
  const found = expected.leads.filter((e) => predicted.some((p) => keysOf(e).some((k) => keysOf(p).includes(k))));
  const namesRight = expected.leads.filter((e) => predicted.some((p) => p.nameFound && p.name === e.name && keysOf(e).some((k) => keysOf(p).includes(k))));
  return {
    predicted: predicted.length,
    expected: expected.leads.length,
    precision: predicted.length ? matched.length / predicted.length : 0,
    recall: found.length / expected.leads.length,
    names: namesRight.length / expected.leads.length,
    // Every key of every labelled lead found (a second phone or the WeChat id of a lead too).
    fieldsExact: expected.leads.every((e) => predicted.some((p) => keysOf(e).every((k) => keysOf(p).includes(k)))),
  };
}

const results: Record<string, ReturnType<typeof score>> = {};
afterAll(() => {
  const rows = Object.entries(results).map(([k, r]) => `${k.padEnd(16)} P=${r.precision.toFixed(2)} R=${r.recall.toFixed(2)} names=${r.names.toFixed(2)} (${r.predicted} predicted / ${r.expected} labelled)`);
  console.log(`lead extraction, precision/recall per fixture:\n${rows.join('\n')}`);
});

const FIXTURES = ['search-results', 'comments', 'lead-list'] as const;

describe('extractLeads on labelled lead pages', () => {
  const h = useDb();
  it.each(FIXTURES)('%s: finds the labelled leads, with the page keyword', async (name) => {
    const page = open(name);
    try {
      const raw = extractLeads(page.doc);
      expect(raw.keyword).toBe(page.expected.keyword);
      // What crosses from the page is parsed like any untrusted input.
      const review = await buildReview(h.db, pageLeadsSchema.parse(raw), { id: name, now: 0 });
      const s = score(review, page.expected);
      results[name] = s;
      expect(s.precision).toBe(1);
      expect(s.recall).toBe(1);
      expect(s.fieldsExact).toBe(true);
      expect(s.names).toBeGreaterThanOrEqual(0.8);
      for (const dup of page.expected.duplicatesOnPage ?? []) {
        expect(review.leads.filter((l) => l.phones.includes(dup)).map((l) => l.status)).toEqual(['new', 'duplicate-page']);
      }
      for (const bad of page.expected.invalidOnPage ?? []) {
        expect(review.leads.find((l) => l.invalidPhones.includes(bad))?.status).toBe('invalid');
      }
    } finally {
      await page.close();
    }
  });

  it('marks a lead already in the local CRM as a duplicate, naming the customer', async () => {
    await createCustomer(h.db, { fields: { name: '王先生（老客户）', phones: ['+8613910023002'] } }, 1);
    const page = open('search-results');
    try {
      const review = await buildReview(h.db, pageLeadsSchema.parse(extractLeads(page.doc)), { id: 'r', now: 0 });
      const wang = review.leads.find((l) => l.phones.includes('+8613910023002'))!;
      expect(wang.status).toBe('duplicate-local');
      expect(wang.duplicateOf).toMatchObject({ customerName: '王先生（老客户）' });
      expect(review.counts['duplicate-local']).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('keeps site chrome out: the footer hotline and the nav tel: link are not leads', () => {
    const page = open('search-results');
    try {
      const all = extractLeads(page.doc).candidates.flatMap((c) => c.phones.map((p) => p.replace(/\D/g, '')));
      expect(all).not.toContain('4008001234');
      expect(all).not.toContain('01059928888');
    } finally {
      void page.close();
    }
  });

  it('gives replies under a comment their own lead, and the comment text without them', () => {
    const page = open('comments');
    try {
      const c = extractLeads(page.doc).candidates;
      const reply = c.find((x) => x.phones.includes('15821004013'))!;
      expect(reply.name).toBe('装修小白2026');
      const post = c.find((x) => x.phones.includes('13761004002'))!;
      expect(post.name).toBe('沪上金融顾问');
      expect(post.content).not.toContain('15821004013');
    } finally {
      void page.close();
    }
  });
});

describe('small parts', () => {
  it('reads WeChat ids after 微信/VX/wx labels, not words', () => {
    expect(wechatIds('加我微信 abc_12345 谢谢')).toEqual(['abc_12345']);
    expect(wechatIds('VX：Lina2026 / wx: tom-li_88')).toEqual(['Lina2026', 'tom-li_88']);
    expect(wechatIds('微信同号')).toEqual([]);
    expect(wechatIds('微信 hello')).toEqual([]);
  });

  it('takes the keyword from the URL (also a hash route) before the search box', () => {
    const w = new Window({ url: 'https://s.example/#/search?keyword=%E8%BD%A6%E8%B4%B7' });
    const doc = w.document as unknown as Document;
    doc.body.innerHTML = '<input type="search" value="其他">';
    expect(pageKeyword(doc)).toBe('车贷');
    const w2 = new Window({ url: 'https://s.example/list' });
    (w2.document as unknown as Document).body.innerHTML = '<input name="q" value="经营贷">';
    expect(pageKeyword(w2.document as unknown as Document)).toBe('经营贷');
    void w.happyDOM.close();
    void w2.happyDOM.close();
  });

  it('finds nothing on a page without contacts', () => {
    const w = new Window({ url: 'https://s.example/' });
    const doc = w.document as unknown as Document;
    doc.body.innerHTML = '<ul><li>订单 2026-03-01</li><li>价格 ¥12000</li><li>阅读 1234</li></ul>';
    expect(extractLeads(doc).candidates).toEqual([]);
    void w.happyDOM.close();
  });
});
