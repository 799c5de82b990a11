// One canonical form for matching: chats mix full-width (１３８, ＷＩＦＩ, ，), upper case and
// some traditional characters (HK/TW customers, some input methods). Matching terms against
// this form means rules are written once, in simplified lower case.

/**
 * Traditional → simplified for the characters our rule words use. Not a general converter:
 * opencc-js's t2cn is (109 kB minified, 52 kB gzipped, into the background bundle, and its phrase
 * rules can change lengths, which would break the positions every matcher relies on). Compared on
 * the corpus (scripts/understand/compare-t2s.ts), the rules saw the same signals either way;
 * the characters opencc converted and this table missed were added here.
 * Each pair is one UTF-16 unit each, so positions in the normalized text stay meaningful.
 */
const T2S: Record<string, string> = Object.fromEntries(
  [
    '電电', '話话', '郵邮', '價价', '錢钱', '貸贷', '買买', '賣卖', '購购', '採采', '額额', '預预', '訴诉', '維维', '換换', '貨货',
    '還还', '點点', '號号', '週周', '後后', '見见', '訪访', '會会', '問问', '題题', '報报', '費费', '約约', '經经', '營营', '車车',
    '無无', '沒没', '別别', '時时', '間间', '禮礼', '個个', '萬万', '億亿', '裡里', '這这', '麼么', '們们', '給给', '聯联', '繫系',
    '發发', '滿满', '壞坏', '線线', '單单', '應应', '談谈', '過过', '現现', '開开', '關关', '機机', '門门', '優优', '惠惠', '擔担',
    '質质', '詢询', '諮咨', '務务', '樣样', '貨货', '這这', '嗎吗', '啓启', '啟启', '謝谢', '再再', '見见', '幫帮', '請请', '說说',
    '與与', '為为', '專专', '業业', '產产', '辦办', '理理', '險险', '約约', '訂订', '單单', '收收', '據据', '統统', '態态', '慢慢',
    '還还', '錯错', '壓压', '異异', '邊边', '麵面', '臉脸', '銷销', '歸归', '補补', '寄寄', '郵邮', '東东', '幾几', '兩两', '塊块',
    '後后', '鐘钟', '晚晚', '節节', '達达', '歲岁', '擇择', '據据', '換换', '漲涨', '積积', '類类', '騙骗', '讓让', '氣气',
    // issue 18: what opencc-js (t2cn) converted and this table missed on the dev part and the
    // comparison's own sentences (scripts/understand/compare-t2s.ts), and a few common ones
    '團团', '隊队', '敗败', '來来', '煩烦', '帳账', '當当', '師师', '張张', '顏颜', '圖图', '貴贵', '軟软', '體体',
    '裝装', '處处', '餘余', '禮礼', '貼贴', '運运', '輸输', '員员', '麼么', '嗎吗', '試试', '課课', '學学', '費费', '資资',
    '權权', '專专', '層层', '庫库', '廠厂', '樓楼', '廣广', '場场', '實实', '際际', '鑰钥', '鎖锁', '燈灯', '門门',
  ].map((p) => [p[0]!, p[1]!]),
);

/** NFKC (full-width → half-width: ＡＢＣ１２３，￥ → ABC123,¥), lower case, traditional → simplified. */
const T2S_RE = new RegExp(`[${Object.keys(T2S).join('')}]`, 'gu');

export function normalize(text: string): string {
  // Plain ASCII/CJK text is the common case and NFKC of it is itself: skip the work.
  const s = (/[\uff00-\uffef\u3000\u2000-\u206f\u00a0-\u00ff]/u.test(text) ? text.normalize('NFKC') : text).toLowerCase();
  // Curly apostrophes (don’t) are what phones type; rules say don't.
  return s.replace(T2S_RE, (ch) => T2S[ch] ?? ch).replace(/[\u2018\u2019\u02bc]/g, "'");
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const LATIN_WORD = /[a-z0-9]+(?:['.][a-z0-9]+)*/giu;

/** Is the character CJK (for word boundaries and length units)? */
export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

/**
 * Length in "units": a CJK character or a Latin word (or number) is one unit each.
 * Seed 003's min_message_length 10 was written for Chinese; counting an English word as one
 * unit makes "we need 20 units by Friday" and "我们周五前需要二十台" weigh about the same.
 */
export function units(text: string): number {
  let n = 0;
  for (const ch of text) if (CJK.test(ch)) n++;
  const words = text.replace(/[\u3400-\u9fff\uf900-\ufaff]/gu, ' ').match(LATIN_WORD);
  return n + (words ? words.length : 0);
}

/** Does the text read as Chinese (for the summary's length limit and separator)? */
export function isMostlyChinese(text: string): boolean {
  let cjk = 0;
  let latin = 0;
  for (const ch of text) {
    if (CJK.test(ch)) cjk++;
    else if (/[a-z]/i.test(ch)) latin++;
  }
  // An English word is ~5 letters; compare words with characters.
  return cjk > 0 && cjk >= latin / 5;
}
