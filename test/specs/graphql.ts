// A vendor's GraphQL schema (SDL in ../shared/specs, read at test time, never copied here) as a
// contract for the documents our adapters send: graphql-js buildSchema + validate() for the
// document, and the variables coerced against the operation's declared variable types
// (getVariableValues), so a misspelled argument, a missing required one (create_item without
// item_name) or a variable of the wrong type is a violation. Used by the Monday contract tests
// (monday.graphql, schema version 2026-10, SOURCES.md); the emulator executes against the same
// schema. A missing file throws, naming it: a check that finds nothing must say so.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, getOperationAST, parse, validate, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { missingSpecMessage, specsDir } from './openapi';

const cache = new Map<string, GraphQLSchema>();

/** The schema built from `file` in the specs folder; throws when the file is missing. */
export function loadGraphqlSchema(file: string): GraphQLSchema {
  let s = cache.get(file);
  if (!s) {
    const path = resolve(specsDir(), file);
    if (!existsSync(path)) throw new Error(missingSpecMessage(file));
    s = buildSchema(readFileSync(path, 'utf8'));
    cache.set(file, s);
  }
  return s;
}

export interface GraphqlLog {
  vendor: string;
  /** Every document checked, with its violations (empty when valid). */
  records: { operation: string; errors: string[] }[];
  counts(): { validated: number; violations: number };
  errors(): string[];
}

/** Checks one document and its variables; the violations as messages (empty when valid). */
export function checkDocument(schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}, operationName?: string): string[] {
  let doc;
  try {
    doc = parse(query);
  } catch (e) {
    return [`parse: ${(e as Error).message}`];
  }
  const errors = validate(schema, doc).map((e) => e.message);
  if (errors.length) return errors;
  const op = getOperationAST(doc, operationName);
  if (!op) return ['no single operation in the document (name it)'];
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], variables);
  return coerced.errors?.map((e) => `variables: ${e.message}`) ?? [];
}

export function graphqlLog(vendor: string): GraphqlLog {
  const records: GraphqlLog['records'] = [];
  return {
    vendor,
    records,
    counts: () => ({ validated: records.length, violations: records.reduce((n, r) => n + r.errors.length, 0) }),
    errors: () => records.flatMap((r) => r.errors.map((e) => `${r.operation}: ${e}`)),
  };
}

/**
 * A fetch that validates every GraphQL POST body ({query, variables, operationName}) against
 * `file`'s schema before passing it on; records land in the log.
 */
export function validatingGraphqlFetch(vendor: string, file: string, base: typeof fetch = globalThis.fetch): { fetch: typeof fetch; log: GraphqlLog; schema: GraphQLSchema } {
  const schema = loadGraphqlSchema(file);
  const log = graphqlLog(vendor);
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const text = await req.clone().text();
    let body: { query?: unknown; variables?: Record<string, unknown>; operationName?: string } = {};
    try {
      body = JSON.parse(text);
    } catch {
      log.records.push({ operation: 'unparsed', errors: ['the request body is not JSON'] });
      return base(req);
    }
    const query = typeof body.query === 'string' ? body.query : '';
    const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    log.records.push({ operation: name, errors: query ? checkDocument(schema, query, body.variables ?? {}, body.operationName) : ['no query in the body'] });
    return base(req);
  };
  return { fetch: wrapped as typeof fetch, log, schema };
}
