// 复制页面结构: the skeleton a user can send us must carry the page's structure and nothing the
// page says. Run over every saved page under test/fixtures/sites/*/ (new fixtures are covered
// without touching this file), plus hostile and large pages built here.
import { readdirSync } from 'node:fs';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { chatArea, isSkeleton, MARKUP_VOCABULARY, nameShape, pageSkeleton, SKELETON_HEADER, skeletonOf, valueShape } from '../../../lib/readers/diagnostics';
import { readers } from '../../../lib/readers/registry';
import { FIXTURES, openFixture, type Page } from './fixture-dom';

const pages: [string, string][] = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(`${FIXTURES}${d.name}`)
      .filter((f) => f.endsWith('.html'))
      .map((f): [string, string] => [d.name, f.slice(0, -'.html'.length)]),
  );

let open: Page[] = [];
afterEach(async () => {
  await Promise.all(open.map((p) => p.close()));
  open = [];
});
function page(site: string, name: string): Page {
  const p = openFixture(site, name);
  open.push(p);
  return p;
}
function blank(html: string): Document {
  const window = new Window({ url: 'http://127.0.0.1:5300/' });
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = html;
  open.push({ window, doc, close: () => window.happyDOM.close() });
  return doc;
}

/** Every node the skeleton covers: children and open shadow roots, not Liaison's own UI. */
function* walk(node: Node): Generator<Node> {
  yield node;
  if (node.nodeType === 1 && (node as Element).localName.startsWith('liaison-')) return;
  const shadow = node.nodeType === 1 ? (node as Element).shadowRoot : null;
  if (shadow) yield* walk(shadow);
  for (const c of Array.from(node.childNodes)) yield* walk(c);
}

const words = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);

/** What the page says (text, attribute values) and what is markup (tag, class, id and attribute names). */
function collect(root: Node) {
  const said = new Set<string>();
  const values = new Set<string>();
  const markup = new Set<string>();
  for (const n of walk(root)) {
    if (n.nodeType === 3) for (const w of words(n.nodeValue ?? '')) said.add(w);
    if (n.nodeType !== 1) continue;
    const el = n as Element;
    for (const w of words(el.localName)) markup.add(w.toLowerCase());
    for (const a of Array.from(el.attributes)) {
      for (const w of words(a.name)) markup.add(w.toLowerCase());
      if (a.name === 'class' || a.name === 'id') {
        for (const w of words(a.value)) markup.add(w.toLowerCase());
        for (const c of a.value.split(/\s+/)) if (c) markup.add(c.toLowerCase());
        continue;
      }
      // An enumerated attribute's W3C word (role="row") is markup, not something the page said.
      if (MARKUP_VOCABULARY.has(a.value)) continue;
      if (a.value.trim().length >= 3) values.add(a.value.trim());
      for (const w of words(a.value)) said.add(w);
    }
  }
  for (const w of [...said]) if (markup.has(w.toLowerCase()) || MARKUP_VOCABULARY.has(w.toLowerCase())) said.delete(w);
  return { said, values, markup };
}

/** The words a skeleton prints outside its own vocabulary (header, shapes, #text, counts). */
function printedWords(skeleton: string): Set<string> {
  const body = skeleton
    .split('\n')
    .slice(2)
    .join('\n')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/#text|#shadow-root \((open|closed)\)|#fragment|\[\+[^\]]*more\]|… \([^)]*\)/g, ' ');
  return new Set(body.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toLowerCase()));
}

