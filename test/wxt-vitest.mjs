// WXT's vitest plugin (wxt/testing's WxtVitest) with a lighter fake-browser import.
//
// WxtVitest adds a set-up file to every test file (`import { fakeBrowser } from 'wxt/testing'`,
// then chrome/browser globals stubbed with it) and points `wxt/browser` at a mock that imports
// the same. But wxt/testing's index also re-exports the plugin itself, which imports WXT's whole
// build core (vite, unimport, the builders), and WXT asks vitest to inline its modules
// (ssr.noExternal: ['wxt']). So every test file evaluated WXT's build core through vite's module
// runner before its first test: about 1.2 s of CPU per file, measured on this 2-core machine,
// ~150 s over the unit project. The fake browser is all either import uses: here `wxt/testing`
// resolves, inside the tests only, to wxt/testing's own fake-browser module (the same
// @webext-core/fake-browser object). The config file itself still imports the real plugin.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WxtVitest } from 'wxt/testing';

/** wxt/testing's module that exports only `fakeBrowser` (dist/testing/fake-browser.mjs, beside its index). */
export const WXT_FAKE_BROWSER = fileURLToPath(new URL('./fake-browser.mjs', import.meta.resolve('wxt/testing')));

/** @returns {import('vite').PluginOption[]} */
export function wxtVitestLight() {
  if (!existsSync(WXT_FAKE_BROWSER)) {
    // A WXT upgrade moved it: fail loudly rather than fall back to the slow import silently.
    throw new Error(`wxt/testing's fake-browser module is not at ${WXT_FAKE_BROWSER}: update test/wxt-vitest.ts for this WXT version.`);
  }
  return [
    {
      name: 'liaison:wxt-fake-browser-only',
      enforce: 'pre',
      resolveId(/** @type {string} */ id) {
        return id === 'wxt/testing' ? WXT_FAKE_BROWSER : undefined;
      },
    },
    WxtVitest(),
  ];
}
