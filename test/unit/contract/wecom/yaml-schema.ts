// WeCom's own API description (../shared/specs/wecom/api/*.yaml, WecomTeam/OpenApi @ 2c434450d469,
// 2023-01-10; read at test time, never copied here) turned into one OpenAPI 3.0 document in memory,
// so the shared validator (test/specs/openapi.ts: ajv, the request log, the specs report) checks
// every request the WeCom adapter sends. WeCom's YAML is not OpenAPI (SOURCES.md § WeCom): each
// file is one API with `path` (a full URL), `method`, and `request.{auth,params,body}` lists of
// {name, type, is_required, items}; type 1 string, 2 array (its item is items.properties[0]),
// 3 object (members in items.properties), 4 number, 5 file, 6 boolean.
//
// Conversion rules:
// - auth and params → query parameters (access_token, corpid, corpsecret, external_userid…);
//   body → an application/json request body whose objects allow only the members the YAML lists
//   (additionalProperties false: a member we send that WeCom does not describe is our misreading);
// - is_required: true / 'true' / 是 → required; false / 否 / anything else (the stray texts
//   SOURCES.md mentions) → not required. `normalisation` lists every value that was neither a
//   boolean nor 是/否, per file, so the reader sees what was guessed;
// - replies: only the envelope every WeCom reply has ({errcode: number, errmsg: string}) is
//   checked. The YAML's response lists are not a schema: nested members are flattened into
//   dotted names ("follow_user.tags.tag_name") and several are mistyped (createtime, type and
//   gender are type 1 string where the pages' examples are numbers).
//
// Overlay (each patch recorded in the specs report, applied with test/specs/openapi.ts overlay to
// the parsed YAML; a pointer that no longer resolves fails the load):
//   message-send-body: WwOpenAppSendMsg.yaml's request.body is empty ("各个消息类型的具体POST格式请阅后续
//     消息类型部分"): the text and markdown bodies of 消息类型 (developer.work.weixin.qq.com/document/
//     path/90236, read 2026-12-06): touser, toparty, totag, msgtype (required), agentid (required),
//     text.content / markdown.content, safe, enable_id_trans, enable_duplicate_check,
//     duplicate_check_interval.
//   item-type:<file>:<field>: an array whose item has no type (userid_list, remark_mobiles, add_tag,
//     remove_tag, tag_id, group_id); the descriptions say 字符串类型 / the examples list strings.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { missingSpecMessage, overlay, specFromDocument, specsDir, type Patch } from '../../../specs/openapi';

type Json = Record<string, any>;
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

export const WECOM_DIR = 'wecom/api';

const item = (i: number) => `/request/body/${i}/items/properties/0/type`;
const stringItem = (file: string, field: string, index: number): Patch & { file: string } => ({ file, id: `item-type:${file}:${field}`, reason: `${field}: the array item has no type; the description says 字符串类型 and the page's example lists strings`, op: 'add', path: item(index), value: 1 });

const text = (name: string, required: boolean, description: string) => ({ name, type: 1, is_required: required, description });
/** The overlay, per file. */
export const WECOM_PATCHES: (Patch & { file: string })[] = [
  {
    file: 'WwOpenAppSendMsg.yaml',
    id: 'message-send-body',
    reason: 'request.body is empty in the YAML; text and markdown bodies from 消息类型, developer.work.weixin.qq.com/document/path/90236 (read 2026-12-06)',
    op: 'replace',
    path: '/request/body',
    value: [
      text('touser', false, '成员ID列表，多个接收者用‘|’分隔，最多支持1000个'),
      text('toparty', false, '部门ID列表'),
      text('totag', false, '标签ID列表'),
      text('msgtype', true, 'text | markdown'),
      { name: 'agentid', type: 4, is_required: true, description: '企业应用的id' },
      { name: 'text', type: 3, is_required: false, items: { properties: [text('content', true, '消息内容，最长不超过2048个字节')] } },
      { name: 'markdown', type: 3, is_required: false, items: { properties: [text('content', true, 'markdown内容，最长不超过2048个字节')] } },
      { name: 'safe', type: 4, is_required: false },
      { name: 'enable_id_trans', type: 4, is_required: false },
      { name: 'enable_duplicate_check', type: 4, is_required: false },
      { name: 'duplicate_check_interval', type: 4, is_required: false, description: '默认1800s，最大不超过4小时' },
    ],
  },
  stringItem('BatchGetExternalContactByUser.yaml', 'userid_list', 0),
  stringItem('RemarkExternalContact.yaml', 'remark_mobiles', 5),
  stringItem('MarkExternalContactTag.yaml', 'add_tag', 2),
  stringItem('MarkExternalContactTag.yaml', 'remove_tag', 3),
  stringItem('GetExternalContactTag.yaml', 'tag_id', 0),
  stringItem('GetExternalContactTag.yaml', 'group_id', 1),
];

interface BaseType {
  name?: string;
  type?: number;
  is_required?: unknown;
  items?: { properties?: BaseType[] };
}

export interface Normalised {
  file: string;
  field: string;
  value: unknown;
}