/** Tag counts from the printed tree: each line counts its own ×n times its ancestors'. */
function printedTags(skeleton: string): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: number[] = [];
  for (const line of skeleton.split('\n').slice(2)) {
    const depth = (/^ */.exec(line)?.[0].length ?? 0) / 2;
    const n = Number(/ ×(\d+)$/.exec(line)?.[1] ?? 1);
    stack.length = depth;
    const times = n * (stack[depth - 1] ?? 1);
    stack.push(times);
    const tag = /^ *([^\s#.[]+|#text)/.exec(line)?.[1];
    if (tag && !tag.startsWith('…')) counts.set(tag, (counts.get(tag) ?? 0) + times);
  }
  return counts;
}
function domTags(root: Node): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of walk(root)) {
    const key = n.nodeType === 1 ? (n as Element).localName : n.nodeType === 3 && (n.nodeValue ?? '').trim() ? '#text' : null;
    if (key && !key.startsWith('liaison-')) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function expectNothingSaid(root: Node, skeleton: string) {
  const { said, values } = collect(root);
  const printed = printedWords(skeleton);
  const leaked = [...said].filter((w) => printed.has(w.toLowerCase()));
  expect(leaked, 'words of the page in the skeleton').toEqual([]);
  const body = skeleton.split('\n').slice(2).join('\n');
  const { markup } = collect(root);
  // A value naming markup (role="row", a class; "#outlet" pointing at an id) is printed as that markup.
  const isMarkup = (v: string) => markup.has(v.toLowerCase()) || markup.has(v.replace(/^[#.]/, '').toLowerCase());
  expect([...values].filter((v) => !isMarkup(v) && body.includes(v)), 'attribute values in the skeleton').toEqual([]);
  expect(skeleton).not.toMatch(/\d{3,}/);
  expect(skeleton).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
  expect(skeleton).not.toMatch(/\+?\d[\d\s().-]{6,}\d/);
  expect(skeleton).not.toMatch(/[<>"'`]/);
  expect(isSkeleton(skeleton)).toBe(true);
}

describe('page skeleton on every saved page', () => {
  it('finds the saved pages', () => {
    expect(pages.length).toBeGreaterThanOrEqual(6);
  });

  it.each(pages)('%s/%s: no text, name, number or value of the page survives', (site, name) => {
    const p = page(site, name);
    const whole = skeletonOf(p.doc.body, { site });
    expect(whole.startsWith(`${SKELETON_HEADER}\n`)).toBe(true);
    expectNothingSaid(p.doc.body, whole);
    const reader = readers.find((r) => r.id === site);
    if (reader) {
      const area = chatArea(p.doc, reader.selectors);
      expectNothingSaid(area.node, pageSkeleton(p.doc, reader));
    }
  });

  it.each(pages)('%s/%s: the structure is kept (tag counts, collapsed rows counted)', (site, name) => {
    const p = page(site, name);
    const skeleton = skeletonOf(p.doc.body, { site });
    expect(printedTags(skeleton)).toEqual(domTags(p.doc.body));
  });

  it.each(pages)('%s/%s: the chat area is the reader’s root or pane when found, else the body', (site, name) => {
    const p = page(site, name);
    const reader = readers.find((r) => r.id === site);
    if (!reader) return;
    const { node, area } = chatArea(p.doc, reader.selectors);
    const found = ['root', 'pane'].flatMap((f) => (reader.selectors[f as 'root'] ?? []).filter((v) => !v.css.includes('>>>')).map((v) => p.doc.querySelector(v.css)));
    if (found.some(Boolean)) {
      expect(area).toMatch(/^(root|pane) \(/);
      expect(found).toContain(node);
    } else {
      expect(area).toBe('body');
      expect(node).toBe(p.doc.body);
    }
  });
});

describe('hostile and odd pages', () => {
  const HOSTILE = `
    <div class="chat" id="thread-8613800138000" data-owner="zhang.wei@example.com">
      <script>alert('pwned 13800138000')</script>
      <img src="x" onerror="alert(document.cookie)" alt="张伟的头像">
      <span title="Alice Wang +44 7700 900123" aria-label="Alice Wang" data-x="&lt;b&gt;hi&lt;/b&gt;">Alice Wang</span>
      <a href="javascript:alert(1)">click</a>
      <a href="https://wa.me/8613800138000">wa</a>
      <div class="row-1234567 x1n2onr6 msg_ab12cd34ef56ab78" data-id="true_8613800138000@c.us_3EB0C7A1B2D3E4F5A6B7" role="row" aria-selected="false" dir="auto" data-uuid="1b4e28ba-2fa1-11d2-883f-0016d3cca427">你好，我的电话是 13800138000</div>
      <div data-pre-plain-text="[12:30, 1/2/2026] 张伟: " data-urn="urn:li:msg_message:(urn:li:fsd_profile:ACoAAA1,2-MTAwMQ==)">x</div>
      <p style="background:url(https://evil.example/track?u=8613800138000)">&lt;img src=x onerror=alert(1)&gt;</p>
    </div>`;

  it('prints scripts and handlers as inert names, with no value or text of theirs', () => {
    const doc = blank(HOSTILE);
    const s = skeletonOf(doc.body, { site: 'demo' });
    expect(s).not.toMatch(/alert|pwned|cookie|evil|Alice|张伟|wa\.me|example\.com|hi</);
    expect(s).toContain('script');
    expect(s).toMatch(/img \[src=\{path\}\] \[onerror=\{len\d+\}\] \[alt=\{len5\}\]/);
    expect(s).toContain('[href={javascript-url}]');
    expectNothingSaid(doc.body, s);
  });

  it('keeps the shape of ids: compound parts, digits, hex, uuid, urn; and keeps markup words', () => {
    const doc = blank(HOSTILE);
    const s = skeletonOf(doc.body);
    expect(s).toContain('div#thread-{digits13}.chat [data-owner={email}]');
    expect(s).toContain('[data-id={bool}_{digits13}@{len1}.{len2}_{hex20}]');
    expect(s).toContain('.row-{digits7}.x1n2onr6.msg_{hex16}');
    expect(s).toContain('[role=row] [aria-selected=false] [dir=auto]');
    expect(s).toContain('[data-uuid={uuid}]');
    expect(s).toContain('[data-urn={len3}:{len2}:{len3}_{len7}:(');
    expect(s).toMatch(/\[data-pre-plain-text=\{len\d+\}\]/);
  });

  it('table: value shapes', () => {
    const cases: [string, string, string][] = [
      ['data-id', '7123456789012345678', '{digits19}'],
      ['data-id', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', '{hex32}'],
      ['data-peer-id', '-1001234567890', '-{digits13}'],
      ['data-feed-id', 'oc_0123456789abcdef0123456789abcdef', '{len2}_{hex32}'],
      ['data-x', 'ZGVhbDEyMzQ1Njc4OTA=', '{b64:20}'],
      ['title', 'Bob', '{len3}'],
      ['title', '13800138000', '{digits11}'],
      ['data-x', '+86 138 0013 8000', '{phone}'],
      ['aria-label', 'row', '{len3}'],
      ['role', 'row', 'row'],
      ['role', 'zhangwei', '{len8}'],
      ['data-state', 'true', '{bool}'],
      ['href', '/messaging/thread/2-abc/', '{path}'],
      ['src', 'blob:https://web.whatsapp.com/8a7b', '{blob-url}'],
      ['data-x', 'x'.repeat(150), '{len99+}'],
      ['hidden', '', ''],
    ];
    for (const [name, value, shape] of cases) expect(valueShape(name, value), `${name}=${value}`).toBe(shape);
  });

  it('table: class, id and tag names', () => {
    const cases: [string, string][] = [
      ['msg-s-event-listitem--other', 'msg-s-event-listitem--other'],
      ['x1n2onr6', 'x1n2onr6'],
      ['_ak8l', '_ak8l'],
      ['ember1234', 'ember{digits4}'],
      ['message-7123456789012345678', 'message-{digits19}'],
      ['bubble_3eb0c7a1b2', 'bubble_{hex10}'],
      ['md:flex', '{name7}'],
      ['a"><img', '{name7}'],
    ];
    for (const [name, shape] of cases) expect(nameShape(name), name).toBe(shape);
  });

  it('descends open shadow roots and leaves Liaison’s own sidebar out', () => {
    const doc = blank('<div id="outlet"></div><liaison-sidebar></liaison-sidebar>');
    const root = doc.getElementById('outlet')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<main class="thread"><h2>王芳</h2></main>';
    doc.querySelector('liaison-sidebar')!.attachShadow({ mode: 'open' }).innerHTML = '<div class="lz-customer">KH2026001 王芳</div>';
    const s = skeletonOf(doc.body);
    expect(s).toContain('  div#outlet\n    #shadow-root (open)\n      main.thread\n        h2\n          #text {len2}');
    expect(s.split('\n').slice(2).join('\n')).not.toMatch(/liaison|lz-customer|KH/);
  });

  it('collapses repeated rows to one with a count, and counts past 99 as 99+', () => {
    const row = (i: number) => `<div class="row"><span class="text">message ${i} from 张伟</span>${i % 2 ? '<time>09:00</time>' : ''}</div>`;
    const doc = blank(`<div class="list">${Array.from({ length: 7 }, (_, i) => row(i)).join('')}</div><ul>${'<li></li>'.repeat(150)}</ul>`);
    const s = skeletonOf(doc.body);
    expect(s).toMatch(/^ {4}div\.row ×4$/m); // i = 0, 2, 4, 6: no time
    expect(s).toMatch(/^ {4}div\.row ×3$/m); // i = 1, 3, 5
    expect(s).toMatch(/^ {4}li ×99\+$/m);
    expect(s.split('\n').filter((l) => l.includes('div.row'))).toHaveLength(2);
  });

  it('is cut at the size cap, saying so', () => {
    const doc = blank(Array.from({ length: 400 }, (_, i) => `<div class="c${i % 10}-${'x'.repeat(i % 37)}"><p>t</p></div>`).join(''));
    const s = skeletonOf(doc.body, { maxChars: 2000 });
    expect(s.length).toBeLessThanOrEqual(2000);
    expect(s.endsWith('… (cut here: size cap)')).toBe(true);
    expect(isSkeleton(s)).toBe(true);
  });
});

describe('isSkeleton: what the background accepts from a content script', () => {
  it('refuses anything that is not a scrubbed skeleton', () => {
    const ok = `${SKELETON_HEADER}\nsite: demo · area: body · shapes only\ndiv.a\n  #text {len3}`;
    expect(isSkeleton(ok)).toBe(true);
    expect(isSkeleton('<div class="a">张伟</div>')).toBe(false);
    expect(isSkeleton(`${ok}\n张伟`)).toBe(false);
    expect(isSkeleton(`${ok}\nphone 13800138000`)).toBe(false);
    expect(isSkeleton(`${ok}\nzhang.wei@example.com`)).toBe(false);
    expect(isSkeleton(`${ok}\n<img src=x onerror=alert(1)>`)).toBe(false);
    expect(isSkeleton(`${ok}\n${'x'.repeat(200_001)}`)).toBe(false);
    expect(isSkeleton(42)).toBe(false);
  });
});
