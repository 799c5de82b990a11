// WriteOptions.fields → 智邦 form fields. 智邦 has no API that lists its fields, so the ones a
// template may write are the documented form fields (help.ashx; shared/reference/crm-apis.md):
// the customer form (fields.ts EDITABLE_FIELDS, minus khid: the ERP owns 客户编号), the 洽谈进展
// form and the 项目/商机 form. Every value travels as a string; enum fields (客户来源 ly, 行业
// trade, 价值评估 jz, 洽谈方式 sort) take the ERP's option id, so a name is translated through the
// installation's own list (enums.ts) and an unknown one is refused; money, dates and schedule
// times are written the way the forms take them. A name outside the list is sent as it is: the
// ERP answers "无法识别的字段[x]", which names it. ord/khid/links/session are Liaison's.
import type { CrmField, CrmFieldList, FieldSection } from '../port';
import {
  conversionError, hasFields, optionError, refuseReserved, toDay, toInstant, toNumber, toText, type TemplateFields, type TemplateValue,
} from '../template-values';
import type { ZhibangClient } from './client';
import { ENUM_IDS, enumWarning, loadEnum, softEnumFailure } from './enums';
import { clip } from './fields';
import { erpDateTime } from './erp-time';

const V = '智邦ERP';

type Kind = 'text' | 'longtext' | 'enum' | 'number' | 'date' | 'datetime' | 'choice';
interface FormField {
  name: string;
  label: string;
  type: Kind;
  /** Enum list id (source.asp?enumid=N) for 'enum'. */
  enumid?: number;
  /** Allowed values for 'choice'. */
  choices?: string[];
  /** Longest value the form takes (long text is clipped to it, as Liaison's own values are). */
  max?: number;
}

const CUSTOMER: FormField[] = [
  { name: 'name', label: '客户名称', type: 'text' },
  { name: 'person_name', label: '联系人', type: 'text' },
  { name: 'sort1', label: '跟进程度', type: 'text' },
  { name: 'ly', label: '客户来源', type: 'enum', enumid: ENUM_IDS.source },
  { name: 'trade', label: '行业', type: 'enum', enumid: ENUM_IDS.trade },
  { name: 'jz', label: '价值评估', type: 'enum', enumid: ENUM_IDS.value },
  { name: 'area', label: '区域', type: 'text' },
  { name: 'address', label: '地址', type: 'text' },
  { name: 'sex', label: '性别', type: 'text' },
  { name: 'job', label: '职务', type: 'text' },
  { name: 'phone', label: '电话', type: 'text' },
  { name: 'mobile', label: '手机', type: 'text' },
  { name: 'email', label: '邮箱', type: 'text' },
  { name: 'qq', label: 'QQ', type: 'text' },
  { name: 'weixinAcc', label: '微信', type: 'text' },
  { name: 'product', label: '客户简介', type: 'longtext', max: 4000 },
  { name: 'c4', label: '跟进策略', type: 'text' },
  { name: 'intro', label: '备注', type: 'longtext', max: 4000 },
  { name: 'faren', label: '法人代表 / 所在单位', type: 'text' },
  { name: 'pym', label: '拼音码', type: 'text' },
];

const FOLLOW_UP: FormField[] = [
  { name: 'intro', label: '洽谈内容', type: 'longtext', max: 1000 }, // follow-up.ts INTRO_MAX
  { name: 'sort', label: '洽谈方式', type: 'enum', enumid: ENUM_IDS.followUpMethod },
  { name: 'plantype', label: '日程（0 无 / 1 待办 / 2 已办）', type: 'choice', choices: ['0', '1', '2'] },
  { name: '@title1', label: '待办日程主题', type: 'text', max: 100 },
  { name: '@ret_0', label: '待办日程开始', type: 'datetime' },
  { name: '@ret_1', label: '待办日程结束', type: 'datetime' },
  { name: '@title2', label: '已办日程主题', type: 'text', max: 100 },
  { name: '@ret2_0', label: '已办日程开始', type: 'datetime' },
  { name: '@ret2_1', label: '已办日程结束', type: 'datetime' },
  { name: '@intro2', label: '已办日程内容', type: 'longtext', max: 1000 },
  { name: '@remind', label: '提醒（0 提醒 / 1 不提醒）', type: 'choice', choices: ['0', '1'] },
  { name: '@cateid', label: '执行人', type: 'text' },
];