function required(v: unknown, file: string, field: string, odd: Normalised[]): boolean {
  if (v === true || v === 'true' || v === '是') return true;
  if (!(v === false || v === 'false' || v === '否' || v === undefined)) odd.push({ file, field, value: v });
  return false;
}

function schemaOf(b: BaseType, file: string, at: string, odd: Normalised[]): Json {
  const props = b.items?.properties ?? [];
  switch (b.type) {
    case 1: return { type: 'string' };
    case 4: return { type: 'number' };
    case 6: return { type: 'boolean' };
    case 2: return { type: 'array', ...(props[0] ? { items: schemaOf(props[0], file, `${at}[]`, odd) } : {}) };
    case 3: return objectOf(props, file, at, odd);
    default: return {}; // no type (or 5 file): not constrained
  }
}

function objectOf(fields: BaseType[], file: string, at: string, odd: Normalised[]): Json {
  const properties: Json = {};
  const req: string[] = [];
  for (const f of fields) {
    if (!f.name) continue;
    const where = at ? `${at}.${f.name}` : f.name;
    properties[f.name] = schemaOf(f, file, where, odd);
    if (required(f.is_required, file, where, odd)) req.push(f.name);
  }
  return { type: 'object', properties, additionalProperties: false, ...(req.length ? { required: req } : {}) };
}

export interface WecomDescription {
  /** The OpenAPI document built from every file. */
  doc: Json;
  files: number;
  operations: number;
  normalisation: Normalised[];
  /** "METHOD path" defined by more than one file: the first (by file name) is kept. */
  duplicates: string[];
  /** Files with no usable path or method (an empty `path: ''` in the 2023 snapshot): no operation. */
  unusable: string[];
  applied: (Patch & { file: string })[];
}

/** Every YAML file of the folder converted; throws the shared "missing" message when the folder is absent. */
export function convertWecomYaml(dir = resolve(specsDir(), WECOM_DIR)): WecomDescription {
  if (!existsSync(dir)) throw new Error(missingSpecMessage(WECOM_DIR));
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  if (!files.length) throw new Error(missingSpecMessage(`${WECOM_DIR}/*.yaml`));
  const paths: Json = {};
  const normalisation: Normalised[] = [];
  const duplicates: string[] = [];
  const applied: (Patch & { file: string })[] = [];
  const unusable: string[] = [];
  let operations = 0;
  for (const file of files) {
    const parsed = yaml.load(readFileSync(resolve(dir, file), 'utf8')) as Json;
    const patches = WECOM_PATCHES.filter((p) => p.file === file);
    const api = overlay(parsed, patches);
    applied.push(...patches);
    const raw = String(api.path ?? '').trim();
    const method = String(api.method ?? '').trim().toLowerCase();
    if (!/^https:\/\//.test(raw) || !['get', 'post'].includes(method)) {
      unusable.push(`${file} (path ${JSON.stringify(raw)}, method ${JSON.stringify(method)})`);
      continue;
    }
    const url = new URL(raw);
    const key = `${method.toUpperCase()} ${url.pathname}`;
    if (paths[url.pathname]?.[method]) {
      duplicates.push(`${key} (${file})`);
      continue;
    }
    const req = (api.request ?? {}) as { auth?: BaseType[]; params?: BaseType[]; body?: BaseType[] };
    const parameters = [...(req.auth ?? []), ...(req.params ?? [])]
      .filter((p) => p.name)
      .map((p) => ({ name: p.name!, in: 'query', required: required(p.is_required, file, `query ${p.name}`, normalisation), schema: schemaOf(p, file, p.name!, normalisation) }));
    const body = (req.body ?? []).filter((b) => b.name);
    const bodySchema = body.length ? objectOf(body, file, '', normalisation) : undefined;
    paths[url.pathname] ??= {};
    paths[url.pathname][method] = {
      operationId: String(api.operationid ?? file),
      summary: `${String(api.summary ?? '')} (${file})`,
      parameters,
      ...(bodySchema ? { requestBody: { required: true, content: { 'application/json': { schema: bodySchema } } } } : {}),
      responses: {
        '200': { description: 'errcode envelope', content: { 'application/json': { schema: { type: 'object', required: ['errcode'], properties: { errcode: { type: 'number' }, errmsg: { type: 'string' } } } } } },
      },
    };
    operations += 1;
  }
  const doc = { openapi: '3.0.3', info: { title: `WeCom API YAML (${files.length} files)`, version: '2023-01-10' }, servers: [{ url: 'https://qyapi.weixin.qq.com' }], paths };
  return { doc, files: files.length, operations, normalisation, duplicates, unusable, applied };
}

/** The shared validator's Spec for the converted document (specs report names the patches). */
export async function wecomSpec() {
  const d = convertWecomYaml();
  const spec = await specFromDocument(`${WECOM_DIR}/*.yaml`, d.doc, []);
  // specFromDocument records the patches it applies; ours were applied to the YAML, so name them here.
  return Object.assign(spec, { applied: d.applied }) as typeof spec & { applied: readonly Patch[] };
}
