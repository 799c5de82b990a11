// The demo web chat. Built like the real ones (WhatsApp Web, Telegram Web) so a site reader
// meets the same problems: the conversation pane is replaced on every switch without a page
// load, messages arrive while you read, and some data is hostile. All data is rendered with
// textContent, never innerHTML.
//
// URL controls: #/chat/<threadId> opens a chat; ?live=0 stops incoming messages, ?live=fast
// delivers one every 500 ms (default every 4 s). Tests drive it with window.demoChat.

const BASE = Date.parse('2026-03-02T09:00:00+08:00');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------
// Data. Thread ids are the site's stable ids: u_<international digits> for a contact with a
// phone, u_<random-looking> without one, g_… for groups.

/** @typedef {{ id: string, dir: 'in' | 'out', sender?: string, text: string, at: number }} Msg */
/** @typedef {{ id: string, name: string, subtitle: string, kind: 'direct' | 'group', messages: Msg[], unread: number }} Thread */

/** @param {string} id @param {Array<[number, 'in' | 'out', string, string?]>} script */
function messagesOf(id, script) {
  // [minutes after BASE, direction, text, sender (groups)]
  return script.map(([minutes, dir, text, sender], i) => ({
    id: `${id}-${i + 1}`,
    dir,
    ...(sender ? { sender } : {}),
    text,
    at: BASE + minutes * MIN,
  }));
}

/** @type {Thread[]} */
const threads = [
  {
    id: 'u_8613800138000',
    name: '张伟',
    subtitle: '13800138000',
    kind: 'direct',
    unread: 0,
    messages: messagesOf('u_8613800138000', [
      [0, 'in', '你好，我想咨询一下经营贷，额度大概能批多少？'],
      [2, 'out', '张总您好！经营贷一般按流水和抵押物评估，纯信用最高 100 万，有房产抵押可以到 500 万。'],
      [5, 'in', '我这边公司年流水大概 800 万，想贷 50 万周转，利率多少？'],
      [7, 'out', '目前合作银行年化 3.45% 起，先息后本，期限 1-3 年可选。'],
      [9, 'in', '需要准备哪些材料？'],
      [10, 'out', '营业执照、近一年对公流水、身份证、纳税证明。您方便的话我明天上午给您打电话详细说。'],
      [DAY / MIN + 30, 'in', '好的，明天上午 10 点后都可以。'],
      [DAY / MIN + 32, 'out', '收到，明天 10:30 联系您 👍'],
    ]),
  },
  {
    id: 'u_8613912345678',
    name: 'Li Na',
    subtitle: '+86 139 1234 5678',
    kind: 'direct',
    unread: 0,
    messages: messagesOf('u_8613912345678', [
      [60, 'in', 'Hi, this is Li Na from Huaxin Trading. We need a quote for 500 units of the X200 scanner.'],
      [64, 'out', 'Hello Li Na! For 500 units the price is USD 86 per unit, FOB Shenzhen, delivery in 3 weeks.'],
      [70, 'in', 'Can you do USD 80 if we sign a 12-month framework agreement?'],
      [75, 'out', 'Let me check with my manager. I will send you the contract draft by Friday.'],
      [80, 'in', 'Great, please also include the warranty terms. 谢谢！'],
    ]),
  },
  {
    id: 'u_8613800138001',
    name: '王芳',
    subtitle: '0086-138-0013-8001',
    kind: 'direct',
    unread: 0,
    messages: messagesOf('u_8613800138001', [
      [120, 'in', '您好，我房贷还剩 120 万，利率 4.9%，能转到低一点的吗？'],
      [123, 'out', '王女士您好，可以做转按揭，目前能做到 3.6% 左右，每月可以省一千多。'],
      [130, 'in', '手续费高吗？需要多久？'],
      [133, 'out', '评估费 500 元，银行审批大概 2-3 周。我把详细方案发给您看看。'],
      [140, 'in', '好，我考虑一下，下周再联系。'],
    ]),
  },
  {
    id: 'u_k7f3m2q9',
    name: '王经理',
    subtitle: '企业采购 · 最近在线',
    kind: 'direct',
    unread: 0,
    messages: messagesOf('u_k7f3m2q9', [
      [200, 'in', '你们的工业路由器支持批量采购吗？我们这次需要 200 台。'],
      [204, 'out', '支持的王经理，200 台可以给到 9 折，另外包安装调试。'],
      [210, 'in', '可以，麻烦出一份正式报价单，走合同流程。'],
      [212, 'in', '我的电话是 186 1234 5678，有事直接打给我。'],
      [215, 'out', '好的，报价单今天下班前发您邮箱。'],
    ]),
  },
  {
    id: 'u_14155552671',
    name: 'John Carter',
    subtitle: '+1 415 555 2671',
    kind: 'direct',
    unread: 0,
    messages: messagesOf('u_14155552671', [
      [300, 'in', 'Hey, we are evaluating suppliers for our Q3 order. Do you ship to California?'],
      [305, 'out', 'Hi John, yes, we ship DDP to the US west coast, about 18 days door to door.'],
      [309, 'in', 'Perfect. Could you send the catalog and MOQ?'],
      [310, 'out', 'Sure, catalog attached. MOQ is 100 units per SKU.'],
    ]),
  },
  {
    id: 'g_loan_clients_2026',
    name: '贷款客户群',
    subtitle: '赵强、孙丽、周明、你',
    kind: 'group',
    unread: 0,
    messages: messagesOf('g_loan_clients_2026', [
      [400, 'out', '各位好，本周银行新出了一款小微企业信用贷，年化 3.2% 起，有需要的可以私聊我。'],
      [402, 'in', '额度多少？', '赵强'],
      [403, 'out', '最高 300 万，看企业开票和纳税情况。'],
      [405, 'in', '我们是个体户可以申请吗？', '孙丽'],
      [407, 'in', '上次办的那笔已经放款了，谢谢！', '周明'],
      [409, 'out', '个体户有营业执照满一年就可以，孙姐我单独发您材料清单。'],
    ]),
  },
  {
    id: 'u_kx9h0st1',
    name: '<img src=x onerror=alert(1)>',
    subtitle: '在线',
    kind: 'direct',
    unread: 0,
    messages: messagesOf('u_kx9h0st1', [
      [500, 'in', '<script>window.__pwned=1</script>'],
      [501, 'in', '"><svg onload=alert(1)>'],
      [502, 'out', '您好，请问有什么可以帮您？'],
      [503, 'in', "'; DROP TABLE customers; -- {{constructor.constructor('alert(1)')()}}"],
    ]),
  },
  {
    id: 'u_8613600001111',
    name: '大客户 陈总',
    subtitle: '+86 136 0000 1111',
    kind: 'direct',
    unread: 0,
    messages: bigConversation('u_8613600001111', 3000),
  },
];

