// Vendors' own OpenAPI files as a contract for the requests our adapters send and the replies our
// emulators give. The files live in ../shared/specs (SOURCES.md there says where each came from
// and its known defects); they are read at test time and never copied into this repository.
//
// API (all a contract test needs):
//   const pd = await loadSpec('pipedrive.v2.yaml', { patches });  // parse, overlay, dereference
//   const { fetch, log } = await validatingFetch('pipedrive', [pdV1, pd], { base }); // wrap the adapter's fetch
//                                              // (records go to the specs-mode report unless report: false)
//   ... run the adapter with `fetch` against the emulator ...
//   expect(log.errors()).toEqual([]);          // every request (and declared reply) as the vendor types it
//   log.counts()                               // { validated, violations, uncovered, replies }
//   log.uncovered                              // "METHOD /path" no operation covers: listed, never passed
//   spec.check(method, url, body, headers?)    // one request by hand (tests of the validator itself)
//   spec.checkReply(method, url, status, body) // one reply by hand
//   specsDir(), specsAvailable(file), specsRequired(): where the files are; whether the run needs them
//   overlay(doc, patches): the recorded edits, each { id, reason, op, path (JSON pointer), value }
//
// The validator is ajv (+ ajv-formats): OpenAPI 3.0 files through draft-07 with `nullable`, 3.1
// files through draft 2020-12. Operations are matched by method and path: the server's base path
// (`https://api.pipedrive.com/api/v2` → `/api/v2`) then the path template, the most literal
// template winning (`/persons/search` before `/persons/{id}`); the host is ignored, so requests to
// an emulator on loopback match. Checked per request: path and query parameters (coerced from
// text by the schema's type; form/explode arrays), query keys the operation does not declare
// (apiKey-in-query credentials excepted), credentials of a scheme the operation accepts, the JSON
// body (or its absence where the spec requires one). Checked per reply: the body against the
// declared status, `NXX` range or `default`; a 2xx the operation does not declare while it
// declares others is drift; other undeclared statuses (429, 5xx faults) are not checked.
//
// Specs mode (`npm run test:specs`, LIAISON_SPECS_MODE=1): a missing file fails the run, naming
// it; every log appends its records to LIAISON_SPECS_REPORT, which the global set-up sums per
// vendor at the end. Ordinary runs (`npm test`): a present file is used the same way; a missing
// one leaves the fetch unwrapped, says so once on stderr, and `log.available` is false (CI has
// ../shared/specs, so there it is always checked).
import { appendFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

const REPO = resolve(import.meta.dirname, '../..');

/** Where the vendors' files are: LIAISON_SPECS_DIR, else ../shared/specs beside the repository. */
export function specsDir(): string {
  return process.env.LIAISON_SPECS_DIR ? resolve(process.env.LIAISON_SPECS_DIR) : resolve(REPO, '../shared/specs');
}
/** True in `npm run test:specs`: a missing file is an error, not a skipped check. */
export function specsRequired(): boolean {
  return process.env.LIAISON_SPECS_MODE === '1';
}
export function specsAvailable(file?: string): boolean {
  return existsSync(file ? resolve(specsDir(), file) : specsDir());
}
export function missingSpecMessage(file: string): string {
  return `Vendor API description missing: ${resolve(specsDir(), file)}. The contract checks read the vendors' own files from ../shared/specs (beside this repository; see its SOURCES.md for where each file comes from and how to get it again) or from the folder in LIAISON_SPECS_DIR. Put the shared folder beside the repository or set LIAISON_SPECS_DIR; never copy the files into the repository.`;
}

// ---------------------------------------------------------------- overlay

/** One recorded edit of a vendor file: why (the vendor doc or SOURCES.md defect) and where (RFC 6901 pointer). */
export interface Patch {
  id: string;
  reason: string;
  op: 'replace' | 'add' | 'remove';
  /** JSON pointer into the whole document, e.g. `/components/schemas/Foo/required`. */
  path: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`overlay: "${path}" is not a JSON pointer`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Applies patches in order to `doc` (in place) and returns it; a pointer that does not resolve throws (a patch must never silently miss). */
export function overlay<T extends Json>(doc: T, patches: readonly Patch[]): T {
  for (const p of patches) {
    const keys = pointer(p.path);
    const last = keys.pop();
    if (last === undefined) throw new Error(`overlay ${p.id}: cannot patch the document root`);
    let at: any = doc;
    for (const k of keys) {
      if (at == null || typeof at !== 'object' || !(k in at)) throw new Error(`overlay ${p.id}: ${p.path} does not exist in the file (has the vendor fixed it? then drop the patch)`);
      at = at[k];
    }
    if (at == null || typeof at !== 'object') throw new Error(`overlay ${p.id}: ${p.path} has no parent object`);
    if (Array.isArray(at) && p.op === 'add' && last === '-') at.push(structuredClone(p.value));
    else if (p.op === 'add') {
      if (Array.isArray(at)) at.splice(Number(last), 0, structuredClone(p.value));
      else at[last] = structuredClone(p.value);
    } else {
      if (!(last in at)) throw new Error(`overlay ${p.id}: ${p.path} does not exist in the file (has the vendor fixed it? then drop the patch)`);
      if (p.op === 'remove') Array.isArray(at) ? at.splice(Number(last), 1) : delete at[last];
      else at[last] = structuredClone(p.value);
    }
  }
  return doc;
}

// ---------------------------------------------------------------- loading

export interface LoadOptions {
  patches?: readonly Patch[];
  /** Absolute-URL $ref prefixes mapped to folders under the specs dir (Zoho's files refer to each other by raw GitHub URL). */
  urlMap?: Record<string, string>;
}

export interface Operation {
  method: string;
  /** The path template as the file spells it, e.g. `/persons/{id}`. */
  template: string;
  /** "METHOD template (file)", the name records carry. */
  name: string;
  op: Json;
  params: Record<string, string>;
}

export interface Check {
  operation?: Operation;
  errors: string[];
}

const FORMAT_RANGES: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024] };

