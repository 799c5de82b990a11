// Injected into the user's tab of a custom site from options (chrome.scripting.executeScript),
// never registered: the element picker (lib/custom-sites/picker.ts) or the test read
// (lib/custom-sites/test-read.ts). The background first sets the request in this extension's
// isolated world (the page cannot see or set it); main's result is what executeScript hands back.
import type { CustomSiteDef } from '@/lib/custom-sites/definition';
import { runPicker, type PickRequest } from '@/lib/custom-sites/picker';
import { testRead } from '@/lib/custom-sites/test-read';

export type ProbeRequest = { kind: 'pick'; pick: PickRequest } | { kind: 'read'; site: CustomSiteDef };
export const PROBE_GLOBAL = '__liaisonCustomSiteProbe';

export default defineUnlistedScript(() => {
  const g = globalThis as unknown as Record<string, ProbeRequest | undefined>;
  const req = g[PROBE_GLOBAL];
  delete g[PROBE_GLOBAL];
  if (req?.kind === 'pick') return runPicker(document, req.pick);
  if (req?.kind === 'read') return testRead(document, req.site);
  return null;
});
