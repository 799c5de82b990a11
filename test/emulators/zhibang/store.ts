// The data of one emulated 智邦ERP installation: users, sessions, enum lists, customers
// (drafts from allocation and saved ones), contacts, follow-ups, assignments, opportunities,
// and the per-installation 策略 (duplicate checks, 客户编号 format). Validation lives here so
// the V1 and V3 handlers reject the same things the same way.
//
// Contract: shared/reference/crm-apis.md § 智邦ERP and seed 003. Where the documented help page
// is silent (V1 status codes for an invalid session, the new id in a save reply), the choice
// is marked "emulator assumption" and the adapter is written to tolerate alternatives.

export interface EnumItem {
  id: number;
  name: string;
}

/** enumid → options (source.asp?enumid=N). */
export const BASE_ENUMS: Record<number, EnumItem[]> = {
  // 客户来源 ly
  13: [
    { id: 171, name: '网站注册' },
    { id: 172, name: '朋友介绍' },
    { id: 173, name: '陌生开发' },
    { id: 174, name: '广告宣传' },
    { id: 977, name: 'VIP' },
  ],
  // 洽谈方式 (follow-up method) sort
  98: [
    { id: 481, name: '电话' },
    { id: 482, name: '邮件' },
    { id: 483, name: '上门' },
    { id: 484, name: '其他' },
  ],
  // 紧急程度 great1 of a 售后服务单 (the web form reads sortonehy gate2=52; names are an
  // emulator assumption: installations define their own) and 售后方式 way1 (gate2=55).
  52: [
    { id: 521, name: '一般' },
    { id: 522, name: '紧急' },
    { id: 523, name: '非常紧急' },
  ],
  55: [
    { id: 551, name: '电话支持' },
    { id: 552, name: '上门服务' },
    { id: 553, name: '远程协助' },
  ],
  // 价值评估 jz
  14: [
    { id: 175, name: '很高' },
    { id: 289, name: '较高' },
    { id: 176, name: '一般' },
    { id: 177, name: '较低' },
    { id: 290, name: '很低' },
  ],
  // 行业 trade
  11: [
    { id: 301, name: '制造业' },
    { id: 302, name: '金融' },
  ],
};

export interface EmuUser {
  id: number;
  user: string;
  password: string;
  name: string;
}

export interface Strategy {
  /** 策略: reject a save whose mobile another customer already has. */
  uniqueMobile: boolean;
  /** 策略: reject a save whose name another customer already has. */
  uniqueName: boolean;
  /** 客户编号 format when the save leaves khid empty: {YYYY} {YY} {MM} and {seq:N}. */
  khidFormat: string;
}

export interface EmuCustomer {
  ord: number;
  intsort: 1 | 2;
  /** Allocated by add.asp but never saved: invisible in lists, empty in the detail bill. */
  saved: boolean;
  fields: Record<string, string>;
  createdAt: number;
  /** tel.ModifyStamp: set to now() by every save (web form, API, colleague). */
  updatedAt: number;
  /** How many saves (tests tell edits apart within one second of ModifyStamp). */
  saves: number;
}

export interface EmuPerson {
  ord: number;
  company: number;
  person_name: string;
  mobile: string;
  email: string;
  weixinAcc: string;
}

export interface EmuFollowUp {
  id: number;
  ord: number;
  intro: string;
  sort: number;
  plantype: number;
  lead: number;
  schedule?: { title: string; start: string; end: string };
  /** reply.date7: when the ERP saved it (a reply carries no time of its own). */
  at: number;
  /** The author's login. */
  by: string;
  /** reply.cateid: the author's user id. */
  userId: number;
}

export interface EmuAssignment {
  ord: number;
  member1: 0 | 1;
  member2: number[];
  at: number;
}

export interface EmuChance {
  ord: number;
  company: number;
  title: string;
  money: string;
  date1: string;
  intro: string;
  at: number;
}

export interface EmuService {
  ord: number;
  /** 售后编号, assigned by the ERP (SH{YYYYMMDD}{seq:3}: emulator assumption). */
  shid: string;
  company: number;
  title: string;
  introts: string;
  great1: number;
  way1: number;
  /** 指派售后: the service person's user id (0 = nobody yet). */
  lead: number;
  /** 售后日期 YYYY-MM-DD. */
  date: string;
  /** 处理结果 (chuli.asp intro), empty until someone processes it. */
  result: string;
  /** 处理内容 (chuli.asp info1). */
  info1: string;
  by: number;
  at: number;
  modifiedAt: number;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  cmdkey?: string;
  status?: number;
  /** The response was withheld after the request was processed (fault injection). */
  dropped?: boolean;
  failed?: boolean;
}

