// Jira Cloud's own OpenAPI file (../shared/specs/jira.json = dac-static.atlassian.com/cloud/jira/
// platform/swagger-v3.v3.json, 1001.0.0-SNAPSHOT; read at test time, never copied here) as the
// contract for every request the adapter sends and every reply the emulator gives, through the
// shared validator (test/specs/openapi.ts).
//
// Overlay: none. Checked (spec.test.ts): the requests and replies used here pass the file as it
// is; Jira's "+0000" timestamp offsets pass its `format: date-time` (ajv-formats accepts an offset
// without a colon). What the file cannot check — `fields` of a create is an open map (the
// per-project fields come from createmeta) and comment `body` (ADF) is untyped — the emulator
// checks (createmeta fields, adf.ts).
import { loadSpec, validatingFetch, type Patch } from '../../../specs/openapi';

export const JIRA_FILE = 'jira.json';
export const JIRA_PATCHES: Patch[] = [];

export const jiraSpecFile = () => loadSpec(JIRA_FILE, { patches: JIRA_PATCHES });

export async function jiraFetch(base?: typeof fetch) {
  return validatingFetch('jira', [jiraSpecFile()], base ? { base } : {});
}
