// The picker's proposal, on plain DOM: stable hooks over build hashes, selectors relative to the
// message row for row fields, the row found from a click inside it, the direction rule, and the
// counts the options form shows.
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { isHashedClass, isStableId, proposeFor, proposeSelector, segments } from '../../../lib/custom-sites/picker';
import { openPage } from './page';

const open = () => openPage('console.html', 'http://127.0.0.1:41234/console/conv/c-8812');

function html(body: string): Document {
  const window = new Window({ url: 'http://127.0.0.1:41234/' });
  const doc = window.document as unknown as Document;
  doc.body.innerHTML = body;
  return doc;
}

describe('stable names', () => {
  it('tell build hashes from names people wrote', () => {
    for (const c of ['msg-row', 'conv-header', 'customer-name', 'timeline', 'chatHeaderTitle', 'is-active', 'message_text']) expect(isHashedClass(c), c).toBe(false);
    for (const c of ['css-1q2w3e4', 'sc-bdVaJa', 'kVjKlq', '_x7f3a', 'Message_row__a1B2c', 'x9k3m2', 'w-[30px]', 'md:flex']) expect(isHashedClass(c), c).toBe(true);
    expect(isStableId('chat-header')).toBe(true);
    expect(isStableId('msg-100231')).toBe(false);
    expect(isStableId(':r1a:')).toBe(false);
  });

  it('prefer test ids, roles and data attribute names to classes, and skip hashed classes', () => {
    const doc = html('<main class="sc-bdVaJa pane"><header class="css-1q2w3e4 conv-header" data-testid="conversation-header" data-conv-id="c-1"></header></main>');
    const header = doc.querySelector('header')!;
    expect(segments(header)).toEqual(['[data-testid="conversation-header"]', '[data-conv-id]', 'header', '.conv-header', 'header.conv-header']);
    expect(segments(doc.querySelector('main')!)).toEqual(['main', '.pane', 'main.pane']);
  });
});

describe('proposals on the console', () => {
  it('a page field: the shortest stable selector that finds only the clicked element', () => {
    const page = open();
    const name = page.doc.querySelector('.customer-name')!;
    expect(proposeSelector(name, page.doc)).toBe('h2');
    const r = proposeFor(page.doc, { field: 'title' }, name);
    expect(r).toMatchObject({ picked: true, selector: 'h2', count: 1 });
    page.close();
  });

  it('the thread key: the header and its id attribute', () => {
    const page = open();
    const r = proposeFor(page.doc, { field: 'threadKey' }, page.doc.querySelector('.customer-name')!);
    expect(r).toMatchObject({ picked: true, selector: '[data-testid="conversation-header"]', attr: 'data-conv-id', count: 1 });
    page.close();
  });

  it('the message row from a click on its text, with the number of sibling rows (not the day separator)', () => {
    const page = open();
    const text = page.doc.querySelectorAll('.msg-text')[1]!;
    const r = proposeFor(page.doc, { field: 'messageRow' }, text);
    expect(r).toMatchObject({ picked: true, selector: '[data-msg-id]', count: 3, siblings: 3, tag: 'li' });
    page.close();
  });

  it('row fields relative to the row: text, the time attribute, the id on the row itself', () => {
    const page = open();
    const row = page.doc.querySelectorAll('.msg-row')[1]!;
    const text = proposeFor(page.doc, { field: 'text', rowCss: '.msg-row' }, row.querySelector('.msg-text')!);
    expect(text).toMatchObject({ picked: true, selector: '.msg-text', count: 3, rows: { with: 3, total: 3 } });
    const time = proposeFor(page.doc, { field: 'time', rowCss: '.msg-row' }, row.querySelector('time')!);
    expect(time).toMatchObject({ picked: true, selector: 'time', attr: 'datetime', rows: { with: 3, total: 3 } });
    const id = proposeFor(page.doc, { field: 'messageId', rowCss: '.msg-row' }, row.querySelector('.msg-text')!);
    expect(id).toMatchObject({ picked: true, selector: '', attr: 'data-msg-id', rows: { with: 3, total: 3 } });
    expect(proposeFor(page.doc, { field: 'text', rowCss: '.msg-row' }, page.doc.querySelector('.customer-name')!)).toEqual({ picked: false, reason: 'noRow' });
    page.close();
  });

  it('the direction: the row attribute with two values', () => {
    const page = open();
    const out = page.doc.querySelectorAll('.msg-row')[1]!;
    const r = proposeFor(page.doc, { field: 'direction', rowCss: '.msg-row' }, out.querySelector('.msg-text')!);
    expect(r).toMatchObject({ picked: true, direction: { kind: 'outgoingAttr', attr: 'data-direction', equals: 'out' }, count: 1, rows: { with: 1, total: 3 } });
    page.close();
  });
});

describe('proposals elsewhere', () => {
  it('use an ancestor hook when the element alone is ambiguous, and count what the selector matches', () => {
    const doc = html(
      '<aside id="sidebar"><span class="name">列表里的名字</span></aside><section class="chat-header"><span class="name x9k3m2">王五</span><span class="status">在线</span></section>',
    );
    const el = doc.querySelectorAll('.name')[1]!;
    const css = proposeSelector(el, doc);
    expect(css).toBe('.chat-header .name');
    expect(doc.querySelectorAll(css)).toHaveLength(1);
  });

  it('fall back to a positional path when nothing stable tells the element apart', () => {
    const doc = html('<div><div><span>a</span><span>b</span></div></div>');
    const el = doc.querySelectorAll('span')[1]!;
    const css = proposeSelector(el, doc);
    expect(doc.querySelector(css)).toBe(el);
  });

  it('relative to the row never match the row itself', () => {
    const doc = html('<ul><li class="m"><b class="m">x</b></li><li class="m"><b class="m">y</b></li></ul>');
    const row = doc.querySelector('li')!;
    const css = proposeSelector(row.querySelector('b')!, row);
    expect(row.matches(css)).toBe(false);
    expect(row.querySelector(css)).toBe(row.querySelector('b'));
  });
});
