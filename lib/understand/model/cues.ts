// Cue families for the learned classifier (issue 18): groups of words and shapes that the
// labelling guide (docs/labelling-guide.md) names as the patterns behind buying, complaint, noise
// and methods — a promise not kept, a fault described plainly, a wrong invoice, an unexpected
// charge, asking again, stock or lead time, seats, 月供/分期, past, relayed or conditional
// interest, short customer facts. Each family is one feature ("q:fault"), so a word the
// training data never showed still counts through its family: that is what lets the model carry
// over to customers' words it has not seen. They are features only: the rules' own decisions
// (rules.ts) do not use them. Pure, no browser APIs; text is normalize()d (lower case, simplified).
const family = (zh: readonly string[], en: readonly string[], shapes: readonly RegExp[] = []): RegExp[] => [
  ...(zh.length ? [new RegExp(zh.join('|'), 'u')] : []),
  ...(en.length ? [new RegExp(`(?<![a-z])(?:${en.join('|')})(?![a-z])`, 'u')] : []),
  ...shapes,
];

const NUM = '(?:\\d+|[一二两三四五六七八九十几半]+)';

/**
 * The families, built on first use: a hundred-odd regular expressions the service worker would
 * otherwise construct on every wake (2.2 ms of its start, measured per module 2026-12-07), though
 * most wakes classify nothing.
 */
let built: Record<string, RegExp[]> | undefined;
const cues = (): Record<string, RegExp[]> => (built ??= buildCues());

