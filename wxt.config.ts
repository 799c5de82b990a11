import { fileURLToPath } from 'node:url';
import { defineConfig, type ConfigEnv } from 'wxt';
import { backgroundSplit, splitRole } from './lib/background-start/vite-plugin';
import { CHUNKS, MODEL_WEIGHTS_FILE, chunkFile } from './lib/background-start/boundary';

// Two builds from one tree (issue 14):
// - the store build (`npm run build`, `npm run zip`; WXT's default mode, production): the real
//   chat sites only. No demo content script, no loopback host permission.
// - the development build (`wxt build --mode development`: `npm start`, the tests, the bench):
//   the same plus the demo chat on loopback (http://127.0.0.1, http://localhost) and its script.
export const isDevelopmentBuild = (mode: string) => mode === 'development';

// Chat sites Liaison reads. Kept as an explicit list: the manifest snapshot test fails when this
// grows, so a new host permission is always a deliberate change. The real chats are whole origins
// here (host permissions ignore paths); each content script's matches narrow them to the chat
// pages (lib/readers/sites/*.ts).
export const CHAT_HOSTS = [
  'https://web.whatsapp.com/*',
  'https://web.telegram.org/*',
  'https://*.feishu.cn/*',
  'https://*.larksuite.com/*',
  'https://www.linkedin.com/*',
];
/** The demo chat on loopback, development build only. */
export const DEMO_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];
/** The demo content script's entrypoint (entrypoints/demo.content), left out of the store build. */
const DEMO_ENTRYPOINT = 'demo';

/**
 * Firefox's built-in data consent (required of new AMO submissions since 2025-11-03). What leaves
 * the extension, always to services the user connects (their CRMs, an optional LLM endpoint):
 * customers' names, phones and emails (personallyIdentifyingInfo) and what was said in the chat,
 * as follow-up summaries (personalCommunications). Nothing goes to a server of ours.
 * Supported from Firefox 140 on desktop and 142 on Android (extensionworkshop.com,
 * "Firefox built-in consent for data collection and transmission"); older versions either reject
 * the key or would install without showing the consent, hence the minimum versions.
 */
const FIREFOX_GECKO = {
  id: 'liaison@liaison.local',
  strict_min_version: '140.0',
  data_collection_permissions: { required: ['personallyIdentifyingInfo', 'personalCommunications'] },
};
const FIREFOX_ANDROID = { strict_min_version: '142.0' };