const DEAL: FormField[] = [
  { name: 'title', label: '项目名称', type: 'text', max: 100 },
  { name: 'money', label: '金额', type: 'number' },
  { name: 'date1', label: '日期', type: 'date' },
  { name: 'intro', label: '备注', type: 'longtext', max: 4000 },
];

export const FORM_FIELDS: Record<FieldSection, FormField[]> = { customer: CUSTOMER, followUp: FOLLOW_UP, deal: DEAL };

const SESSION = ['session', 'cmdkey', 'datas'];
const RESERVED: Record<FieldSection, Record<string, string>> = {
  customer: { ord: 'the customer id', khid: 'the ERP’s own 客户编号', intsort: 'the customer type set in the connection', sort2: 'the customer type set in the connection', sort: 'the customer category set in the connection' },
  followUp: { ord: 'the link to the customer', lead: 'the link to a contact' },
  deal: { company: 'the link to the customer', ord: 'the record id' },
};

export function reservedField(section: FieldSection, name: string): string | undefined {
  if (SESSION.includes(name)) return 'the session of the call';
  return RESERVED[section][name];
}

/** The documented form fields a template may write; no request (智邦 has no field-list API). */
export function listFields(): CrmFieldList {
  const out: CrmFieldList = {};
  for (const [section, fields] of Object.entries(FORM_FIELDS) as [FieldSection, FormField[]][]) {
    out[section] = fields.map((f): CrmField => ({ name: f.name, label: f.label, type: f.type, ...(f.choices ? { options: [...f.choices] } : {}) }));
  }
  return out;
}

/** An 11-digit mainland mobile however it was typed (+86 138-0013-8000 → 13800138000); others unchanged. */
function mobileOf(v: string): string {
  const digits = v.replace(/[\s\-()]/g, '');
  const m = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(digits);
  return m ? m[1]! : v.trim();
}

/** The option id; undefined (with a warning) when the list could not be read (enums.ts). */
async function enumValue(client: ZhibangClient, now: () => number, f: FormField, v: string, warnings: string[], signal?: AbortSignal): Promise<string | undefined> {
  let options;
  try {
    options = await loadEnum(client, f.enumid!, now, signal);
  } catch (err) {
    if (!softEnumFailure(err)) throw err;
    warnings.push(enumWarning(f.enumid!, 'lookup'));
    return undefined;
  }
  const hit = options.find((o) => o.id === v) ?? options.find((o) => o.name === v);
  if (!hit) throw optionError(V, f.name, v, options.map((o) => o.name));
  return hit.id;
}

async function formValue(client: ZhibangClient, now: () => number, f: FormField | undefined, name: string, v: TemplateValue, warnings: string[], signal?: AbortSignal): Promise<string | undefined> {
  const text = toText(v).trim();
  if (!f) return name === 'mobile' ? mobileOf(text) : text;
  switch (f.type) {
    case 'enum':
      return enumValue(client, now, f, text, warnings, signal);
    case 'choice':
      if (!f.choices!.includes(text)) throw optionError(V, name, text, f.choices!);
      return text;
    case 'number': {
      const n = toNumber(V, name, v);
      if (n < 0) throw conversionError(V, name, 'number', 'not below 0');
      return n.toFixed(2);
    }
    case 'date':
      return toDay(V, name, v);
    case 'datetime':
      return erpDateTime(toInstant(V, name, v));
    case 'longtext':
      return clip(text, f.max ?? 4000);
    default:
      return name === 'mobile' ? mobileOf(text) : text;
  }
}

/**
 * Refuses Liaison's own fields; the values as the section's form takes them. An enum field whose
 * option list cannot be read is left out, with a warning pushed to `warnings` (issue 15 item 7).
 */
export async function templateFields(
  client: ZhibangClient,
  now: () => number,
  section: FieldSection,
  fields: TemplateFields | undefined,
  signal?: AbortSignal,
  warnings: string[] = [],
): Promise<Record<string, string>> {
  refuseReserved(V, fields, (name) => reservedField(section, name));
  if (!hasFields(fields)) return {};
  const known = new Map(FORM_FIELDS[section].map((f) => [f.name, f]));
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(fields)) {
    const value = await formValue(client, now, known.get(name), name, v, warnings, signal);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