const buildCues = (): Record<string, RegExp[]> => ({
  // a promise not kept, waiting, lateness
  promise: family(
    ['说好', '答应', '承诺', '不是说', '说了', '到现在', '还没', '还是没', '都没', '一直没', '迟迟', '怎么还', '至今', '仍然没', '没到', '没来', '没人来', '没收到', '没发', '没放款', '催了', '等了'],
    ['promised', 'supposed to', 'still', 'yet', 'never', 'no one', 'nobody', "hasn't", "haven't", "didn't", 'not arrived', 'waiting', 'overdue', 'late', 'delayed', 'no show', "didn't show", 'no-show', 'chasing'],
    [new RegExp(`${NUM}\\s*(?:天|周|个星期|个月|小时)了`, 'u'), new RegExp(`第${NUM}天`, 'u'), /\b\d+\s*(?:days|weeks|hours)\s*(?:now|later|ago|already)/u],
  ),
  // a fault described plainly
  fault: family(
    ['坏', '不转', '不亮', '不动', '打不开', '用不了', '闪退', '卡死', '卡顿', '死机', '黑屏', '漏水', '漏', '异响', '报错', '失败', '空白', '没反应', '不工作', '不能用', '断了', '裂', '碎', '掉漆', '发热', '不制冷', '不出水', '登不上', '登录不了', '打不着', '不显示', '乱码', '故障', '毛病', '问题',
     '出血', '划痕', '破了', '破损', '脏', '发霉', '起皮', '掉色', '褪色', '开裂', '变形', '松了', '生锈', '异味', '空的', '泄露', '占线', '查不到'],
    ['broken', 'broke', 'stopped', 'crash', 'crashes', 'crashing', 'keeps', "won't", "doesn't work", 'not working', 'error', 'fails', 'failed', 'failing', 'leak', 'leaking', 'dead', 'frozen', 'freezes', 'stuck', 'blank', 'cracked', 'faulty', 'defect', 'defective', 'bug', 'glitch', 'damaged', 'issue', 'problem', 'down', "can't log in", 'not loading',
     'torn', 'ripped', 'mould', 'mold', 'scratch', 'scratched', 'scratches', 'stain', 'stained', 'dent', 'dented', 'lifted', 'peeling',
     'bleeding', 'rash', 'rust', 'rusty', 'smell', 'smells', 'noisy', 'loose', 'wobbly', 'shrunk', 'faded', 'empty'],
  ),
  // wrong invoice, name, amount, item
  wrong: family(
    ['错', '不对', '少了', '少发', '漏发', '多扣', '不一致', '不是我要的', '不符', '发成', '开成', '货不对'],
    ['wrong', 'misspelt', 'misspelled', 'incorrect', 'missing', 'instead of', 'not what', 'mismatch', 'typo', 'short'],
  ),
  // not what was ordered or described
  mismatch: family(
    ['不一样', '不符', '货不对版', '跟图片', '跟视频', '跟说的', '和说的', '说的是', '写的是', '结果是', '一看是', '缩水'],
    ['different from', 'not as described', 'not the same', 'got grey', 'instead', "didn't apply", 'not what i ordered', 'ordered the', 'looks nothing like'],
  ),
  // a problem already solved, or thanks for a fix
  resolved: family(
    ['已经好了', '修好了', '解决了', '好了谢谢', '没问题了', '收到了', '到账了', '退回来了', '处理好了'],
    ['sorted', 'resolved', 'fixed now', 'works now', 'reversed', 'all good', 'arrived', 'received', 'got it'],
  ),
  // a go-ahead
  goahead: family(
    ['就按', '下单', '定了', '就要这个', '就这个', '签吧', '可以签', '安排吧', '发货吧', '走合同', '怎么付', '付款方式'],
    ["i'll take", 'go ahead', 'place it', 'place the order', "let's do", 'lets do', 'confirm the', 'book it', 'sign', 'how do i pay', 'send the invoice', "we'll take"],
  ),
  // availability of something wanted: sizes, colours, services offered, booking
  avail: family(
    ['有没有', '有吗', '能做吗', '可以做', '能不能做', '做不做', '哪款', '推荐', '合适', '预约', '报名', '有位', '有空', '还有', '什么款', '几折', '怎么办理', '怎么买', '能办'],
    ['come in', 'do you do', 'do u do', 'have this', 'got the', 'do you have', 'do u have', 'u have', 'you have', 'can i book', 'can we book', 'book', 'free on', 'are u free', 'available', 'in size', 'in stock', 'any chance', 'do you sell', 'do you offer', 'do you fit'],
  ),
  // a need or want
  want: family(
    ['想要', '需要', '想办', '想做', '打算', '要做', '想买', '想贷', '想了解', '想咨询', '给我们做', '帮我们做', '我要'],
    ['need', 'want', 'looking for', 'interested', 'keen', "we'd like", "i'd like", 'would like', 'after a', 'require', 'quote for'],
  ),
  // a charge or renewal
  charge: family(
    ['扣', '扣费', '多收', '乱收', '自动续费', '续费了', '账单', '收了', '收我', '多付', '罚息', '手续费', '滞纳金'],
    ['charged', 'billed', 'charge', 'charges', 'bill', 'deducted', 'renewed', 'auto-renew', 'overcharged', 'fee', 'fees', 'debited'],
  ),
  // sarcasm and venting
  vent: family(
    ['真棒', '真行', '呵呵', '厉害了', '服了', '无语', '太差', '垃圾', '坑', '骗', '离谱', '搞什么', '什么情况', '气死', '投诉', '差评', '失望'],
    ['great', 'thanks a lot', 'wow', 'lovely', 'brilliant', 'awesome', 'fantastic', 'ridiculous', 'joke', 'unacceptable', 'terrible', 'worst', 'disappointed', 'scam', 'seriously', 'wtf'],
    [/[🙄😡😤🤬😠👎💢]/u, /[!！?？]{2,}/u],
  ),
  // having to ask again
  again: family(
    ['又', '再次', '还要我', '又要', '反复', '几次', '多次', '一遍又一遍'],
    ['again', 'another', 'third time', 'second time', 'follow up', 'following up', 'chasing', 'once more', 'keep asking'],
    [new RegExp(`第${NUM}次`, 'u'), /\b\d+(?:st|nd|rd|th)\s+time/u],
  ),
  // an after-sales act
  afterAct: family(
    ['退款', '退货', '退钱', '换货', '换一个', '维修', '修一下', '修好', '补发', '重开', '重新开', '重发', '赔', '返修', '保修', '售后'],
    ['refund', 'return', 'replace', 'replacement', 'exchange', 'repair', 'resend', 're-send', 'reissue', 're-issue', 'fix', 'compensation', 'warranty claim', 'money back'],
  ),
  // a policy or hypothetical question
  policy: family(
    ['保修多久', '质保', '七天无理由', '政策', '能不能退', '可以退吗', '支持退', '万一', '如果坏', '包不包'],
    ['warranty', 'policy', 'guarantee', 'what if', 'in case', 'if it breaks'],
  ),
  // stock, lead time, shipping of something wanted
  stock: family(
    ['现货', '库存', '有货', '交期', '货期', '多久能发', '几天发', '发货', '到货', '起订', '最低起', '备货', '排产'],
    ['in stock', 'stock', 'lead time', 'ship', 'shipping', 'deliver', 'delivery', 'moq', 'available', 'availability', 'how fast', 'how soon'],
  ),
  // a quantity
  quantity: family(
    [],
    ['units', 'pcs', 'pieces', 'pallets', 'boxes', 'cartons', 'containers', 'tons', 'sets', 'seats', 'licences', 'licenses', 'users', 'accounts'],
    [new RegExp(`${NUM}\\s*(?:个|台|件|套|箱|吨|把|张|支|只|批|柜|托|米|平|间|位|人|个账号|个席位|个license|份)`, 'u'), /\b\d+\s*(?:x|k)\b/u],
  ),
  // adding seats, a higher plan, more
  more: family(
    ['再开', '加开', '增加', '多开', '扩容', '升级', '加购', '追加', '再来', '再要', '续费', '续约', '续一年', '加几个', '再加'],
    ['add', 'adding', 'more', 'extra', 'upgrade', 'expand', 'renew', 'renewal', 'extend', 'top up', 'another batch'],
  ),
  // price, quote, terms
  price: family(
    ['多少钱', '价格', '价钱', '报价', '单价', '优惠', '折扣', '便宜', '利率', '利息', '额度', '首付', '月供', '分期', '期数', '年化', '费用', '怎么收费', '怎么卖', '合同', '正式', '定金', '打样', '样品', '试用', '演示', '开户', '申请', '下单', '订', '买', '要'],
    ['price', 'pricing', 'quote', 'quotation', 'cost', 'rate', 'rates', 'discount', 'deal', 'offer', 'monthly', 'instalment', 'installment', 'apr', 'deposit', 'proforma', 'pi', 'contract', 'sample', 'trial', 'demo', 'order', 'buy', 'purchase', 'apply', 'sign up', 'how much', 'budget'],
  ),
  // past facts
  past: family(
    ['已经', '之前', '上个月', '上周', '去年', '早就', '签了', '付了', '交了', '买过', '买了'],
    ['already', 'last month', 'last week', 'last year', 'previously', 'signed', 'paid', 'bought', 'purchased'],
  ),
  // withdrawn or negated interest
  withdraw: family(
    ['不要了', '不用了', '不需要', '取消', '算了', '先不', '暂时不', '不考虑', '不做了', '没兴趣', '再说吧'],
    ['cancel', 'no longer', "don't need", 'not interested', 'never mind', 'nevermind', 'pass', 'hold off', 'not now', 'no thanks'],
  ),
  // relayed for someone else
  relayed: family(['朋友', '同事', '亲戚', '邻居', '表哥', '表姐', '老乡', '推给', '介绍给'], ['friend', 'cousin', 'colleague', 'neighbour', 'neighbor', 'brother', 'sister', 'refer', 'someone i know']),
  // conditional, hesitant
  conditional: family(['如果', '以后', '到时候', '考虑', '看看再说', '可能', '也许', '等明年', '有需要'], ['if', 'ever', 'maybe', 'might', 'someday', 'later', 'considering', 'think about', 'perhaps']),
  // short facts about the customer
  info: family(
    ['我们是', '我们在', '我们公司', '做了', '开了', '成立', '团队', '员工', '流水', '营业额', '年了', '家店', '门店', '本科', '在职', '社保', '公积金', '名下'],
    ['we are', "we're", 'based in', 'employees', 'staff', 'stores', 'team of', 'years', 'revenue', 'turnover', 'our company', 'we have', 'we run'],
  ),
  // greetings, thanks, acknowledgements
  ack: family(
    ['谢谢', '感谢', '好的', '收到', '嗯', '在吗', '你好', '您好', '哈哈', '明白', '了解了', '知道了', '辛苦', '稍等', 'ok', '好滴', '行'],
    ['ok', 'okay', 'thanks', 'thank you', 'thx', 'ty', 'got it', 'sure', 'noted', 'lol', 'haha', 'hi', 'hello', 'hey', 'cool', 'great thanks', 'will do', 'np', 'cheers'],
    [/^[\p{Extended_Pictographic}\s\p{P}]+$/u],
  ),
  // a channel arranged, requested or the way contact happens
  contact: family(
    ['打我', '给我打', '回电', '加我', '加个', '发我', '发给我', '联系我', '找我', '约个', '约一下', '见面', '过来', '上门', '来我们', '去你们', '视频'],
    ['call me', 'ring me', 'text me', 'email me', 'message me', 'dm me', 'reach me', 'contact me', 'send me', 'send it to', 'come by', 'come over', 'come see', 'meet', 'visit', 'catch up', 'jump on', 'hop on', 'schedule'],
  ),
  // a channel word used for something else
  channelOther: family(
    ['话费', '电话费', '手机', '微信支付', '微信转', '微信付', '支付宝', '转账', '邮箱地址', '邮箱填', '号码', '验证码'],
    ['bill', 'pay', 'payment', 'phone died', 'my phone', 'address', 'typo', 'spam', 'number', 'field', 'form'],
  ),
});