export default defineConfig({
  // LIAISON_OUT_DIR: a build of one's own (parallel work); scripts/lib/chromium.mjs reads the same.
  outDir: process.env.LIAISON_OUT_DIR || '.output',
  // One folder per browser whatever the mode (WXT adds "-dev" otherwise): the test harness and
  // `npm start` load .output/chrome-mv3 (scripts/lib/chromium.mjs).
  outDirTemplate: '{{browser}}-mv{{manifestVersion}}',
  modules: ['@wxt-dev/webextension-polyfill'],
  // The development build runs the store build's code: WXT's development mode would otherwise
  // compile JSX with the dev runtime (source paths in every element), so the tests and the bench
  // would measure other code than what ships. The two builds differ in the demo and its hosts only.
  vite: () => ({
    esbuild: { jsxDev: false },
    // LIAISON_SOURCEMAP=1: source maps beside the bundles (diagnosis: what the service worker's bundle is made of).
    ...(process.env.LIAISON_SOURCEMAP === '1' ? { build: { sourcemap: true } } : {}),
    resolve: {
      alias: [
        // Content scripts get WXT's context without the window message a page can read and forge
        // (lib/content/wxt-context.ts); that module reaches WXT's own through the second alias.
        { find: /^wxt\/utils\/content-script-context$/, replacement: fileURLToPath(new URL('./lib/content/wxt-context.ts', import.meta.url)) },
        { find: /^wxt-original\/content-script-context$/, replacement: fileURLToPath(new URL('./node_modules/wxt/dist/utils/content-script-context.mjs', import.meta.url)) },
      ],
    },
  }),
  hooks: {
    'entrypoints:resolved': (wxt, entrypoints) => {
      if (isDevelopmentBuild(wxt.config.mode)) return;
      for (const e of entrypoints) if (e.name === DEMO_ENTRYPOINT) e.skipped = true;
    },
    // The model's weights as a packaged file the worker fetches on first use (lib/background-start/lazy/weights-source.ts).
    'build:publicAssets': (_wxt, files) => {
      files.push({ absoluteSrc: fileURLToPath(new URL('./lib/understand/model/weights.json', import.meta.url)), relativeDest: MODEL_WEIGHTS_FILE });
    },
    // The service worker's light start (issue 19, lib/background-start/boundary.ts): the background's
    // build and each chunk's get the split's plugin.
    'vite:build:extendConfig': (entrypoints, config) => {
      const role = splitRole(entrypoints);
      if (role) config.plugins = [...(config.plugins ?? []), backgroundSplit(fileURLToPath(new URL('.', import.meta.url)), role)];
    },
    // Every web-accessible resource is reached only from a random per-session address
    // (use_dynamic_url), so a page cannot probe a fixed chrome-extension://<id>/… URL to learn that
    // Liaison is installed. Firefox already randomises its moz-extension:// origin per install
    // and does not know the key. (WXT also lists a content script's matches once per pattern.)
    'build:manifestGenerated': (wxt, manifest) => {
      // Firefox's event page cannot importScripts(): its background lists the chunks first
      // (evaluating one only defines it; lib/background-start/chunks.ts runs it on first use).
      const bg = manifest.background as { scripts?: string[] } | undefined;
      if (bg?.scripts) bg.scripts = [...CHUNKS.map(chunkFile), ...bg.scripts.filter((s) => !CHUNKS.map(chunkFile).includes(s))];
      for (const r of manifest.web_accessible_resources ?? []) {
        if (typeof r !== 'object' || !('matches' in r)) continue;
        r.matches = [...new Set(r.matches)];
        if (wxt.config.browser !== 'firefox') Object.assign(r, { use_dynamic_url: true });
      }
    },
  },
  manifest: ({ browser, mode }: ConfigEnv) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // Each permission and why: README.md, "Permissions". In short: unlimitedStorage (the local
    // CRM's IndexedDB must not be evicted), alarms (outbox worker, pull, reminders, digest),
    // notifications (reminders), identity (OAuth sign-in of Salesforce and other CRMs),
    // scripting + activeTab (lead extraction on the clicked tab; user-defined sites' scripts),
    // contextMenus ("提取线索"), declarativeNetRequestWithHostAccess (a User-Agent Jira's XSRF filter
    // accepts, on Liaison's own requests to a connected Jira site only; no effect without that
    // host's permission: entrypoints/background/jira-user-agent.ts). No `storage` (everything is
    // in IndexedDB) and no `tabs` (tab URLs are only read for chat hosts and granted sites, which
    // host permissions already reveal).
    permissions: ['unlimitedStorage', 'alarms', 'notifications', 'identity', 'scripting', 'activeTab', 'contextMenus', 'declarativeNetRequestWithHostAccess'],
    host_permissions: isDevelopmentBuild(mode) ? [...DEMO_HOSTS, ...CHAT_HOSTS] : CHAT_HOSTS,
    // CRM hosts are requested one at a time from the options page, when the user connects one.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: '__MSG_extName__' },
    // The sidebar is an extension page framed beside the chat (lib/content/sidebar-frame.ts). It
    // must be web-accessible to the pages that frame it: the chat sites, and the sites a user
    // defines (any host they grant, hence every http(s) origin). Chromium serves it only from a
    // random per-session address (use_dynamic_url, added below), which only Liaison's content
    // scripts know: the frame sits in a closed shadow root, so even the chat page cannot read it,
    // and no page can probe a fixed chrome-extension://<id>/ URL to learn Liaison is installed.
    web_accessible_resources: [{ resources: ['sidebar.html'], matches: ['https://*/*', 'http://*/*'] }],
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: FIREFOX_GECKO, gecko_android: FIREFOX_ANDROID } } : {}),
  }),
  zip: { name: 'liaison' },
});