/**
 * 3,000 messages of a long-running account, deterministic (same text every load) so tests and
 * performance measurements repeat: lines cycle with the index, a few minutes apart.
 */
function bigConversation(id, count) {
  const lines = [
    ['in', '陈总：这批货的发票什么时候能开？'],
    ['out', '陈总好，财务今天下午开好，快递给您。'],
    ['in', '下个月我们还要追加一批，数量大概是这次的两倍。'],
    ['out', '没问题，我提前跟工厂排产，价格按年度协议执行。'],
    ['in', '上次说的授信额度，银行那边有消息了吗？'],
    ['out', '银行已经批了 2000 万授信，合同下周一签。'],
    ['in', 'OK, please send the shipping schedule.'],
    ['out', 'Schedule sent by email, first container leaves on the 15th.'],
    ['in', '收到，辛苦了。'],
  ];
  const start = BASE - 60 * DAY;
  const out = [];
  for (let i = 0; i < count; i++) {
    const [dir, text] = lines[i % lines.length];
    out.push({ id: `${id}-${i + 1}`, dir, text: `${text} (#${i + 1})`, at: start + i * 17 * MIN });
  }
  return out;
}

// Scripted incoming messages for the live timer, delivered round-robin.
const LIVE_SCRIPT = [
  ['u_8613800138000', '对了，抵押的话房产证需要原件吗？'],
  ['g_loan_clients_2026', '请问这个产品可以提前还款吗？', '赵强'],
  ['u_8613912345678', 'Any update on the contract draft?'],
  ['u_k7f3m2q9', '报价单收到了，我们内部走一下审批。'],
  ['u_8613600001111', '陈总：明天下午来公司聊一下合同细节？'],
  ['u_14155552671', 'Thanks, we will review the catalog this week.'],
  ['u_8613800138001', '我想好了，转按揭的方案可以发我一下吗？'],
];

// ---------------------------------------------------------------------------------------
// State and helpers.

const byId = new Map(threads.map((t) => [t.id, t]));
/** @type {string | null} */
let openId = null;
let nextLocalId = 1;