/** The families' names (the model's "q:<name>" features). */
export const cueNames = (): string[] => Object.keys(cues());

/** The cue families present in a normalized text, as feature strings ("q:fault"), and pairs that mean more together. */
export function cueFeatures(text: string): string[] {
  const on: string[] = [];
  for (const [name, res] of Object.entries(cues())) if (res.some((re) => re.test(text))) on.push(name);
  const has = (n: string) => on.includes(n);
  const out = on.map((n) => `q:${n}`);
  // A few conjunctions the guide names: a quantity with a deadline-like wait, a promise about a fault, a charge asked again.
  for (const [a, b] of [
    ['quantity', 'stock'],
    ['quantity', 'price'],
    ['more', 'quantity'],
    ['promise', 'fault'],
    ['promise', 'again'],
    ['charge', 'wrong'],
    ['past', 'price'],
    ['withdraw', 'price'],
    ['relayed', 'price'],
    ['conditional', 'price'],
    ['contact', 'channelOther'],
    ['past', 'fault'],
    ['resolved', 'fault'],
    ['want', 'quantity'],
    ['avail', 'quantity'],
    ['goahead', 'price'],
    ['ack', 'info'],
  ] as const)
    if (has(a) && has(b)) out.push(`q:${a}+${b}`);
  out.push(`q:n${Math.min(on.length, 4)}`);
  return out;
}
