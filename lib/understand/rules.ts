// The rules of message understanding, as data. Options can show and edit them; everything in
// lib/understand reads them through `Rules` and nothing is hard-coded in the matchers, so a
// user who sells 扫码枪 instead of loans can add 起订量 without a release.
//
// Defaults come from the seeds: 003 (follow-up method keywords → 智邦 sort 481–484,
// min_message_length 10, excluded_keywords 在吗/你好/再见, opportunity words 报价/采购/需求/预算,
// after-sales 投诉/维修/退换货, ≤50字 summaries) and 004 (categories 销售线索/技术支持/客户服务/
// 产品反馈, priorities high/medium/low). The rest was added from real chat phrasing.
//
// Terms are plain strings, matched after normalize() (NFKC half-width, lower case, a few
// traditional → simplified characters), so write them in simplified Chinese and lower case.
// ASCII terms only match on word boundaries ("price" does not match "priceless"); Chinese
// terms match anywhere.
import { z } from 'zod';
import { FOLLOW_UP_METHODS } from '../model';
import { lazySchema } from '../model/lazy-schema';

const term = z.string().trim().min(1).max(40);
const terms = z.array(term).max(500);

export const CATEGORIES = ['销售线索', '技术支持', '客户服务', '产品反馈'] as const;
export type Category = (typeof CATEGORIES)[number];
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
/** 智邦 follow-up sort codes (seed 003): 481 电话, 482 邮件, 483 上门/面谈, 484 其他(微信). */
export const ZHIBANG_SORTS = [481, 482, 483, 484] as const;
export type ZhibangSort = (typeof ZHIBANG_SORTS)[number];

export const rulesSchema = lazySchema(() => z.object({
  version: z.literal(1),
  negation: z.object({
    /** A cue this close before a term flips it (不需要报价, no budget, don't need a quote). */
    cues: terms,
    /** After the term: 价格已经发过了, 电话打不通, 退款已经到账了. */
    postCues: terms,
    /** Look-alikes that are not negations: 不错, 没问题, 有没有 (an A-not-A question), not sure. */
    ignore: terms,
    /** Gap allowed between cue and term, in units (a CJK character or a Latin word each). */
    window: z.number().int().min(0).max(10),
    /** Gap allowed between term and post cue. */
    postWindow: z.number().int().min(0).max(10),
    /**
     * A channel named only as a failed or broken promise of contact (电话打了七八个都没人接,
     * you said you'd call back): in the same sentence, the method word is a grievance, not a
     * follow-up method. Optional so rules saved before issue 18 still parse.
     */
    contactFailed: terms.default([]),
    /**
     * An automatic reply (out of office, a bot's greeting): the whole message arranges no contact,
     * whatever channel it names (labelling guide §4: automated notices are no method). Optional
     * so rules saved before 2026-12-07 still parse.
     */
    automaticReply: terms.default([]),
  }),
  noise: z.object({
    /** Seed 003: shorter messages are not synced unless they carry a signal. Units as above. */
    minLength: z.number().int().min(0).max(200),
    /** Seed 003's excluded_keywords plus greetings and fillers: removed before measuring. */
    excludedKeywords: terms,
  }),
  methods: z
    .array(
      z.object({
        method: z.enum(FOLLOW_UP_METHODS),
        zhibang: z.union([z.literal(481), z.literal(482), z.literal(483), z.literal(484)]),
        terms,
        /** Phrases that contain a term but are no arrangement (电话费, email address typo…). */
        exclude: terms,
        /**
         * Words that, in the same clause, make the term something other than contact: a fitter's
         * or technician's visit (师傅明天上门, 上嚟裝) is the service bought, not 面谈 (labelling
         * guide §4). Optional so rules saved before issue 18 still parse.
         */
        notInClauseWith: terms.default([]),
        /** …unless the clause also arranges a conversation (上门聊一下安装方案). */
        keptInClauseBy: terms.default([]),
      }),
    )
    .max(10),
  buying: z.object({
    /** Seed 003's 报价/采购/需求/预算 and friends: each alone is a buying signal. */
    terms,
    /** Weak on their own (了解, 咨询, interested in): a signal only with a product mention. */
    inquiryCues: terms,
    /** A question about an existing loan or order (还款, 进度): buying words in the same sentence are service, not sales. */
    serviceCues: terms,
    /**
     * Issue 18's look-alikes of interest, each closing the buying words of its sentence: a past
     * fact (合同已经签了, already paid), interest relayed for someone else (我朋友想贷款, my cousin
     * might), a conditional with no live request (如果以后有需要, if we ever), a withdrawal
     * (不要了, cancel my request). Optional so rules saved before issue 18 still parse.
     */
    notNowCues: terms.default([]),
  }),
  complaint: z.object({
    /** Complaints: always a ticket (投诉, 不满意, broken, scam). */
    strong: terms,
    /** After-sales requests (退款, 维修, 退换货, refund): a ticket unless it is a policy question. */
    afterSales: terms,
    /** Context that makes an after-sales word a question about policy (支持七天无理由退货吗). */
    policyCues: terms,
    /** Hypotheticals (如果不满意可以退吗, if it breaks): no complaint yet, whatever the word. */
    conditionalCues: terms,
  }),
  categories: z.object({
    /** Extra words per category; buying signals add to 销售线索 and complaints to 客户服务. */
    terms: z.object({
      销售线索: terms,
      技术支持: terms,
      客户服务: terms,
      产品反馈: terms,
    }),
  }),
  priority: z.object({
    /** Raise one level (加急, asap). */
    urgent: terms,
    /** Lower one level (不急, no rush). */
    calm: terms,
    /** A deal at least this large (in its currency's units) is high priority. */
    highAmount: z.number().nonnegative(),
  }),
  result: z.object({
    /** → 已拒绝 */
    refused: terms,
    /** → 待考虑 */
    considering: terms,
  }),
  amount: z.object({
    /** An amount right after these is the deal amount (想贷30万, budget of $20k). */
    dealCues: terms,
    /** …and after these it is not (月收入2万, 月供3000). */
    notDealCues: terms,
  }),
  /** Product name → aliases (the user's products match by name too). */
  productAliases: z.record(z.string().min(1).max(50), terms),
  summary: z.object({
    /** Seed 003: ≤50字. Counted in code points. */
    maxZh: z.number().int().min(10).max(500),
    maxEn: z.number().int().min(20).max(1000),
  }),
}));
export type Rules = z.infer<typeof rulesSchema>;