/** Creates an element with a class and optional text (always textContent). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function initials(name) {
  const trimmed = name.trim();
  if (!trimmed) return '?';
  // Chinese names: the last character reads naturally (张伟 → 伟); Latin: first letters.
  if (/^[\u4e00-\u9fff]/.test(trimmed)) return trimmed.slice(-1);
  return trimmed
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase();
}

function avatarHue(id) {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

function avatar(thread) {
  const a = el('div', 'avatar', initials(thread.name));
  a.style.background = `hsl(${avatarHue(thread.id)} 55% 52%)`;
  a.setAttribute('aria-hidden', 'true');
  return a;
}

const pad = (n) => String(n).padStart(2, '0');
const clock = (ms) => {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const dayLabel = (ms) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
const lastOf = (t) => t.messages[t.messages.length - 1];

// ---------------------------------------------------------------------------------------
// Chat list.

function renderList() {
  const list = document.getElementById('chat-list');
  const query = /** @type {HTMLInputElement} */ (document.getElementById('search')).value.trim().toLowerCase();
  const sorted = [...threads].sort((a, b) => (lastOf(b)?.at ?? 0) - (lastOf(a)?.at ?? 0));
  const rows = sorted
    .filter((t) => !query || t.name.toLowerCase().includes(query) || t.subtitle.toLowerCase().includes(query))
    .map(listRow);
  list.replaceChildren(...rows);
}

function listRow(t) {
  const row = el('div', 'chat-row');
  row.setAttribute('role', 'row');
  row.dataset.threadId = t.id;
  if (t.id === openId) row.classList.add('active');
  row.tabIndex = 0;

  const cell = el('div', 'chat-cell');
  cell.setAttribute('role', 'gridcell');
  const top = el('div', 'chat-top');
  const name = el('span', 'chat-name', t.name);
  name.title = t.name;
  const last = lastOf(t);
  const time = el('span', 'chat-time', last ? clock(last.at) : '');
  top.append(name, time);

  const bottom = el('div', 'chat-bottom');
  const previewText = last ? `${last.dir === 'out' ? '我: ' : last.sender ? `${last.sender}: ` : ''}${last.text}` : '';
  bottom.append(el('span', 'chat-preview', previewText));
  if (t.unread > 0) bottom.append(el('span', 'badge', String(t.unread)));

  cell.append(top, bottom);
  row.append(avatar(t), cell);
  row.addEventListener('click', () => openThread(t.id));
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') openThread(t.id);
  });
  return row;
}

// ---------------------------------------------------------------------------------------
// Conversation pane: a NEW #conversation element on every switch, as WhatsApp does with #main.

function messageRow(t, m) {
  const row = el('div', `msg ${m.dir === 'out' ? 'msg-out' : 'msg-in'}`);
  row.dataset.msgId = m.id;
  const bubble = el('div', 'bubble');
  if (t.kind === 'group' && m.dir === 'in' && m.sender) {
    const sender = el('span', 'msg-sender', m.sender);
    sender.style.color = `hsl(${avatarHue(m.sender)} 60% 38%)`;
    bubble.append(sender);
  }
  bubble.append(el('div', 'msg-text', m.text));
  const time = el('time', 'msg-time', clock(m.at));
  time.dateTime = new Date(m.at).toISOString();
  bubble.append(time);
  row.append(bubble);
  return row;
}

function daySeparator(ms) {
  return el('div', 'day-sep', dayLabel(ms));
}

function buildPane(t) {
  const pane = el('section');
  pane.id = 'conversation';
  pane.dataset.threadId = t.id;
  pane.dataset.chatType = t.kind;

  const header = el('header', 'conv-header');
  const titles = el('div', 'conv-titles');
  const title = el('h2', 'conv-title', t.name);
  title.title = t.name;
  titles.append(title, el('div', 'conv-subtitle', t.subtitle));
  header.append(avatar(t), titles);

  const list = el('div', 'msg-list');
  list.setAttribute('role', 'log');
  list.setAttribute('aria-live', 'polite');
  const frag = document.createDocumentFragment();
  let lastDay = '';
  for (const m of t.messages) {
    const day = dayLabel(m.at);
    if (day !== lastDay) frag.append(daySeparator(m.at));
    lastDay = day;
    frag.append(messageRow(t, m));
  }
  list.append(frag);

  const footer = el('footer', 'composer');
  const input = el('textarea');
  input.rows = 1;
  input.placeholder = '输入消息 / Type a message';
  input.setAttribute('aria-label', 'Message');
  const send = el('button', 'send', '发送');
  send.type = 'button';
  const submit = () => {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    appendMessage(t.id, { dir: 'out', text });
    input.focus();
  };
  send.addEventListener('click', submit);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  footer.append(input, send);

  pane.append(header, list, footer);
  return pane;
}