/** Editable customer fields and their length limits (help page: name ≤100, khid ≤50, sort1 ≤50, weixinAcc ≤50, product/intro ≤4000). */
export const CUSTOMER_FIELD_LIMITS: Record<string, number> = {
  name: 100,
  khid: 50,
  sort1: 50,
  ly: 20,
  area: 50,
  trade: 20,
  jz: 20,
  address: 200,
  person_name: 50,
  sex: 10,
  job: 50,
  phone: 50,
  mobile: 20,
  email: 100,
  qq: 20,
  weixinAcc: 50,
  product: 4000,
  c4: 200,
  intro: 4000,
  faren: 100,
  pym: 100,
};

export class EmuStore {
  users: EmuUser[];
  enums: Record<number, EnumItem[]>;
  sort1Options: string[];
  strategy: Strategy;
  sessionTtlMs: number;
  rndcode = '8888';

  sessions = new Map<string, { user: EmuUser; expiresAt: number }>();
  failedLogins = new Map<string, number>();
  logins: { at: number; user: string; ok: boolean; style: 'v1' | 'v3' }[] = [];
  customers = new Map<number, EmuCustomer>();
  persons: EmuPerson[] = [];
  followUps: EmuFollowUp[] = [];
  assignments: EmuAssignment[] = [];
  chances: EmuChance[] = [];
  /** 售后服务单 (service.ts). */
  services: EmuService[] = [];
  requests: LoggedRequest[] = [];
  allocations = 0;

  private nextOrd = 1001;
  private nextPerson = 5001;
  private nextFollowUp = 9001;
  private nextChance = 7001;
  private khidSeq = new Map<string, number>();
  private sessionSeq = 0;

  constructor(
    readonly now: () => number,
    opts: { users: EmuUser[]; extraSources: EnumItem[]; sort1Options: string[]; strategy: Strategy; sessionTtlMs: number },
  ) {
    this.users = opts.users;
    this.enums = { ...BASE_ENUMS, 13: [...(BASE_ENUMS[13] ?? []), ...opts.extraSources] };
    this.sort1Options = opts.sort1Options;
    this.strategy = opts.strategy;
    this.sessionTtlMs = opts.sessionTtlMs;
  }

  // ---- sessions ----
  openSession(user: EmuUser): string {
    this.sessionSeq += 1;
    const session = `S${this.sessionSeq.toString(36)}${Math.random().toString(36).slice(2, 12)}`;
    this.sessions.set(session, { user, expiresAt: this.now() + this.sessionTtlMs });
    return session;
  }

