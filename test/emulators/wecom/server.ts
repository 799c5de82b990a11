// A strict emulator of the WeCom (企业微信) server APIs the WeCom adapter uses, on one loopback
// server. Shapes follow WeCom's own API YAML (WecomTeam/OpenApi @ 2c434450d469, 2023-01-10, in
// ../shared/specs/wecom/api: WwOpenGetToken, WwOpenGetAgent, WwOpenGetUser,
// BatchGetExternalContactByUser, GetExternalContact, RemarkExternalContact, GetExternalContactTag,
// MarkExternalContactTag, AddSchedule, WwOpenAppSendMsg — the contract tests validate every request
// against those files) and its pages on developer.work.weixin.qq.com, read 2026-12-06: 获取客户详情
// path/92114 and 批量获取客户详情 path/92994 (reply examples: follow_user[].tags[], follow_info.tag_id[]),
// 修改客户备注信息 path/96317 (2025/11/17), 编辑客户企业标签 path/92697 (2023/12/01), 消息类型
// path/90236 (message/send body: the YAML's is empty), 访问频率限制 path/90454 (2023/08/28), 全局错误码
// path/90313. What it holds to:
// - every reply is HTTP 200 {errcode, errmsg} (0 = ok) except injected gateway faults;
// - gettoken?corpid&corpsecret: 40013 wrong corpid, 40001 wrong secret, the SAME token again while
//   it is valid ("有效期内重复获取返回相同结果"), expires_in 7200 (configurable); other calls need
//   ?access_token=: 41001 missing, 40014 unknown/invalidated, 42001 expired;
// - customer APIs need the app in 「客户联系 可调用接口的应用」 (48002 otherwise, switchable);
//   members outside the app's visible range → 60011, unknown userid → 60111, a contact that is
//   not the member's → 84061; batch/get_by_user: userid_list 1–100, limit ≤ 100 (default 50),
//   cursor paging; externalcontact/get: cursor when > 500 follow users;
// - remark: remark ≤ 20, description ≤ 150, remark_company ≤ 20 characters, not all empty
//   (40058 here: the per-field codes are not documented), remark_mobiles replaces the list;
// - mark_tag: add_tag / remove_tag not both empty, ids must be live corp tags (40068);
// - schedule/add: organizer a member, start_time < end_time, summary ≤ 128, description ≤ 512,
//   remind_before_event_secs among the documented values; no idempotency key (duplicates kept);
// - message/send: agentid must be the token's app, msgtype text|markdown with content ≤ 2048
//   bytes, touser '|'-joined; unknown recipients come back in invaliduser, all unknown → 81013;
//   enable_duplicate_check: the same JSON within duplicate_check_interval is not delivered again;
//   per app per member 30/min: the excess is accepted and silently not delivered (the page);
// - limits: per API per minute (default 10,000, settable) → 45009, then blocked 60 s;
// - faults through `control`: gateway 5xx, a reply lost before or after the write committed,
//   tokens expired or invalidated early, the service down.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue } from '../fault-queue';

export interface WecomEmulatorOptions {
  now?: () => number;
  /** Calls per API per minute before 45009 (WeCom: 10,000 per corp). */
  perMinute?: number;
  /** Access token lifetime in ms (WeCom: 7200 s). */
  tokenTtlMs?: number;
}

export const CORP = { corpid: 'wwliaisontest000001', secret: 'wecom-test-app-secret-00000000000000000000', agentid: 1000002, agentName: 'Liaison 客户同步' };
export const MEMBERS = [
  { userid: 'zhangsan', name: '张三', visible: true },
  { userid: 'lisi', name: '李四', visible: true },
  { userid: 'wangwu', name: '王五', visible: false },
] as const;

export interface FollowRow { userid: string; remark: string; description: string; createtime: number; tag_ids: string[]; personal_tags: string[]; remark_corp_name: string; remark_mobiles: string[]; add_way: number; oper_userid: string }
export interface ContactRow { external_userid: string; name: string; type: 1 | 2; gender: number; corp_name?: string; follow: FollowRow[] }
export interface ScheduleRow { schedule_id: string; body: Record<string, unknown>; at: number }
export interface MessageRow { msgid: string; touser: string; msgtype: string; content: string; delivered: string[]; suppressed: string[]; at: number }
export interface RequestLogEntry { at: number; method: string; path: string; api: string; query: Record<string, string>; body: unknown; errcode?: number; status: number; outcome: 'replied' | 'dropped' | 'refused' }
interface Fault { api?: string; left: number; kind: 'fail' | 'drop'; status?: number; commit?: boolean }
interface Reply { status: number; body?: unknown }