export const DEFAULT_RULES: Rules = {
  version: 1,
  negation: {
    cues: [
      '不', '没', '没有', '无', '别', '不用', '不需要', '不要', '暂不', '暂时不', '暂无', '并不', '从不', '无需', '尚未', '还未',
      // Cantonese 不用 / 不要 (issue 18, fifth sitting)
      '唔使', '唔驶', '唔好',
      'no', 'not', "don't", 'dont', "doesn't", "didn't", 'never', 'without', "won't", "isn't", "aren't", 'none', 'no longer',
    ],
    postCues: [
      '已经发', '发过了', '发过', '已发', '已收到', '收到了', '不用了', '不需要了', '打不通', '没人接', '不方便',
      '已经到账', '到账了', '已到账', '被拒', '解决了', '已解决', '修好了', '已处理', '处理好了', '就算了', '还是算了',
      'already sent', 'already received', 'received', 'resolved', 'sorted', 'fixed',
    ],
    ignore: [
      '不错', '没问题', '不客气', '不好意思', '没事', '没关系', '不过', '不知道', '不清楚', '不太清楚', '不懂', '不一定',
      '有没有', '是不是', '能不能', '可不可以', '要不要', '行不行', '会不会', '好不好', '贵不贵', '多不多', '高不高',
      '无论', '不管', '差不多', '不少', '没多久', '无抵押', '不仅', '不只', '不然', '不同', '不断', '不如', '无线', '别家', '别人',
      '特别', '分别', '区别', '级别', '类别', '不满意', '没收到', '没有收到', '不能用', '不了解', '没人', '唔好意思',
      'no problem', 'no worries', 'not only', "don't know", 'dont know', 'not sure', 'why not', 'no doubt',
    ],
    window: 4,
    postWindow: 3,
    // seventh writer (2026-12-07)
    automaticReply: ['[auto-reply]', 'auto-reply:', 'autoreply:', 'automatic reply', 'out of office', '[自动回复]', '自动回复：', '自动回复:'],
    contactFailed: [
      '没人接', '不接', '没接', '占线', '关机', 'switched off', 'not picking', 'picking my calls', '打不通', '一直打不通', '没人打', '也没人', '没回', '不回', '没打', '等了', '说好回', '说给我回',
      '说好的', '打了七八个', '第四次', '天天有人', '骚扰', '推贷款',
      "said you'd", 'said you would', 'promised to call', 'supposed to call', 'never called', 'no one called', 'nobody called',
      'still waiting', "didn't call", 'never rang', 'nobody rang',
      // issue 18: a promised call or reply reported as not kept
      '说好', '上次说', '都说了', '没人通知', '没响', 'still nothing', 'no update', "he'd call",
      "she'd call", "you'd call", 'missed the',
      // issue 18, third sitting: held, cut off, an engaged tone, a promised callback
      'on hold', 'cut me off', 'hung up', '忙音', '未見人', '还没来', '都没来', '没上线', '打了好几次', '打了几次', '打了三次', '打了五次', 'would call me back', 'call me back yesterday',
      // issue 18, fifth sitting: a call missed, calls refused or not wanted, mail that never came
      // seventh writer (2026-12-07): nobody answering, a phone always off, a voice call cancelled
      'nobody answer', 'no one answer', 'nobody picked', 'always off', '对方已取消', '] 已取消', '通话已取消',
      'missed call', 'missed your call', 'missed calls', '没接到', '没听到', '没接着', 'was driving', 'stop calling', "can't take calls",
      "can't answer calls", 'cannot take calls', '听不得电话', '不用给我打', 'no need to call', 'supposed to be', '没人联系', 'no one contacted', 'nobody contacted',
    ],
  },
  noise: {
    minLength: 10,
    excludedKeywords: [
      // seed 003 excluded_keywords
      '在吗', '你好', '再见',
      '您好', '在不在', '在么', '嗨', '哈喽', '早上好', '上午好', '下午好', '晚上好', '早安', '晚安', '谢谢', '谢谢您',
      '多谢', '感谢', '辛苦了', '辛苦', '好的', '好滴', '好嘞', '好', '嗯', '嗯嗯', '哦', '噢', '哈哈', '呵呵', '收到', '了解了',
      '明白', '明白了', '知道了', 'ok', 'okay', 'ok的', '行', '可以', '对', '是的', '拜拜', '回头聊', '稍等', '马上', '稍等一下',
      '亲', '老师', '哥', '姐', '在的', '请问',
      'hi', 'hello', 'hey', 'thanks', 'thank you', 'thx', 'ty', 'bye', 'goodbye', 'ok', 'sure', 'yes', 'yeah', 'yep',
      'no', 'got it', 'cool', 'great', 'sounds good', 'talk soon', 'see you', 'good morning', 'good night', 'noted',
      'lol', 'haha', 'you there', 'are you there', 'there', 'one sec', 'np', 'welcome', 'you too', 'perfect', 'alright',
    ],
  },
  methods: [
    {
      method: '面谈',
      zhibang: 483,
      // seed 003: 上门/见面/拜访 → 483
      terms: [
        '上门', '见面', '拜访', '面谈', '面聊', '当面', '来公司', '来我们公司', '到店', '来店', '到公司', '过来聊', '碰个面',
        '碰面', '约个时间聊', '线下', '来门店', '去您那', '去你那', '过去找你', '过去找您', '登门', '去你们公司', '到你们公司',
        '来你们公司', '去贵公司', '过去你们', '到店里', '去店里', '你们工厂',
        '去你们厂', '到你们厂', '你们厂里', '来我们车间', '展厅', '现场演示', '看一下现场', '去你们那', '到你们那', '带孩子过去', '营业厅',
        'on-site', 'onsite', 'come round', 'pop round', 'showroom', 'booth', 'your office', '你们 office',
        'meet', 'meeting in person', 'in person', 'visit', 'drop by', 'come by', 'come over', 'face to face', 'our office',
        // issue 18: a visit arranged without a method word (来门店, 看房, come see the line, send someone)
        '去门店', '到门店', '门店看', '去你们店', '到你们店', '店里看', '来店里', '办公室聊', '来我们办公室', '来办公室', '到办公室', '去你们办公室', '带我看', '试驾', 'test drive', '看样品', '看实物', '看车', '去场地', '到场地', '展会见', '广交会见', '展位', '过来开会', '过来我们', '你们过来',
        '过来看', '来我们这', '来我们厂',
        'come see', 'come and see', 'come in and', 'come and look', 'come to the store', 'come to the shop', 'come to your',
        'come to our', 'send someone', 'view the', 'viewing', 'come measure', 'come out and', 'your store',
        'your shop', 'in-person', 'meet up', 'come to the branch', 'which branch', 'pop into', 'pop in', 'come in for', 'sit down with',
        'see you at the', '参观', '上嚟', '嚟我哋', '门口见', '来我们 office', '来我们office', 'office 做', 'come to campus',
        // issue 18, third sitting: signing in person, a factory audit, seeing samples
        '面签', '验厂', '看样', 'come into the branch', 'into the branch', 'at your factory', 'factory audit',
        // a visit to see or try before buying (labelling guide §4: 带我看房, view the unit)
        '能看房', '约看房', '去看房', '带看', '睇樓', '睇楼', '实地看', 'bring her in', 'bring him in', 'bring them in', 'pop by',
        // issue 18, fifth sitting: someone sent to look, a look at the site, the shop in Cantonese
        '派人来', '派个人来', '派人过来', '去现场', '现场看', '带我去看', '嚟铺头', '来铺头', '去铺头', 'someone come out', 'measure up',
        // label review 2026-12-07 (labelling guide §4): a 面诊 or a trial lesson arranged is a visit to try
        // before buying; asking whether there are trial lessons (有没有试听课, 能试听几节) arranges nothing
        '面诊', '试听一', '一节试听', '去试听', '过去试听',
        // sixth sitting (dev-w6, rules only until 2026-12-07): a visit to the customer's or the seller's place to look, talk or try
        '来家里看', '来我家看', '来我厂里', '来我店里', '去厂里看', '去你们门店', '去你们网点', '去你们校区', '来你们校区', '去你们展厅',
        'for a drive', 'placement test', 'come in to consult', 'come in for a consult', '来 consult', '过来 consult',
        // seventh writer (2026-12-07): a measuring visit, a trial or tasting, a look at a venue, a branch visit
        '过来量', '来量一下', '来量个', '来量尺', '上门量', '来我家量', 'measure 埋', '体验课', '试课', 'trial lesson', 'a trial class', '一个 trial class', 'tasting session',
        'placement assessment', '看看场地', '看场地', '去网点', '来看看现场', '带样品过来', '样品带过来', 'factory 睇', '睇 sample', '嚟你哋',
      ],
      exclude: [
        '上门安装', '见面礼', 'visit our website', 'visit the website', 'visited the website',
        // a service call, not a conversation (labelling guide §4)
        '送货上门', '师傅上门', '几点上门', '上门费', '上门维修', '上门处理', '上门安装收', 'second visit', 'visit fee',
        // issue 18: a visit as the service bought or a past visit reported, not a conversation arranged
        '面诊费', '线上面诊', '视频面诊', '到店一看', '线下课', '线下店', '上门拉', '上门抽血', '上门修', '上门讲', '上门取', '上门服务', '上门回收', '上门做', '报线下', '到店说', 'your office phone', 'google meet',
        'visit our site', 'site visit fee',
        // picking goods up, a past viewing
        '店里拿', '去店里取', 'at viewing', 'at the viewing',
        // issue 18, fifth sitting: "send it over to look at", the visit a job already has, a code for a viewing
        '发过来看', '发过来我看', 'same visit', 'viewing code',
        // sixth sitting: goods delivered to the office, a greeting
        '送到公司', '寄到公司', '发到公司', '送到店', '到店里吗', '寄过来我们', '发过来我们', '送过来我们', 'on-site manager', 'onsite manager', 'nice to meet', 'nice to e-meet', 'e-meet', 'good to meet', 'great to meet', 'meet call',
      ],
      notInClauseWith: [
        // seventh writer: an audit the customer's own client makes, a certificate asked for
        'bsci', 'sds',
        '师傅', '師傅', '安装', '安裝', '装', '裝', '维修', '維修', '修理', '保洁', '清洗', '送货', '抽血', '体检', '快递', '搬家',
        'technician', 'engineer', 'fitter', 'installer', 'plumber', 'electrician', 'install', 'repair', 'fix the', 'service the',
        'jabs', 'vaccination', 'cleaning', 'delivery',
        // a parcel collected, a SIM swapped at the counter, someone else going
        '来修', '揽收', '取件', '寄件', 'sim swap', '补卡', '换卡', '他会自己', '她会自己', '他自己去', '她自己去',
      ],
      // …unless the visit is to talk, or to look before buying (上门看一下, 量一下, a survey).
      keptInClauseBy: ['聊', '谈', '拜访', '见面', '演示', '方案', '看看', '看一下', '量一下', '量尺', 'discuss', 'demo', 'talk', 'meet', 'quote', '报价', 'measure', 'survey', 'assess'],
    },
    {
      method: '其他',
      zhibang: 484,
      // Meetings and chats outside phone, mail and the chat apps: before 电话 so a "Teams call" is Teams.
      terms: [
        '钉钉', '飞书', '腾讯会议', '视频会议', '视频会', '钉钉视频', 'qq', '短信', 'zoom', 'google meet', 'skype', 'video call', 'sms',
        // Teams the product, not "2 more teams" (issue 18)
        'dingtalk', 'lark', 'feishu', 'on slack', 'slack connect', 'via slack', 'text me', '短信发我', 'teams invite', 'on teams', 'teams call', 'teams meeting', 'teams 上', 'teams上', 'ms teams', 'microsoft teams', 'via teams', 'over teams', 'teams link',
        'teams 找我', 'teams找我',
        // sixth sitting: a channel asked for in other words
        '发短信', '短信联系', '用slack', '用 slack', 'slack联系', 'slack 联系', 'facetime', 'teams demo', 'teams 会', 'meet call', 'google meet call',
      ],
      exclude: ['短信验证码', '短信包', '钉钉自带', '钉钉通知', '用的是钉钉', 'sms code', 'zoom class link', 'class link', '视频会员', '短信模板', '短信提醒', 'sms reminders',
        // messages a system sends, a class held on Zoom
        '短信通知', '提醒短信', '发货短信', '通知短信', 'class is on zoom', 'zoom link for',
        // issue 18, fifth sitting: a system's text received, texts as the product bought
        'got your sms', 'got an sms', 'got the sms', 'sms saying', 'sms about', 'sms with', 'sms package', 'sms bundle', '你们的 sms', '你们的sms', '你们发的短信', '你们的短信', '集成短信', '短信包',
        // seventh writer (2026-12-07): a notice's text, a ticket or renewal text, a ceremony or class held on Zoom
        'notice sms', 'code sms', 'delivery sms', 'shipping sms', '取票短信', '续保短信', '短信里的链接', '公司的短信', 'zoom ceremony', 'zoom recording', 'on zoom keeps',
      ],
      // sixth sitting: a code that does not arrive is a fault, a weekly class's link its venue (labelling guide §4)
      notInClauseWith: ['验证码', 'verification code', 'otp', 'one-time pin', '2fa', 'lesson', 'yoga', 'recording', '收不到', 'never arrive', 'every week', 'each week', '每周', '每节课', 'the class', '上课'],
      keptInClauseBy: [],
    },
    {
      method: '电话',
      zhibang: 481,
      terms: [
        '电话', '打给', '来电', '致电', '回电', '通话', '手机联系', '打我手机', '给您打', '给你打', '打个电',
        '打这个号', '打这个电话', '打俾我', '打畀我', '打过去', '打过来', '打我座机', 'call', 'calls', 'phone', 'ring me', 'give me a ring', 'calling', 'dial',
        // issue 18, fifth sitting: a call asked for or reported in other words
        'rang me', 'rang this', 'rang the', 'ring when', 'give me a buzz', 'called me', 'voicemail',
        // sixth sitting
        'give me a bell', '打你们电话', '电话里说好',
      ],
      exclude: [
        '电话费', '话费', '电话号码错', '电话销售', '骚扰电话', 'phone case', 'phone bill', 'video call',
        '电话号码换', '电话卡', '售后电话', '客服电话', '电话多少', '的电话', 'phone number',
        // issue 18: the phone as a device, a fee, a number on a form, a collector's calls
        'my phone', 'phone died', "phone's", 'phone leads', 'phone for repair', 'call-out', 'callout', 'reminder calls',
        'phone screen', 'phone repair', '催收电话', '收件人电话', '电话写错', '电话手表', '座机', '把你电话给', '电话给她', '电话给他',
        '推销电话', '电话号', '手机号', '家电话', '还打电话', '收货人电话', '电话留', '才来电',
        // the phone as the product (labelling guide §4)
        'phone cases', 'phone accessories', 'phone business', 'new phone', 'a phone', 'the phone i', 'phone field', 'phone on contract',
        // issue 18, third sitting: someone else's call reported, money transferred (打过去了)
        '快递员打电话', '快递打电话', '快递员电话', '司机打电话', '物业打电话', '打过去了', 'courier called', 'driver called',
        // the phone or its minutes as the product
        'getting calls', 'phone stand', 'phone contract', 'phone you', '通话费', '手机卡', '通话多',
        // issue 18, fifth sitting: the delivery's contact number, a phone as the offer, an intercom
        '收件电话', 'free phone', 'intercom phone',
        // sixth sitting: the customer's own call elsewhere (a filler), unwanted calls
        'was in a call', 'was on a call', 'in a call, back', 'spam call', 'spam calls', 'scam call',
        // seventh writer (2026-12-07): a phone as an object, a number on an order, the customer busy on a call, someone else's phone
        'phone holder', 'left his phone', 'left her phone', 'left my phone', '部 phone', '我部电话', '我部手机', '部电话冇电', "contractor's phone", '订单电话', 'brb in a call', 'client calls',
      ],
      // A courier's or driver's call, a phone that cannot be heard, a friend who may call.
      notInClauseWith: ['催收', 'debt collector', 'collections', '快递员', '快递小哥', '驿站', 'courier', '送货的', 'driver', '听不到', '听不见', '没声音', "can't hear", '我表姐', '我表哥', '我朋友', 'my friend', 'my cousin'],
      // …unless the customer asks for the call themselves (ring me when the courier is near).
      keptInClauseBy: ['ring me', 'call me', '给我打个', '打我电话', '打我手机'],
    },
    {
      method: '邮件',
      zhibang: 482,
      terms: ['邮件', '邮箱', '电邮', 'email', 'e-mail', 'mail', 'inbox', 'mailbox', 'emailed'],
      exclude: [
        '邮件营销', 'email marketing', 'mail order',
        // an address being changed or asked for, not contact arranged (labelling guide §4)
        '邮箱地址', '邮箱怎么改', '账单邮箱', 'email address', 'billing email', 'change the email', 'email 地址',
        // issue 18: a wrong address, a form field, a message that went astray
        'wrong email', 'email was wrong', 'email on my account', 'email field', 'email you sent', 'went to spam', '邮箱填错', '邮箱写错',
        '邮箱是', '验证码邮件', '发的邮件', '邮箱错', 'asks for an email', 'email changed', 'in a mailbox', 'fit in a mailbox', '通知邮件',
        // issue 18, third sitting: a mailbox that is down, an address that bounced
        'email is down', 'email bounced', 'mail bounced',
        // mail the customer's own system sends
        'email notification', 'email notifications', 'notification email', 'notification emails', 'email template', 'email templates', 'email sig', '邮件通知', '通知邮件模板',
        // issue 18, fifth sitting: the customer's own address given or corrected, mail as the product, a fault, an automatic confirmation
        'email 是', 'email是', 'my email on', 'email should be', 'email for the receipt', 'email in spam', 'email hosting', '邮件收不到', 'confirmation email',
        // sixth sitting: an address misspelt
        'email is wrong', 'email is misspelt', 'email is misspelled', 'email has a typo',
      ],
      // …and a mailbox a parcel should be in (sixth sitting)
      // …a mailbox a parcel should be in (sixth sitting), a login or a web form (seventh writer)
      notInClauseWith: ['bounced', '退信', '被退回', 'delivered', 'parcel', '包裹', 'login', 'contact form', 'email 打錯', 'email 打错', '邮箱打错', '地址打错', 'scam', 'legit'],
      keptInClauseBy: [],
    },
    {
      method: '微信',
      zhibang: 484,
      terms: [
        'viber', 'ig dm', 'instagram dm', 'insta dm', 'messenger', '微信', '加个v', '加v', 'vx', 'wx', 'wechat', 'whatsapp', 'telegram', '企业微信', '企微', '视频号', '拉进群', '拉个群', '拉群', '加下v',
        // issue 18, third sitting: a direct message on a social network is a chat app (labelling guide §4)
        'dm me on', 'message me on linkedin', 'inmail', '语音聊', '建个群', '建群',
        // issue 18, fifth sitting: the (WeChat) group the customer and seller share
        '群里看', '发群里', '群里发',
        // seventh writer (2026-12-07): something posted in the shared group (labelling guide §4: 群 with no app named)
        '在群里', '放群里', '群里了',
      ],
      // Paying by WeChat, or WeChat as a system to integrate, is no follow-up (labelling guide §4).
      exclude: ['微信支付', '微信转账', '微信付', 'whatsapp pay', '微信还', '微信转', '用微信', '微信红包', '微信收款', 'wechat pay', 'via wechat', '微信缴费', '用的是企业微信', '对接企业微信', '对接企微', '同步到企微', '企微的消息',
        // WeChat or WhatsApp as a system or a number, not a channel arranged
        'whatsapp business', 'whatsapp number', '聊天记录', '微信审批', '企业微信审批', '用whatsapp跟', '用 whatsapp 跟', '用whatsapp和', '用 whatsapp 和',
        // issue 18, fifth sitting: a WeChat id given, WeChat Work as the customer's system, a payment, a friend adding you, a broadcast
        '微信号就是', '就是微信号', 'whatsapp 号', 'whatsapp号', '企业微信的', '企业微信我们', '微信自动扣', '微信扣款', '微信给你转', '她加你微信', '他加你微信', '微信推给', 'whatsapp broadcast',
        // sixth sitting: the seller's contact passed on to someone else, WeChat Work to connect to
        '微信推她', '微信推他', '微信推你', '微信推荐给', '绑微信', '微信绑卡', 'whatsapp 就是', 'whatsapp就是', '物业群', '管理处群', '接企业微信', '接企微', '连企业微信', 'integrate with wechat', 'integrate with whatsapp'],
      // 飞书上拉个群: the group is on the app named (其他), unless WeChat itself is named too.
      notInClauseWith: ['飞书', '钉钉', 'lark', 'feishu', 'dingtalk', 'teams', 'slack', 'zoom', 'qq'],
      keptInClauseBy: ['微信', 'vx', 'wx', 'wechat', 'whatsapp', 'telegram', 'viber', '企业微信', '企微'],
    },
  ],
  buying: {
    terms: [
      // seed 003
      '报价', '采购', '需求', '预算',
      '多少钱', '价格', '价钱', '价位', '报个价', '询价', '单价', '总价', '费用多少', '怎么收费', '收费标准', '收费', '几个点',
      '利率', '利息', '年化', '月息', '额度', '能贷多少', '可以贷', '能贷', '想贷', '要贷', '贷多少', '贷款', '借款', '想借', '借钱',
      '下单', '订购', '订货', '购买', '想买', '要买', '批发', '优惠', '折扣', '打折', '便宜点', '团购', '起订量', '起订', '样品',
      '合同', '感兴趣', '怎么申请', '申请条件', '什么条件', '办理', '想办', '能办', '可以办', '首付', '放款', '多久能下',
      '有货吗', '有现货', '还有吗', '多少一', '怎么卖', '代理', '加盟', '试用', '方案', '啥价', '什么价', '贵不贵', '再贷', '签约',
      '预付', '尾款', '付款方式', '有什么推荐', '推荐一款',
      'quote', 'quotation', 'pricing', 'price', 'prices', 'budget', 'how much', 'cost', 'costs', 'purchase', 'buy',
      'bulk order', 'place an order', 'discount', 'rfq', 'moq', 'interest rate', 'rate', 'rates', 'loan', 'borrow',
      'interested', 'per unit', 'wholesale', 'sample', 'samples', 'demo', 'trial', 'proposal', 'in stock', 'apply',
      'pre-approved', 'afford', 'discounts', '% off', 'distributor', 'reseller', 'financing', 'purchase order',
      'still available', 'recommend',
    ],
    inquiryCues: ['了解', '咨询', '介绍', '问问', '问一下', '怎么样', '详细', '资料', '想做', '要做', '想办', '要办', '打算', '区别',
      '可以做', '能做', '几年', 'info', 'information', 'details', 'tell me about', 'learn more', 'brochure', 'catalog', 'catalogue'],
    // Loan servicing words only: 发货/物流 sit happily next to a purchase (需求很急，明天能发货吗).
    serviceCues: ['还款', '到账', '逾期', '进度', '审批', '提前还', '结清', '账单', '扣款', 'repayment', 'statement', 'overdue'],
    notNowCues: [
      // past facts
      '已经签', '签好了', '签完', '已经下', '已经付', '已经交', '已经拍', '已经买', '已经办', '已经续', '已经放款', '已经批', '已经在',
      '已经到账', '已交', '已付', '已签', '已经还', '还清了', '结清了', '上个月已经', '上周已经', '昨天已经', '已经报了', '已经找',
      'already placed', 'already paid', 'already signed', 'already renewed', 'already bought', 'already ordered', 'already got',
      'signed the', 'was signed', 'was paid', 'was made', 'we paid', 'paid off', 'went with', 'we ordered', 'we renewed', 'completed',
      // relayed
      '我朋友', '帮朋友', '帮亲戚', '帮同事', '帮邻居', '我同行', '我表哥', '我弟', '我同事', '朋友好像', '推给他', '推给她', '帮忙问',
      '让他自己', '让她自己', '让他直接', '她自己', '他自己', 'my friend', 'my cousin', 'my brother', 'my neighbour', 'my neighbor',
      'my colleague', 'might want', 'might be interested', 'may contact', "i'll intro", 'pass it on', 'passed him', 'gave him',
      // conditional, no live request
      '如果以后', '以后有需要', '如果明年', '要是明年', '再找你', '再联系', '如果有活动', '如果降价', '要是利率', '如果年后',
      'if we ever', 'if the budget', 'if leadership', 'if rates', 'if the client', 'maybe next', 'we might come back', 'revisit',
      // withdrawn or not now
      '不要了', '不贷了', '不买了', '先不', '暂时不', '暂不', '不采购', '不用备货', '算了', 'cancel my request', 'no need', 'on hold',
      'not expanding', 'not looking', "don't need", 'budget freeze', 'not now',
    ],
  },
  complaint: {
    strong: [
      '投诉', '不满意', '太差', '很差', '真差', '差评', '坏了', '破损', '破了', '故障', '质量问题', '骗子', '骗人', '被骗', '坑人',
      '坑爹', '欺骗', '乱收费', '多扣', '扣错', '发错', '少发', '漏发', '错发', '没收到', '还没收到', '还没到', '不能用', '用不了',
      '烂', '垃圾', '忽悠', '态度差', '态度太差', '生气', '失望', '举报', '曝光', '12315', '消协', '维权', '起诉', '律师', '太慢了',
      '一直没人', '没人理', '没人管', '扣了两次', '重复扣款', '多扣了', '砍头息', '到手少', '开不了机', '不开机', '黑屏', '死机',
      '没反应', '识别不了', '一直打不通', '联系不上', '坏掉', '没有收到', '还没有收到', '没到', '还没发', '没发货', '催了', '漏水', '掉漆', '划痕', '变形', '异味', '过期',
      'complaint', 'complain', 'broken', 'damaged', 'defective', 'faulty', 'not working', "doesn't work", 'stopped working',
      'wrong item', 'never arrived', "haven't received", 'not received', 'terrible', 'awful', 'disappointed',
      'unacceptable', 'scam', 'rip-off', 'ripoff', 'charged twice', 'overcharged', 'worst', 'useless', 'cracked',
      'missing', 'ridiculous', 'fraud', 'lawyer', 'report you', 'where is my package', 'where is my order',
    ],
    afterSales: [
      '维修', '退换货', '退货', '换货', '退款', '退钱', '售后', '返修', '换一个', '补发', '重新发', '退掉', '退了',
      'refund', 'return it', 'return the', 'return this', 'return them', 'want to return', 'returns', 'replacement', 'repair',
      'warranty claim', 'exchange it', 'money back', 'send a new one',
    ],
    policyCues: ['支持', '政策', '规定', '流程', '包退', '包换', '有没有', '吗', 'policy', 'do you offer', 'do you accept', 'is there', 'how long', 'do you have', 'what is your'],
    conditionalCues: ['如果', '万一', '假如', '要是', '假设', '以防', 'if', 'in case', 'what if', 'should it'],
  },
  categories: {
    terms: {
      销售线索: ['合作', '代理', '渠道', '批量', 'partnership', 'distributor', 'reseller'],
      技术支持: [
        '报错', '打不开', '登录不了', '登不上', '无法登录', '闪退', '卡顿', '安装', '设置', '配置', '连不上', '连接', '驱动', '系统',
        '升级', '更新', '接口', '对接', '密码', '验证码', '兼容', '识别不了', '扫不出', '蓝牙', '固件', 'app', '软件', '网页',
        'error', 'bug', 'crash', 'crashes', 'install', 'login', 'log in', 'password', 'api', 'integration', 'driver',
        'firmware', 'setup', 'configure', 'sync', 'reset', 'not loading', 'timeout', 'connect',
      ],
      客户服务: [
        '发票', '开票', '订单', '物流', '快递', '发货', '到账', '还款', '提前还', '结清', '进度', '审批', '修改', '地址',
        '账单', '扣款', '逾期', '合同寄', '查询', '流水', '证明', '保修', '退换货', '退货', '退款', '售后', '维修', '安装', '专票',
        'invoice', 'order status', 'tracking', 'shipping', 'delivery', 'account', 'statement', 'repayment', 'receipt',
        'address', 'cancel', 'shipped', 'warranty', 'return', 'refund', 'policy',
      ],
      产品反馈: [
        '建议', '希望', '能不能增加', '能否增加', '增加一个', '体验', '好用', '不好用', '改进', '优化', '反馈', '功能', '界面',
        '好评', '推荐给', '不错', '精美', '挺好', '很好', 'feedback', 'suggestion', 'suggest', 'feature', 'would be nice', 'wish', 'love the', 'ui',
        'improve', 'user experience',
      ],
    },
  },
  priority: {
    urgent: [
      '急', '紧急', '加急', '着急', '尽快', '马上', '立刻', '立即', '赶紧', '今天必须', '今天之内', '越快越好', '等着用', '火速',
      'urgent', 'urgently', 'asap', 'immediately', 'right away', 'today', 'emergency', 'as soon as possible', 'critical',
    ],
    calm: ['不急', '不着急', '有空', '慢慢来', '回头再说', '以后再说', 'no rush', 'no hurry', 'whenever', 'not urgent'],
    highAmount: 1_000_000,
  },
  result: {
    refused: [
      '不需要了', '不用了', '不考虑了', '不考虑', '没兴趣', '不感兴趣', '不要了', '已经办了', '办好了别家', '找别家', '别家办了',
      '不办了', '别再', '不要再', '那算了', '还是算了', '就算了', '别再联系', '别打了', '不要再打', '拉黑', '别烦', '别骚扰', '不想办了',
      'not interested', 'no thanks', 'no thank you', "we'll pass", 'pass on this', 'went with another', 'stop contacting',
      "don't contact", 'unsubscribe', 'remove me',
    ],
    considering: [
      '考虑一下', '考虑考虑', '再想想', '想一想', '商量一下', '商量商量', '回头再说', '再看看', '比较一下', '对比一下', '再说吧',
      '等等看', '过段时间', '先看看', '和老板', '跟老板', '和家里', '跟家里',
      'think about it', 'get back to you', 'discuss with', 'check with my', 'let me think', 'compare', 'not yet decided',
    ],
  },
  amount: {
    dealCues: [
      // Not 大概/左右/about: they sit before any number (年流水大概800万).
      '贷', '借', '额度', '预算', '采购', '报价', '订', '买', '总价', '合同', '金额', '需要', '想要', '批',
      'budget', 'loan', 'borrow', 'order', 'purchase', 'worth', 'quote', 'need',
    ],
    notDealCues: [
      '收入', '工资', '月薪', '年薪', '月供', '流水', '负债', '已还', '还了', '房租', '社保', '公积金', '营业额', '月入',
      'salary', 'income', 'revenue', 'rent', 'monthly payment',
    ],
  },
  productAliases: {
    信用贷: ['信用贷款', '纯信用', '无抵押贷款', '信贷', '消费贷', 'credit loan', 'personal loan', 'unsecured loan'],
    抵押贷: ['抵押贷款', '房抵', '房产抵押', '房屋抵押', '房子抵押', 'mortgage', 'secured loan', 'home equity'],
    车贷: ['汽车贷款', '车抵贷', '买车贷款', '车子贷款', 'car loan', 'auto loan', 'vehicle loan'],
    经营贷: ['经营性贷款', '经营贷款', '企业贷', '生意贷', '税贷', '发票贷', 'business loan', 'sme loan'],
  },
  summary: { maxZh: 50, maxEn: 120 },
};

/** Validate user-edited rules (from options, an imported file). Throws a ZodError listing what is wrong. */
export function parseRules(json: unknown): Rules {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  return rulesSchema.parse(value);
}

/** Like parseRules, without throwing: for an options form that shows issues inline. */
export function safeParseRules(json: unknown): ReturnType<typeof rulesSchema.safeParse> {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      value = undefined;
    }
  }
  return rulesSchema.safeParse(value);
}
