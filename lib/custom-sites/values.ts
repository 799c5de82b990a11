// Turning what a definition points at into a value: the regular expression that cuts it and the
// time format that reads it. Checked here (one place for the options form, the schema and the
// reader) and content-script safe: no zod, no DOM.

/** Longest regular expression a definition may carry. */
export const MAX_RE = 200;
/** A value is cut to this many characters before a regular expression runs on it. */
export const MAX_RE_INPUT = 500;

/**
 * Why a user's regular expression is refused, or null when it is fine: it must compile, have
 * exactly one capture group, and have no shape that can backtrack without end on a short input
 * (a repeated group that itself repeats or alternates, as in `(a+)+` or `(a|aa)*`; a back
 * reference). The reader also cuts its input to MAX_RE_INPUT characters.
 */
export function regexProblem(re: string): { zh: string; en: string } | null {
  if (re.length > MAX_RE) return { zh: `正则表达式太长（最多 ${MAX_RE} 个字符）`, en: `regular expression too long (at most ${MAX_RE} characters)` };
  let compiled: RegExp;
  try {
    compiled = new RegExp(re);
  } catch {
    return { zh: '正则表达式写法有误', en: 'the regular expression does not compile' };
  }
  const groups = (new RegExp(`${compiled.source}|`).exec('')?.length ?? 1) - 1;
  if (groups !== 1) return { zh: `正则表达式需要恰好一个捕获组 ( )，现有 ${groups} 个`, en: `the regular expression needs exactly one capture group ( ), it has ${groups}` };
  if (/\\[1-9]|\\k</.test(re)) return { zh: '正则表达式不能使用反向引用', en: 'back references are not allowed in the regular expression' };
  if (nestedRepeat(re)) {
    return { zh: '正则表达式含有嵌套重复（如 (a+)+），可能卡住页面', en: 'the regular expression repeats a repeating group (like (a+)+), which can hang the page' };
  }
  return null;
}

/** A quantified group that contains a quantifier or an alternation. */
function nestedRepeat(re: string): boolean {
  const stack: { quant: boolean; alt: boolean }[] = [{ quant: false, alt: false }];
  const isRepeat = (i: number) => re[i] === '*' || re[i] === '+' || (re[i] === '{' && /^\{\d*,\d*\}|^\{\d*[2-9]\d*\}|^\{\d{2,}\}/.test(re.slice(i)));
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // a class: skip to its unescaped end
      for (i++; i < re.length && re[i] !== ']'; i++) if (re[i] === '\\') i++;
      continue;
    }
    const top = stack[stack.length - 1]!;
    if (c === '(') {
      stack.push({ quant: false, alt: false });
      if (re[i + 1] === '?') i++; // (?: (?= (?<name>: not a quantifier
      continue;
    }
    if (c === ')') {
      const g = stack.length > 1 ? stack.pop()! : top;
      const repeated = isRepeat(i + 1);
      if (repeated && (g.quant || g.alt)) return true;
      const parent = stack[stack.length - 1]!;
      parent.quant ||= g.quant || repeated;
      continue;
    }
    if (c === '|') top.alt = true;
    else if (isRepeat(i)) top.quant = true;
  }
  return false;
}

/** The value cut by the regular expression (its capture group), or the value when there is none. */
export function cutter(re: string | undefined): (value: string) => string | undefined {
  if (!re) return (v) => v;
  let compiled: RegExp | null = null;
  // The reader runs what the background validated; a definition that slipped past reads nothing.
  if (!regexProblem(re)) compiled = new RegExp(re);
  return (v) => {
    if (!compiled) return undefined;
    const m = compiled.exec(v.slice(0, MAX_RE_INPUT));
    const got = m?.[1]?.trim();
    return got ? got : undefined;
  };
}

// ---- times ---------------------------------------------------------------------------------

export const TIME_FORMATS = ['iso', 'epoch-s', 'epoch-ms'] as const;
const TOKENS = /YYYY|MM|DD|HH|mm|ss/g;

/** Why a time format is refused, or null. */
export function timeFormatProblem(format: string): { zh: string; en: string } | null {
  if ((TIME_FORMATS as readonly string[]).includes(format)) return null;
  const bad = { zh: '时间格式：iso、epoch-s、epoch-ms，或由 YYYY MM DD HH mm ss 组成的格式，如 YYYY-MM-DD HH:mm', en: 'time format: iso, epoch-s, epoch-ms, or a pattern of YYYY MM DD HH mm ss such as YYYY-MM-DD HH:mm' };
  if (format.length > 40) return bad;
  const tokens: string[] = format.match(TOKENS) ?? [];
  if (new Set(tokens).size !== tokens.length) return bad;
  // Between the tokens: separators only (no letters, which would be tokens we do not know).
  if (/[A-Za-z]/.test(format.replace(TOKENS, '').replace(/T/g, ''))) return bad;
  const has = (t: string) => tokens.includes(t);
  if (!(has('HH') && has('mm')) && !(has('MM') && has('DD'))) return bad;
  return null;
}

/**
 * Epoch ms from a time value, or undefined. A pattern is read in the browser's time zone; a
 * pattern without the year is this year, without the date today (a chat shows "10:02" for today).
 */
export function parseTime(value: string, format = 'iso', now = new Date()): number | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (format === 'iso') {
    const at = Date.parse(v);
    return Number.isFinite(at) ? at : undefined;
  }
  if (format === 'epoch-s' || format === 'epoch-ms') {
    if (!/^\d{1,16}(\.\d+)?$/.test(v)) return undefined;
    const n = Number(v) * (format === 'epoch-s' ? 1000 : 1);
    return Number.isFinite(n) ? Math.trunc(n) : undefined;
  }
  if (timeFormatProblem(format)) return undefined;
  const order: string[] = [];
  const source = format
    .split(TOKENS)
    .map((sep) => sep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*'))
    .reduce((acc, sep, i, seps) => {
      if (i === seps.length - 1) return acc + sep;
      const token = format.match(TOKENS)![i]!;
      order.push(token);
      return acc + sep + (token === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})');
    }, '');
  const m = new RegExp(`^${source}$`).exec(v.slice(0, 100)) ?? new RegExp(source).exec(v.slice(0, 100));
  if (!m) return undefined;
  const part = (t: string, dflt: number) => {
    const i = order.indexOf(t);
    return i < 0 ? dflt : Number(m[i + 1]);
  };
  const y = part('YYYY', now.getFullYear());
  const mo = part('MM', now.getMonth() + 1);
  const d = part('DD', now.getDate());
  const h = part('HH', 0);
  const mi = part('mm', 0);
  const s = part('ss', 0);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(y, mo - 1, d, h, mi, s);
  // 31.02 rolls over to March: a date the calendar does not have is not read.
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return undefined;
  return date.getTime();
}
