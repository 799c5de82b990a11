// Message understanding: pure functions, rules as data (see rules.ts). Import from here.
export { understand, analyzeMessage } from './understand';
export type { Understanding, UnderstandOptions, MessageSignals, Evidence, AnalyzeContext } from './understand';
export { DEFAULT_RULES, parseRules, safeParseRules, rulesSchema, CATEGORIES, PRIORITIES, ZHIBANG_SORTS } from './rules';
export type { Rules, Category, Priority, ZhibangSort } from './rules';
export { extractAmounts, chineseNumber } from './amount';
export type { Amount } from './amount';
export { findTime, DEFAULT_TIME_ZONE } from './datetime';
export type { TimeMention } from './datetime';
export { findProducts } from './product';
export { normalize } from './normalize';
export { zhibangSort } from './method';
export { clip } from './summary';
// The learned classifier (issue 18): weights load on first loadModel(), never at import.
export { loadModel, UnderstandModel } from './model/classify';
export type { Classification } from './model/classify';
export { refineWithModel } from './model/refine';