function makeAjv(v31: boolean) {
  const opts = { strict: false, allErrors: true, validateFormats: true, discriminator: false, logger: false as const };
  const ajv = v31 ? new Ajv2020(opts) : new Ajv(opts);
  addFormats(ajv as unknown as Ajv);
  for (const [name, [min, max]] of Object.entries(FORMAT_RANGES)) ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
  for (const name of ['float', 'double']) ajv.addFormat(name, { type: 'number', validate: () => true });
  // OpenAPI's own string formats carry no constraint a validator can check.
  for (const name of ['byte', 'binary', 'password', 'html', 'text']) ajv.addFormat(name, true);
  return ajv;
}

export class Spec {
  readonly file: string;
  readonly applied: readonly Patch[];
  private readonly doc: Json;
  private readonly basePaths: RegExp[];
  private readonly ajv: Ajv;
  private readonly compiled = new WeakMap<object, ValidateFunction>();
  private readonly routes: { method: string; template: string; re: RegExp; names: string[]; literal: number; op: Json }[] = [];
  private readonly refBase: string;
  readonly v31: boolean;

  constructor(file: string, doc: Json, raw: Json, applied: readonly Patch[]) {
    this.file = file;
    this.doc = doc;
    this.applied = applied;
    this.v31 = String(doc.openapi ?? '').startsWith('3.1');
    this.ajv = makeAjv(this.v31) as Ajv;
    // Circular schemas stay as `#/components/...` refs after dereferencing: the raw (patched)
    // components answer them under this id.
    this.refBase = `urn:liaison-spec:${file}`;
    this.ajv.addSchema({ $id: this.refBase, components: this.rewriteRefs(raw.components ?? {}) });
    const servers = (doc.servers as Json[] | undefined)?.length ? (doc.servers as Json[]) : [{ url: '/' }];
    this.basePaths = servers.map((s) => {
      let u = String(s.url);
      for (const [k, v] of Object.entries((s.variables ?? {}) as Json)) u = u.replaceAll(`{${k}}`, String(v.default ?? ''));
      const path = /^[a-z]+:\/\//i.test(u) ? new URL(u.replace(/\{[^}]+\}/g, 'x')).pathname : u;
      return new RegExp(`^${escape(path.replace(/\/$/, ''))}(?=/|$)`);
    });
    for (const [template, item] of Object.entries((doc.paths ?? {}) as Json)) {
      for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
        const op = (item as Json)[method];
        if (!op) continue;
        const names: string[] = [];
        const re = new RegExp(`^${escape(template).replace(/\\\{([^}]+)\\\}|\{([^}]+)\}/g, (_m, a?: string, b?: string) => (names.push((a ?? b)!), '([^/]+)'))}/?$`);
        const pathParams = ((item as Json).parameters ?? []) as Json[];
        const merged = [...pathParams.filter((p) => !((op.parameters ?? []) as Json[]).some((q) => q.name === p.name && q.in === p.in)), ...((op.parameters ?? []) as Json[])];
        this.routes.push({ method: method.toUpperCase(), template, re, names, literal: template.split('/').filter((s) => s && !s.includes('{')).length, op: { ...op, parameters: merged } });
      }
    }
  }

  private rewriteRefs<T>(value: T): T {
    return JSON.parse(JSON.stringify(value).replace(/"\$ref":"#\//g, `"$ref":"${this.refBase}#/`)) as T;
  }

  /** The operation a request's method and URL reach, or undefined when the file has none. */
  operation(method: string, url: URL | string): Operation | undefined {
    const path = typeof url === 'string' ? new URL(url, 'http://x').pathname : url.pathname;
    let best: (Operation & { literal: number }) | undefined;
    for (const base of this.basePaths) {
      const m = base.exec(path);
      if (!m) continue;
      const rest = path.slice(m[0].length) || '/';
      for (const r of this.routes) {
        if (r.method !== method.toUpperCase()) continue;
        const hit = r.re.exec(rest);
        if (!hit) continue;
        if (best && best.literal >= r.literal) continue;
        best = { method: r.method, template: r.template, name: `${r.method} ${r.template} (${this.file})`, op: r.op, literal: r.literal, params: Object.fromEntries(r.names.map((n, i) => [n, safeDecode(hit[i + 1]!)])) };
      }
    }
    if (!best) return undefined;
    const { literal: _l, ...op } = best;
    return op;
  }

  private validator(schema: Json): ValidateFunction {
    let v = this.compiled.get(schema);
    if (!v) {
      // A deep copy with circular refs pointed at the raw components (see the constructor).
      v = this.ajv.compile(this.rewriteRefs(stripIds(schema)));
      this.compiled.set(schema, v);
    }
    return v;
  }

  private run(schema: Json, value: unknown, where: string): string[] {
    const v = this.validator(schema);
    return v(value) ? [] : formatErrors(v.errors ?? [], where);
  }

  /** Violations of one request against the operation its method and URL reach. */
  check(method: string, url: URL | string, body: unknown, headers: Headers | Record<string, string> = {}): Check {
    const u = typeof url === 'string' ? new URL(url, 'http://x') : url;
    const operation = this.operation(method, u);
    if (!operation) return { errors: [] };
    const h = headers instanceof Headers ? headers : new Headers(headers);
    const errors: string[] = [];
    const declared = (operation.op.parameters ?? []) as Json[];
    const credentialKeys = new Set<string>();
    for (const s of Object.values((this.doc.components?.securitySchemes ?? {}) as Json)) if (s.type === 'apiKey' && s.in === 'query') credentialKeys.add(s.name);
    for (const p of declared) {
      const schema = (p.schema ?? {}) as Json;
      if (p.in === 'path') errors.push(...this.param(schema, p, [operation.params[p.name] ?? ''], 'path'));
      else if (p.in === 'query') {
        const raw = u.searchParams.getAll(p.name);
        if (!raw.length) {
          if (p.required) errors.push(`query ${p.name}: required`);
          continue;
        }
        errors.push(...this.param(schema, p, raw, 'query'));
      } else if (p.in === 'header' && p.required && !h.has(p.name)) errors.push(`header ${p.name}: required`);
    }
    for (const key of new Set(u.searchParams.keys())) {
      if (!declared.some((p) => p.in === 'query' && p.name === key) && !credentialKeys.has(key)) errors.push(`query ${key}: not a parameter of this operation`);
    }
    errors.push(...this.security(operation.op, u, h));
    const rb = operation.op.requestBody as Json | undefined;
    if (rb) {
      const type = (h.get('content-type') ?? 'application/json').split(';')[0]!.trim().toLowerCase();
      const content = (rb.content ?? {}) as Json;
      const media = content[type] ?? (type.endsWith('+json') ? content['application/json'] : undefined);
      if (body === undefined) {
        if (rb.required) errors.push('body: required');
      } else if (!media) errors.push(`body: content type ${type} is not one the operation accepts (${Object.keys(content).join(', ')})`);
      else if (media.schema) errors.push(...this.run(media.schema, body, 'body'));
    } else if (body !== undefined) errors.push('body: the operation takes none');
    return { operation, errors: errors.map((e) => `${operation.method} ${operation.template}: ${e}`) };
  }

  private param(schema: Json, p: Json, raw: string[], where: string): string[] {
    const isArray = typeOf(schema).includes('array');
    let value: unknown;
    if (isArray) {
      const explode = p.explode ?? (p.style ?? 'form') === 'form';
      const items = explode ? raw : raw.flatMap((v) => v.split(','));
      value = items.map((v) => coerce((schema.items ?? {}) as Json, v));
    } else {
      if (raw.length > 1) return [`${where} ${p.name}: given ${raw.length} times`];
      value = coerce(schema, raw[0]!);
    }
    return this.run(schema, value, `${where} ${p.name}`);
  }

  private security(op: Json, u: URL, h: Headers): string[] {
    const reqs = (op.security ?? this.doc.security) as Json[] | undefined;
    if (!reqs?.length) return [];
    const schemes = (this.doc.components?.securitySchemes ?? {}) as Json;
    const auth = h.get('authorization') ?? '';
    const met = (name: string): boolean => {
      const s = schemes[name] as Json | undefined;
      if (!s) return false;
      if (s.type === 'apiKey') return s.in === 'query' ? u.searchParams.has(s.name) : s.in === 'header' ? h.has(s.name) : /cookie/i.test(h.get('cookie') ?? '') && (h.get('cookie') ?? '').includes(`${s.name}=`);
      if (s.type === 'http') return auth.toLowerCase().startsWith(`${String(s.scheme).toLowerCase()} `);
      return /^bearer /i.test(auth); // oauth2, openIdConnect
    };
    if (reqs.some((r) => Object.keys(r).every(met))) return [];
    return [`credentials: none of the schemes the operation accepts (${reqs.map((r) => Object.keys(r).join('+') || 'none').join(' | ')})`];
  }

  /** Violations of one reply: the body against the declared status (or range, or default); an undeclared 2xx where others are declared. */
  checkReply(method: string, url: URL | string, status: number, body: unknown): Check {
    const operation = this.operation(method, url);
    if (!operation) return { errors: [] };
    const responses = (operation.op.responses ?? {}) as Json;
    const resp = (responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? (status < 300 && Object.keys(responses).some((k) => /^2/.test(k)) ? undefined : responses.default)) as Json | undefined;
    const at = `${operation.method} ${operation.template} → ${status}`;
    if (!resp) {
      const ok2xx = Object.keys(responses).filter((k) => /^2/.test(k));
      return { operation, errors: status >= 200 && status < 300 && ok2xx.length ? [`${at}: the operation answers ${ok2xx.join('/')}, not ${status}`] : [] };
    }
    const content = (resp.content ?? {}) as Json;
    const media = content['application/json'] ?? content['*/*'] ?? Object.entries(content).find(([k]) => /json/.test(k))?.[1];
    if (!media?.schema) return { operation, errors: body === undefined || !Object.keys(content).length ? [] : [] };
    if (body === undefined) return { operation, errors: [`${at}: no body where the spec declares one`] };
    return { operation, errors: this.run(media.schema, body, 'reply').map((e) => `${at}: ${e}`) };
  }
}

function escape(s: string) {
  return s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
}
function safeDecode(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
function typeOf(schema: Json): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (schema.type) return [schema.type as string];
  const alts = ((schema.anyOf ?? schema.oneOf ?? schema.allOf ?? []) as Json[]).flatMap(typeOf);
  return alts;
}
function coerce(schema: Json, v: string): unknown {
  const types = typeOf(schema);
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  if (types.includes('boolean') && (v === 'true' || v === 'false')) return v === 'true';
  if (types.includes('null') && v === 'null') return null;
  return v;
}
function stripIds(schema: Json): Json {
  // Dereferenced schemas can share objects; ajv wants a tree, and JSON gives one. Nested $id /
  // id keys from vendors' examples would clash as duplicate ids.
  return JSON.parse(JSON.stringify(schema, (k, v) => (k === '$id' || k === '$schema' ? undefined : v)));
}
function formatErrors(errors: ErrorObject[], where: string): string[] {
  const out: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      if (errors.length > 1) continue; // the branch errors say more
    }
    const path = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as Json).additionalProperty})` : e.keyword === 'enum' ? ` (${((e.params as Json).allowedValues as unknown[]).join(', ')})` : '';
    out.push(`${where}${path ? `.${path}` : ''}: ${e.message}${extra}`);
  }
  return [...new Set(out)].slice(0, 8);
}

const cache = new Map<string, Promise<Spec>>();

/**
 * Loads one file under the specs dir: parse (YAML or JSON), apply `patches`, dereference with
 * swagger-parser (circular refs left as refs, no network: absolute URLs only through `urlMap`).
 * Cached per file and patch set. Throws, naming the file and how to get it, when it is missing.
 */
export function loadSpec(file: string, o: LoadOptions = {}): Promise<Spec> {
  const key = `${file}|${(o.patches ?? []).map((p) => p.id).join(',')}|${JSON.stringify(o.urlMap ?? {})}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const path = resolve(specsDir(), file);
      if (!existsSync(path)) throw new Error(missingSpecMessage(file));
      const resolveOpts: Json = { external: true, http: false };
      if (o.urlMap) {
        resolveOpts.vendorUrls = {
          order: 1,
          canRead: (f: Json) => Object.keys(o.urlMap!).some((prefix) => String(f.url).startsWith(prefix)),
          read: async (f: Json) => {
            const prefix = Object.keys(o.urlMap!).find((x) => String(f.url).startsWith(x))!;
            const local = resolve(specsDir(), o.urlMap![prefix]!, String(f.url).slice(prefix.length));
            const { readFile } = await import('node:fs/promises');
            return readFile(local, 'utf8');
          },
        };
      }
      const parsed = (await SwaggerParser.parse(path)) as Json;
      const patched = overlay(parsed, o.patches ?? []);
      const raw = structuredClone(patched);
      const doc = (await SwaggerParser.dereference(path, patched as any, { resolve: resolveOpts, dereference: { circular: 'ignore' } } as any)) as unknown as Json;
      return new Spec(file, doc, raw, o.patches ?? []);
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** A spec from a document in memory (tests of the validator itself; never a vendor file copied here). */
export async function specFromDocument(name: string, doc: Json, patches: readonly Patch[] = []): Promise<Spec> {
  const patched = overlay(structuredClone(doc), patches);
  const raw = structuredClone(patched);
  const deref = (await SwaggerParser.dereference(structuredClone(patched) as any, { resolve: { external: false }, dereference: { circular: 'ignore' } } as any)) as unknown as Json;
  return new Spec(name, deref, raw, patches);
}