  userOf(session: unknown): EmuUser | undefined {
    if (typeof session !== 'string' || !session) return undefined;
    const s = this.sessions.get(session);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(session);
      return undefined;
    }
    return s.user;
  }

  expireSessions(): void {
    this.sessions.clear();
  }

  // ---- customers ----
  allocate(intsort: 1 | 2): number {
    const ord = this.nextOrd++;
    this.allocations += 1;
    this.customers.set(ord, { ord, intsort, saved: false, fields: {}, createdAt: this.now(), updatedAt: this.now(), saves: 0 });
    return ord;
  }

  /** A fresh customer with no prior allocation (V3 add). */
  insert(intsort: 1 | 2): EmuCustomer {
    const ord = this.nextOrd++;
    const c: EmuCustomer = { ord, intsort, saved: false, fields: {}, createdAt: this.now(), updatedAt: this.now(), saves: 0 };
    this.customers.set(ord, c);
    return c;
  }

  saved(): EmuCustomer[] {
    return [...this.customers.values()].filter((c) => c.saved);
  }

  enumHas(enumid: number, value: string): boolean {
    return (this.enums[enumid] ?? []).some((e) => String(e.id) === value);
  }

  /**
   * Checks a full customer record as a save would store it. Returns the server's message on
   * rejection (Chinese, as the ERP answers), or undefined when it may be saved.
   */
  validateCustomer(c: { ord: number; intsort: 1 | 2 }, f: Record<string, string>, opts: { strictMobile: boolean }): string | undefined {
    for (const [k, max] of Object.entries(CUSTOMER_FIELD_LIMITS)) {
      const v = f[k];
      if (v !== undefined && [...v].length > max) return `字段[${k}]长度不能超过${max}`;
    }
    if (!f.name?.trim()) return '客户名称不能为空';
    if (!f.sort1?.trim()) return '跟进程度不能为空';
    if (!this.sort1Options.includes(f.sort1)) return `跟进程度[${f.sort1}]不存在`;
    if (c.intsort === 1 && !f.person_name?.trim()) return '联系人不能为空';
    if (f.ly && !this.enumHas(13, f.ly)) return `客户来源[${f.ly}]无效`;
    if (f.jz && !this.enumHas(14, f.jz)) return `价值评估[${f.jz}]无效`;
    if (f.trade && !this.enumHas(11, f.trade)) return `行业[${f.trade}]无效`;
    if (f.mobile && opts.strictMobile && !/^1\d{10}$/.test(f.mobile)) return '手机号码格式不正确';
    const others = this.saved().filter((o) => o.ord !== c.ord);
    if (f.khid && others.some((o) => o.fields.khid === f.khid)) return '客户编号已存在';
    if (this.strategy.uniqueMobile && f.mobile && others.some((o) => o.fields.mobile === f.mobile)) return '手机号码已存在，不允许重复';
    if (this.strategy.uniqueName && others.some((o) => o.fields.name === f.name)) return '客户名称已存在，不允许重复';
    return undefined;
  }

  /** Stores a validated record, assigning 客户编号 when none was given, and keeps the main contact in step. */
  commitCustomer(c: EmuCustomer, f: Record<string, string>): void {
    if (!f.khid) f.khid = c.fields.khid || this.nextKhid();
    c.fields = f;
    c.saved = true;
    c.updatedAt = this.now();
    c.saves += 1;
    const contact = { person_name: f.person_name || f.name || '', mobile: f.mobile ?? '', email: f.email ?? '', weixinAcc: f.weixinAcc ?? '' };
    const p = this.persons.find((x) => x.company === c.ord);
    if (p) Object.assign(p, contact);
    else this.persons.push({ ord: this.nextPerson++, company: c.ord, ...contact });
  }

  private nextKhid(): string {
    const d = new Date(this.now());
    const yyyy = String(d.getFullYear());
    const fmt = this.strategy.khidFormat;
    const prefix = fmt
      .replace(/\{seq(:\d)?\}.*$/, '')
      .replace('{YYYY}', yyyy)
      .replace('{YY}', yyyy.slice(2))
      .replace('{MM}', String(d.getMonth() + 1).padStart(2, '0'));
    let seq = this.khidSeq.get(prefix) ?? 0;
    let code: string;
    do {
      seq += 1;
      code = fmt
        .replace('{YYYY}', yyyy)
        .replace('{YY}', yyyy.slice(2))
        .replace('{MM}', String(d.getMonth() + 1).padStart(2, '0'))
        .replace(/\{seq(?::(\d))?\}/, (_m, w: string | undefined) => String(seq).padStart(Number(w ?? 1), '0'));
    } while (this.saved().some((o) => o.fields.khid === code));
    this.khidSeq.set(prefix, seq);
    return code;
  }

  addFollowUp(f: Omit<EmuFollowUp, 'id' | 'at'>): EmuFollowUp {
    const row = { ...f, id: this.nextFollowUp++, at: this.now() };
    this.followUps.push(row);
    return row;
  }

  // ---- "a colleague" (test helpers: what another salesperson does in the ERP's own UI) ----

  /** A colleague edits a saved customer in the ERP: validated like a save, modified time bumped. Returns the refusal, if any. */
  editAsColleague(ord: number, changes: Record<string, string>): string | undefined {
    const c = this.customers.get(ord);
    if (!c || !c.saved) return '记录不存在或已被删除';
    const merged = { ...c.fields, ...changes };
    const why = this.validateCustomer(c, merged, { strictMobile: false });
    if (why) return why;
    this.commitCustomer(c, merged);
    return undefined;
  }

  /** A colleague logs a 洽谈进展 on a customer (their own login, now). */
  followUpAsColleague(ord: number, intro: string, opts: { user?: EmuUser; sort?: number } = {}): EmuFollowUp {
    const user = opts.user ?? this.users[1] ?? this.users[0]!;
    return this.addFollowUp({ ord, intro, sort: opts.sort ?? 481, plantype: 0, lead: 0, by: user.user, userId: user.id });
  }

  /** A colleague deletes a customer (the ERP's 删除: it leaves lists and its detail answers 记录不存在). */
  deleteCustomer(ord: number): void {
    this.customers.delete(ord);
    this.persons = this.persons.filter((p) => p.company !== ord);
  }

  /** Three wrong passwords and one more: the account now needs the login page's captcha (rndcode). */
  lockWithCaptcha(user: string): void {
    this.failedLogins.set(user, 4);
  }

  /** The user signs in once on the ERP's own login page, typing the captcha: the lock is lifted. */
  signInInBrowser(user: string): void {
    this.failedLogins.delete(user);
  }

  addChance(ch: Omit<EmuChance, 'ord' | 'at'>): EmuChance {
    const row = { ...ch, ord: this.nextChance++, at: this.now() };
    this.chances.push(row);
    return row;
  }
}