const TAG_GROUPS = [
  { group_id: 'etLIAISONGROUP01', group_name: '客户等级', create_time: 1_700_000_000, order: 1, tag: [{ id: 'etLIAISONTAG0001', name: '重点客户', create_time: 1_700_000_000, order: 1 }, { id: 'etLIAISONTAG0002', name: '潜在客户', create_time: 1_700_000_000, order: 2 }] },
  { group_id: 'etLIAISONGROUP02', group_name: '意向产品', create_time: 1_700_000_000, order: 2, tag: [{ id: 'etLIAISONTAG0003', name: '抵押贷', create_time: 1_700_000_000, order: 1 }, { id: 'etLIAISONTAG0004', name: '信用贷', create_time: 1_700_000_000, order: 2 }, { id: 'etLIAISONTAG0005', name: '旧标签', create_time: 1_700_000_000, order: 3, deleted: true }] },
];
const REMIND_SECS = [0, 300, 900, 3600, 86400];

export async function startWecomEmulator(o: WecomEmulatorOptions = {}) {
  const now = o.now ?? Date.now;
  const ttl = o.tokenTtlMs ?? 7_200_000;
  let seq = 0;
  const err = (errcode: number, errmsg: string): Reply => ({ status: 200, body: { errcode, errmsg: `${errmsg}, hint: [${now()}_${++seq}], more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}` } });
  const okReply = (extra: Record<string, unknown> = {}): Reply => ({ status: 200, body: { errcode: 0, errmsg: 'ok', ...extra } });
  const tokens = new Map<string, number>();
  let current: string | undefined;
  let tokensIssued = 0;
  const contacts = new Map<string, ContactRow>();
  const schedules: ScheduleRow[] = [];
  const messages: MessageRow[] = [];
  const dupSeen = new Map<string, number>();
  const perMember = new Map<string, number[]>();
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, { api: string }>();
  let perMinute = o.perMinute ?? 10_000;
  const windows = new Map<string, number[]>();
  const blockedUntil = new Map<string, number>();
  let customerContactAllowed = true;
  let down = false;

  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const chars = (s: string) => [...s].length;
  const member = (id: unknown) => (typeof id === 'string' ? MEMBERS.find((m) => m.userid.toLowerCase() === id.toLowerCase()) : undefined);
  const liveTags = () => new Map(TAG_GROUPS.flatMap((g) => g.tag.filter((t) => !('deleted' in t && t.deleted)).map((t) => [t.id, { ...t, group_name: g.group_name }] as const)));
  /** A member the app may see, or the errcode reply. */
  const checkMember = (id: unknown): Reply | undefined => {
    const m = member(id);
    if (!m) return err(60111, 'userid not found');
    if (!m.visible) return err(60011, 'no privilege to access/modify contact/party/agent');
    return undefined;
  };
  const followView = (f: FollowRow) => ({
    userid: f.userid, remark: f.remark, description: f.description, createtime: f.createtime,
    tags: [...f.tag_ids.map((id) => { const t = liveTags().get(id); return t ? { group_name: t.group_name, tag_name: t.name, type: 1, tag_id: id } : undefined; }).filter(Boolean), ...f.personal_tags.map((n) => ({ tag_name: n, type: 2 }))],
    remark_corp_name: f.remark_corp_name, remark_mobiles: f.remark_mobiles, add_way: f.add_way, oper_userid: f.oper_userid,
  });
  const contactView = (c: ContactRow) => ({ external_userid: c.external_userid, name: c.name, type: c.type, gender: c.gender, avatar: '', ...(c.corp_name ? { corp_name: c.corp_name } : {}) });

  function needCustomerContact(): Reply | undefined {
    return customerContactAllowed ? undefined : err(48002, 'api forbidden');
  }

  type Handler = (q: URLSearchParams, body: Record<string, unknown>) => Reply;
  const routes: [string, string, string, Handler, boolean][] = [
    ['GET', '/cgi-bin/gettoken', 'gettoken', (q) => {
      if (q.get('corpid') !== CORP.corpid) return err(40013, 'invalid corpid');
      if (q.get('corpsecret') !== CORP.secret) return err(40001, 'invalid credential');
      const exp = current ? tokens.get(current) : undefined;
      if (!current || exp === undefined || exp <= now()) {
        current = `wct_${crypto.randomUUID().replace(/-/g, '')}`;
        tokens.set(current, now() + ttl);
        tokensIssued += 1;
      }
      return okReply({ access_token: current, expires_in: Math.max(1, Math.round(((tokens.get(current) ?? now()) - now()) / 1000)) });
    }, false],
    ['GET', '/cgi-bin/agent/get', 'agent.get', (q) => {
      if (q.get('agentid') !== String(CORP.agentid)) return err(301002, 'not allow operate another agent with this accesstoken.');
      return okReply({ agentid: CORP.agentid, name: CORP.agentName, square_logo_url: '', description: '', allow_userinfos: { user: MEMBERS.filter((m) => m.visible).map((m) => ({ userid: m.userid })) }, close: 0, isreportenter: 0, home_url: '' });
    }, true],
    ['GET', '/cgi-bin/user/get', 'user.get', (q) => {
      const bad = checkMember(q.get('userid'));
      if (bad) return bad;
      const m = member(q.get('userid'))!;
      return okReply({ userid: m.userid, name: m.name, department: [1], status: 1 });
    }, true],
    ['POST', '/cgi-bin/externalcontact/batch/get_by_user', 'externalcontact.batch', (_q, b) => {
      const forbidden = needCustomerContact();
      if (forbidden) return forbidden;
      const ids = b.userid_list;
      if (!Array.isArray(ids) || !ids.length || ids.length > 100 || ids.some((i) => typeof i !== 'string')) return err(40058, 'userid_list must hold 1 to 100 userids');
      for (const id of ids) { const bad = checkMember(id); if (bad) return bad; }
      if (b.limit !== undefined && (typeof b.limit !== 'number' || !Number.isInteger(b.limit) || b.limit < 1)) return err(40058, 'limit must be a positive integer');
      if (b.cursor !== undefined && typeof b.cursor !== 'string') return err(40058, 'cursor must be a string');
      const limit = Math.min((b.limit as number | undefined) ?? 50, 100);
      const all = [...contacts.values()].flatMap((c) => c.follow.filter((f) => ids.some((i) => String(i).toLowerCase() === f.userid)).map((f) => ({ c, f })));
      const start = b.cursor ? Number.parseInt(Buffer.from(String(b.cursor), 'base64url').toString(), 10) : 0;
      if (!Number.isInteger(start) || start < 0) return err(40058, 'invalid cursor');
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : '';
      return okReply({
        external_contact_list: page.map(({ c, f }) => { const v = followView(f); return { external_contact: contactView(c), follow_info: { ...v, tags: undefined, tag_id: f.tag_ids.filter((id) => liveTags().has(id)) } }; }),
        next_cursor: next,
      });
    }, true],
    ['GET', '/cgi-bin/externalcontact/get', 'externalcontact.get', (q) => {
      const forbidden = needCustomerContact();
      if (forbidden) return forbidden;
      const id = q.get('external_userid');
      if (!id) return err(41035, 'missing external_userid'); // 41035 缺少外部联系人userid参数
      const c = contacts.get(id);
      const visible = c?.follow.filter((f) => member(f.userid)?.visible) ?? [];
      if (!c || !visible.length) return err(84061, 'not external contact');
      const start = q.get('cursor') ? Number.parseInt(Buffer.from(q.get('cursor')!, 'base64url').toString(), 10) : 0;
      const page = visible.slice(start, start + 500);
      return okReply({ external_contact: contactView(c), follow_user: page.map(followView), ...(start + 500 < visible.length ? { next_cursor: Buffer.from(String(start + 500)).toString('base64url') } : {}) });
    }, true],
    ['POST', '/cgi-bin/externalcontact/remark', 'externalcontact.remark', (_q, b) => {
      const forbidden = needCustomerContact();
      if (forbidden) return forbidden;
      const bad = checkMember(b.userid);
      if (bad) return bad;
      const f = typeof b.external_userid === 'string' ? contacts.get(b.external_userid)?.follow.find((x) => x.userid === member(b.userid)!.userid) : undefined;
      if (!f) return err(84061, 'not external contact');
      const fields = ['remark', 'description', 'remark_company', 'remark_mobiles', 'remark_pic_mediaid'] as const;
      if (fields.every((k) => b[k] === undefined)) return err(40058, 'remark, description, remark_company, remark_mobiles and remark_pic_mediaid cannot all be empty');
      for (const [k, max] of [['remark', 20], ['description', 150], ['remark_company', 20]] as const) {
        const v = b[k];
        if (v === undefined) continue;
        if (typeof v !== 'string') return err(40058, `${k} must be a string`);
        if (chars(v) > max) return err(40058, `${k} exceeds ${max} characters`);
      }
      const mobiles = b.remark_mobiles;
      if (mobiles !== undefined && (!Array.isArray(mobiles) || mobiles.some((m) => typeof m !== 'string' || (m !== '' && !/^\+?[\d-]{5,20}$/.test(m))))) return err(40058, 'remark_mobiles must be a list of phone numbers');
      if (typeof b.remark === 'string') f.remark = b.remark;
      if (typeof b.description === 'string') f.description = b.description;
      if (typeof b.remark_company === 'string') f.remark_corp_name = b.remark_company;
      if (Array.isArray(mobiles)) f.remark_mobiles = (mobiles as string[]).filter((m) => m !== '');
      return okReply();
    }, true],
    ['POST', '/cgi-bin/externalcontact/get_corp_tag_list', 'externalcontact.tags', (_q, b) => {
      const forbidden = needCustomerContact();
      if (forbidden) return forbidden;
      const groups = Array.isArray(b.group_id) && b.group_id.length ? TAG_GROUPS.filter((g) => (b.group_id as unknown[]).includes(g.group_id)) : TAG_GROUPS;
      const tagIds = !Array.isArray(b.group_id) || !b.group_id.length ? (Array.isArray(b.tag_id) && b.tag_id.length ? (b.tag_id as unknown[]) : undefined) : undefined;
      return okReply({ tag_group: groups.map((g) => ({ ...g, tag: g.tag.filter((t) => !tagIds || tagIds.includes(t.id)) })).filter((g) => g.tag.length) });
    }, true],
    ['POST', '/cgi-bin/externalcontact/mark_tag', 'externalcontact.mark_tag', (_q, b) => {
      const forbidden = needCustomerContact();
      if (forbidden) return forbidden;
      const bad = checkMember(b.userid);
      if (bad) return bad;
      const f = typeof b.external_userid === 'string' ? contacts.get(b.external_userid)?.follow.find((x) => x.userid === member(b.userid)!.userid) : undefined;
      if (!f) return err(84061, 'not external contact');
      const add = b.add_tag ?? [];
      const remove = b.remove_tag ?? [];
      if (!Array.isArray(add) || !Array.isArray(remove)) return err(40058, 'add_tag and remove_tag must be lists');
      if (!add.length && !remove.length) return err(40058, 'add_tag and remove_tag cannot both be empty');
      const live = liveTags();
      if ([...add, ...remove].some((id) => typeof id !== 'string' || !live.has(id))) return err(40068, 'invalid tagid');
      f.tag_ids = [...new Set([...f.tag_ids.filter((id) => !remove.includes(id)), ...(add as string[])])];
      return okReply();
    }, true],
    ['POST', '/cgi-bin/oa/schedule/add', 'schedule.add', (_q, b) => {
      const s = b.schedule;
      if (!isObj(s)) return err(40058, 'schedule is required');
      const bad = checkMember(s.organizer);
      if (bad) return bad;
      if (typeof s.start_time !== 'number' || typeof s.end_time !== 'number' || !Number.isInteger(s.start_time) || !Number.isInteger(s.end_time)) return err(40058, 'start_time and end_time must be Unix times');
      if (s.end_time <= s.start_time) return err(40058, 'end_time must be after start_time');
      if (s.summary !== undefined && (typeof s.summary !== 'string' || chars(s.summary) > 128)) return err(40058, 'summary must be at most 128 characters');
      if (s.description !== undefined && (typeof s.description !== 'string' || chars(s.description) > 512)) return err(40058, 'description must be at most 512 characters');
      if (s.attendees !== undefined) {
        if (!Array.isArray(s.attendees) || s.attendees.length > 2000) return err(40058, 'attendees must be a list of at most 2000');
        for (const a of s.attendees) { if (!isObj(a)) return err(40058, 'attendee must be {userid}'); const m = checkMember(a.userid); if (m) return m; }
      }
      if (s.reminders !== undefined) {
        const r = s.reminders;
        if (!isObj(r)) return err(40058, 'reminders must be an object');
        if (r.remind_before_event_secs !== undefined && !REMIND_SECS.includes(r.remind_before_event_secs as number)) return err(40058, 'remind_before_event_secs must be one of 0, 300, 900, 3600, 86400');
      }
      const row = { schedule_id: `17c7d2bd${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`, body: s, at: now() };
      schedules.push(row);
      return okReply({ schedule_id: row.schedule_id });
    }, true],
    ['POST', '/cgi-bin/message/send', 'message.send', (_q, b) => {
      if (b.agentid !== CORP.agentid) return err(301002, 'not allow operate another agent with this accesstoken.');
      if (b.msgtype !== 'text' && b.msgtype !== 'markdown') return err(40008, 'invalid message type');
      const part = b[b.msgtype];
      if (!isObj(part) || typeof part.content !== 'string' || !part.content.trim()) return err(44004, 'content is empty'); // 44004 文本消息content参数为空
      if (Buffer.byteLength(part.content) > 2048) return err(45002, 'content size out of limit');
      if (typeof b.touser !== 'string' || !b.touser) return err(40031, 'invalid userid list');
      const ids = b.touser.split('|');
      if (ids.length > 1000) return err(40031, 'touser has more than 1000 members');
      const valid = ids.filter((id) => member(id)?.visible).map((id) => member(id)!.userid);
      const invalid = ids.filter((id) => !member(id)?.visible).map((id) => id.toLowerCase());
      if (!valid.length) return err(81013, 'user & party & tag all invalid');
      const interval = typeof b.duplicate_check_interval === 'number' ? b.duplicate_check_interval : 1800;
      if (interval > 14_400) return err(40058, 'duplicate_check_interval must be at most 4 hours');
      const key = JSON.stringify(b);
      const seen = dupSeen.get(key);
      const duplicate = b.enable_duplicate_check === 1 && seen !== undefined && now() - seen < interval * 1000;
      if (b.enable_duplicate_check === 1 && !duplicate) dupSeen.set(key, now());
      const delivered: string[] = [];
      const suppressed: string[] = [];
      for (const id of valid) {
        const w = (perMember.get(id) ?? []).filter((at) => at > now() - 60_000);
        if (duplicate || w.length >= 30) suppressed.push(id);
        else { delivered.push(id); w.push(now()); }
        perMember.set(id, w);
      }
      const msgid = `msg${++seq}`;
      messages.push({ msgid, touser: b.touser, msgtype: b.msgtype, content: part.content, delivered, suppressed, at: now() });
      return okReply({ invaliduser: invalid.join('|'), invalidparty: '', invalidtag: '', unlicenseduser: '', msgid });
    }, true],
  ];

  function send(res: ServerResponse, entry: RequestLogEntry, r: Reply) {
    entry.status = r.status;
    if (isObj(r.body) && typeof r.body.errcode === 'number') entry.errcode = r.body.errcode;
    res.writeHead(r.status, { 'content-type': 'application/json; charset=UTF-8', date: new Date(now()).toUTCString() });
    res.end(r.body === undefined ? '' : JSON.stringify(r.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const hit = routes.find(([m, p]) => m === method && p === url.pathname);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (method === 'POST') {
      try { body = raw ? JSON.parse(raw) : undefined; } catch { body = raw; }
    }
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, api: hit?.[2] ?? 'unknown', query: Object.fromEntries(url.searchParams), body, status: 0, outcome: 'replied' };
    requests.push(entry);
    if (down) { entry.outcome = 'refused'; req.socket.destroy(); return; }
    if (!hit) return send(res, entry, { status: 404, body: '<html>404 Not Found</html>' });
    const [, , api, handler, auth] = hit;
    const fault = faults.take(api, { api });
    if (fault && !fault.commit) {
      if (fault.kind === 'drop') { entry.outcome = 'dropped'; req.socket.destroy(); return; }
      return send(res, entry, { status: fault.status ?? 502, body: '<html><body>502 Bad Gateway</body></html>' });
    }
    if (auth) {
      const t = url.searchParams.get('access_token');
      if (!t) return send(res, entry, err(41001, 'access_token missing'));
      const exp = tokens.get(t);
      if (exp === undefined) return send(res, entry, err(40014, 'invalid access_token'));
      if (exp <= now()) return send(res, entry, err(42001, 'access_token expired'));
    }
    if ((blockedUntil.get(api) ?? 0) > now()) return send(res, entry, err(45009, 'api freq out of limit'));
    const w = (windows.get(api) ?? []).filter((at) => at > now() - 60_000);
    if (w.length >= perMinute) {
      blockedUntil.set(api, now() + 60_000);
      windows.set(api, w);
      return send(res, entry, err(45009, 'api freq out of limit'));
    }
    w.push(now());
    windows.set(api, w);
    if (method === 'POST') {
      if (!isObj(body)) return send(res, entry, err(47001, 'data format error'));
    }
    const reply = handler(url.searchParams, (body ?? {}) as Record<string, unknown>);
    if (fault?.commit) {
      if (fault.kind === 'drop') { entry.outcome = 'dropped'; res.socket?.destroy(); return; }
      return send(res, entry, { status: fault.status ?? 502, body: '<html><body>502 Bad Gateway</body></html>' });
    }
    return send(res, entry, reply);
  }

  const server = createServer((req, res) => void handle(req, res).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const control = {
    /** A customer adds a member on WeChat (the only way a contact comes to exist). */
    addContact(c: { name: string; type?: 1 | 2; corp_name?: string; follow: (Partial<FollowRow> & { userid: string })[] }): string {
      const id = `wm${crypto.randomUUID().replace(/-/g, '').slice(0, 26)}`;
      contacts.set(id, {
        external_userid: id, name: c.name, type: c.type ?? 1, gender: 0, ...(c.corp_name ? { corp_name: c.corp_name } : {}),
        follow: c.follow.map((f) => ({ remark: '', description: '', createtime: Math.floor(now() / 1000), tag_ids: [], personal_tags: [], remark_corp_name: '', remark_mobiles: [], add_way: 1, oper_userid: id, ...f })),
      });
      return id;
    },
    /** The member edits the contact in the WeCom client. */
    editFollow(id: string, userid: string, patch: Partial<FollowRow>): void {
      const f = contacts.get(id)?.follow.find((x) => x.userid === userid);
      if (!f) throw new Error(`no follow ${userid} on ${id}`);
      Object.assign(f, patch);
    },
    /** The customer deletes the member on WeChat. */
    removeFollow(id: string, userid: string): void {
      const c = contacts.get(id);
      if (c) c.follow = c.follow.filter((f) => f.userid !== userid);
    },
    contact: (id: string) => contacts.get(id),
    contacts: () => [...contacts.values()],
    schedules: () => [...schedules],
    messages: () => [...messages],
    tagGroups: () => TAG_GROUPS,
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    setFaultPolicy: (p: ((entry: { api: string }) => Omit<Fault, 'left'> | undefined) | undefined) => faults.setPolicy(p),
    /** Two hours passed: every token is expired (42001). */
    expireTokens() { for (const k of tokens.keys()) tokens.set(k, 0); },
    /** WeCom invalidated tokens early ("可能会出于运营需要，提前使access_token失效"): 40014. */
    invalidateTokens() { tokens.clear(); current = undefined; },
    setPerMinute(n: number) { perMinute = n; },
    setCustomerContactAllowed(v: boolean) { customerContactAllowed = v; },
    setDown(v: boolean) { down = v; },
    clearLog() { requests.length = 0; },
    tokensIssued: () => tokensIssued,
  };
  return { url, corp: CORP, members: MEMBERS, requests, control, close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}
export type WecomEmulator = Awaited<ReturnType<typeof startWecomEmulator>>;