// ---------------------------------------------------------------- recording fetch

export interface RecordEntry {
  method: string;
  url: string;
  /** The operation name, "METHOD template (file)"; undefined when no operation covers the request. */
  operation?: string;
  ok: boolean;
  errors: string[];
  status?: number;
}

export interface SpecLog {
  vendor: string;
  /** False when the files were missing in an ordinary run: nothing was checked (said once on stderr). */
  available: boolean;
  records: RecordEntry[];
  /** "METHOD /path" of requests no operation covers: listed, never passed. */
  uncovered: string[];
  /** Every violation message, requests and replies. */
  errors(): string[];
  counts(): { validated: number; violations: number; uncovered: number; replies: number };
  /** Patches of the loaded files, "file: id". */
  patches: string[];
}

const warned = new Set<string>();

function reportLine(log: SpecLog, e: RecordEntry) {
  const out = process.env.LIAISON_SPECS_REPORT;
  if (!out || !(log as SpecLog & { report?: boolean }).report) return;
  appendFileSync(resolve(out, `${process.pid}.jsonl`), `${JSON.stringify({ vendor: log.vendor, patches: log.patches, ...e })}\n`);
}

async function textOf(body: Request | Response): Promise<unknown> {
  const text = await body.clone().text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A fetch that checks every request against `specs` (the first whose operation matches), passes
 * it to `base`, then checks the reply. Records land in `log`. `specs` may be file names (loaded
 * with no patches) or loaded specs; when a file is missing in an ordinary run the fetch is `base`
 * unchanged and `log.available` is false; in specs mode it throws.
 */
export async function validatingFetch(vendor: string, specs: readonly (Spec | string | Promise<Spec>)[], o: { base?: typeof fetch; report?: boolean } = {}): Promise<{ fetch: typeof fetch; log: SpecLog }> {
  const base = o.base ?? globalThis.fetch;
  const report = o.report ?? true;
  const records: RecordEntry[] = [];
  const uncovered: string[] = [];
  const log: SpecLog & { report: boolean } = {
    vendor,
    report,
    available: true,
    records,
    uncovered,
    patches: [],
    errors: () => records.flatMap((r) => r.errors),
    counts: () => ({
      validated: records.filter((r) => r.operation && r.status === undefined).length,
      violations: records.reduce((n, r) => n + r.errors.length, 0),
      uncovered: uncovered.length,
      replies: records.filter((r) => r.operation && r.status !== undefined).length,
    }),
  };
  let loaded: Spec[];
  try {
    loaded = await Promise.all(specs.map((s) => (typeof s === 'string' ? loadSpec(s) : s)));
  } catch (e) {
    if (specsRequired() || !/Vendor API description missing/.test(String(e))) throw e;
    if (!warned.has(vendor)) {
      warned.add(vendor);
      process.stderr.write(`[specs] ${vendor}: requests NOT checked against the vendor's description: ${(e as Error).message}\n`);
    }
    log.available = false;
    return { fetch: base, log };
  }
  log.patches = loaded.flatMap((s) => s.applied.map((p) => `${s.file}: ${p.id}`));
  const find = (method: string, url: URL) => loaded.find((s) => s.operation(method, url));
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const spec = find(req.method, url);
    if (!spec) {
      uncovered.push(`${req.method} ${url.pathname}`);
      reportLine(log, { method: req.method, url: url.pathname, ok: true, errors: [] });
      return base(req);
    }
    let body: unknown;
    const errors: string[] = [];
    if (req.body) {
      body = await textOf(req);
      const type = req.headers.get('content-type') ?? '';
      if (typeof body === 'string' && /json/.test(type)) errors.push(`${req.method} ${url.pathname}: the body is not JSON`);
      if (typeof body === 'string' && /x-www-form-urlencoded/.test(type)) body = Object.fromEntries(new URLSearchParams(body));
    }
    const c = spec.check(req.method, url, body, req.headers);
    errors.push(...c.errors);
    const entry: RecordEntry = { method: req.method, url: url.pathname + url.search, operation: c.operation!.name, ok: !errors.length, errors };
    records.push(entry);
    reportLine(log, entry);
    const res = await base(req);
    const reply = spec.checkReply(req.method, url, res.status, await textOf(res));
    const r: RecordEntry = { method: req.method, url: url.pathname, operation: c.operation!.name, status: res.status, ok: !reply.errors.length, errors: reply.errors };
    records.push(r);
    reportLine(log, r);
    return res;
  };
  return { fetch: wrapped as typeof fetch, log };
}

/** One line for a test's output: "pipedrive: 41 requests validated, 0 violations, 2 uncovered (GET /v1/users/me, …), 38 replies checked; patches: …". */
export function summaryLine(log: SpecLog | SpecLog[]): string {
  const logs = Array.isArray(log) ? log : [log];
  if (!logs.length) return 'no spec logs';
  const vendor = logs[0]!.vendor;
  if (logs.some((l) => !l.available)) return `${vendor}: NOT checked — vendor description missing (see stderr)`;
  const c = logs.map((l) => l.counts()).reduce((a, b) => ({ validated: a.validated + b.validated, violations: a.violations + b.violations, uncovered: a.uncovered + b.uncovered, replies: a.replies + b.replies }));
  const unc = [...new Set(logs.flatMap((l) => l.uncovered))];
  const patches = [...new Set(logs.flatMap((l) => l.patches.map((p) => p.split(': ').pop()!)))];
  return `${vendor}: ${c.validated} requests validated, ${c.violations} violations, ${c.uncovered} uncovered${unc.length ? ` (${unc.slice(0, 6).join(', ')}${unc.length > 6 ? ', …' : ''})` : ''}, ${c.replies} replies checked${patches.length ? `; overlay patches: ${patches.join(', ')}` : ''}`;
}
