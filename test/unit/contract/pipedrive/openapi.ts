// Pipedrive's own OpenAPI files (../shared/specs pipedrive.v1.yaml and pipedrive.v2.yaml, read at
// test time, never copied here) as the contract for every request the adapter sends and every
// reply the emulator gives, through the shared validator (test/specs/openapi.ts).
//
// Overlay (recorded in the specs report):
//  v2-person-title: POST /persons requires `title`, which is not one of its properties
//    (SOURCES.md, Pipedrive defect: every valid person creation is rejected). Required: name.
//  v1-token-header: the v1 file's api_key scheme is the api_token query parameter; Pipedrive's
//    Authentication page says the token goes in the x-api-token header for all requests (and the
//    v2 file declares exactly that). The adapter sends the header, never the token in a URL.
import { loadSpec, validatingFetch, type Patch } from '../../../specs/openapi';

export const PIPEDRIVE_FILES = ['pipedrive.v2.yaml', 'pipedrive.v1.yaml'] as const;
export const PIPEDRIVE_PATCHES: Record<(typeof PIPEDRIVE_FILES)[number], Patch[]> = {
  'pipedrive.v2.yaml': [
    { id: 'v2-person-title', reason: 'shared/specs/SOURCES.md Pipedrive defect: POST /persons requires title, not a property; a person needs name', op: 'replace', path: '/paths/~1persons/post/requestBody/content/application~1json/schema/required', value: ['name'] },
  ],
  'pipedrive.v1.yaml': [
    { id: 'v1-token-header', reason: 'pipedrive.readme.io/docs/core-api-concepts-authentication: the API token goes in the x-api-token header for all requests', op: 'replace', path: '/components/securitySchemes/api_key', value: { type: 'apiKey', in: 'header', name: 'x-api-token' } },
  ],
};

export const pipedriveSpecs = () => Promise.all(PIPEDRIVE_FILES.map((f) => loadSpec(f, { patches: PIPEDRIVE_PATCHES[f] })));

export async function pipedriveFetch(base?: typeof fetch) {
  return validatingFetch('pipedrive', PIPEDRIVE_FILES.map((f) => loadSpec(f, { patches: PIPEDRIVE_PATCHES[f] })), base ? { base } : {});
}