/**
 * Opens a chat. `push` adds a history entry (#/chat/<id>) so back/forward and direct links
 * work; navigation events call it with push=false.
 */
function openThread(id, { push = true } = {}) {
  const host = document.getElementById('conversation-host');
  const t = byId.get(id);
  if (!t) {
    showEmpty();
    return false;
  }
  if (push && location.hash !== `#/chat/${id}`) history.pushState({ threadId: id }, '', `#/chat/${id}`);
  if (openId === id && document.getElementById('conversation')) return true;
  openId = id;
  t.unread = 0;
  const pane = buildPane(t);
  host.replaceChildren(pane);
  const list = pane.querySelector('.msg-list');
  list.scrollTop = list.scrollHeight;
  renderList();
  document.title = `${t.name} · Liaison Demo Chat`;
  return true;
}

function showEmpty() {
  openId = null;
  const host = document.getElementById('conversation-host');
  const empty = el('div', 'empty');
  empty.id = 'conversation-empty';
  empty.append(el('div', 'empty-logo', '💬'), el('p', '', '选择一个会话开始聊天'), el('p', 'muted', 'Select a chat to start messaging'));
  host.replaceChildren(empty);
  renderList();
}

/** Adds a message to a thread; updates the open pane and the list (unread, order). */
function appendMessage(threadId, { dir, text, sender }) {
  const t = byId.get(threadId);
  if (!t) throw new Error(`unknown thread ${threadId}`);
  const m = { id: `${threadId}-live-${nextLocalId++}`, dir, ...(sender ? { sender } : {}), text: String(text), at: Date.now() };
  const prev = lastOf(t);
  t.messages.push(m);
  const pane = document.getElementById('conversation');
  if (openId === threadId && pane) {
    const list = pane.querySelector('.msg-list');
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    if (!prev || dayLabel(prev.at) !== dayLabel(m.at)) list.append(daySeparator(m.at));
    list.append(messageRow(t, m));
    if (nearBottom || dir === 'out') list.scrollTop = list.scrollHeight;
  } else if (dir === 'in') {
    t.unread += 1;
  }
  renderList();
  return m.id;
}

function threadFromHash() {
  const m = /^#\/chat\/([\w-]+)$/.exec(location.hash);
  return m ? m[1] : null;
}

function syncWithUrl() {
  const id = threadFromHash();
  if (id) openThread(id, { push: false });
  else showEmpty();
}

// ---------------------------------------------------------------------------------------
// Live incoming messages.

function startLive() {
  const live = new URLSearchParams(location.search).get('live');
  if (live === '0' || live === 'off') return;
  const every = live === 'fast' ? 500 : 4000;
  let i = 0;
  setInterval(() => {
    const [id, text, sender] = LIVE_SCRIPT[i % LIVE_SCRIPT.length];
    i += 1;
    appendMessage(id, { dir: 'in', text, sender });
  }, every);
}

// ---------------------------------------------------------------------------------------
// Test hooks and start.

window.demoChat = {
  /** Delivers an incoming message (as if the contact sent it); returns its message id. */
  deliver(threadId, text, sender) {
    return appendMessage(threadId, { dir: 'in', text, sender });
  },
  /** Opens a chat as a click on the list would (history entry included). */
  open(threadId) {
    return openThread(threadId);
  },
  /** A summary of every thread, for tests to pick from. */
  threads() {
    return threads.map((t) => ({
      id: t.id,
      name: t.name,
      subtitle: t.subtitle,
      kind: t.kind,
      unread: t.unread,
      messageCount: t.messages.length,
    }));
  },
};

document.getElementById('search').addEventListener('input', renderList);
window.addEventListener('popstate', syncWithUrl);
window.addEventListener('hashchange', syncWithUrl);

// A direct link opens its chat; a bare URL opens the newest chat (replaceState, so Back
// still leaves the demo rather than bouncing to an empty page).
if (threadFromHash()) syncWithUrl();
else {
  const first = [...threads].sort((a, b) => (lastOf(b)?.at ?? 0) - (lastOf(a)?.at ?? 0))[0];
  history.replaceState({ threadId: first.id }, '', `#/chat/${first.id}`);
  openThread(first.id, { push: false });
}
startLive();
