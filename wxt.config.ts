import { defineConfig } from 'wxt';

// Chat sites Liaison reads. Kept as an explicit list: the manifest snapshot test
// fails when this grows, so a new host permission is always a deliberate change.
// The demo chat runs on loopback (http://127.0.0.1:*), which is what `npm start` and the tests use.
// The real chats are whole origins here (host permissions ignore paths); each content script's
// matches narrow them to the chat pages (lib/readers/sites/*.ts).
export const CHAT_HOSTS = [
  'http://127.0.0.1/*',
  'http://localhost/*',
  'https://web.whatsapp.com/*',
  'https://web.telegram.org/*',
  'https://*.feishu.cn/*',
  'https://*.larksuite.com/*',
  'https://www.linkedin.com/*',
];

export default defineConfig({
  // LIAISON_OUT_DIR: a build of one's own (parallel work); scripts/lib/chromium.mjs reads the same.
  outDir: process.env.LIAISON_OUT_DIR || '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // identity: chrome.identity.launchWebAuthFlow for "Connect with Salesforce" (OAuth + PKCE);
    // it opens the provider's page and hands back the https://<id>.chromiumapp.org/ redirect.
    // scripting + activeTab: lead extraction injects a script into the tab the user clicked on
    // (popup or context menu) without any broad host permission; scripting also registers the
    // content scripts of user-defined sites. contextMenus: "提取线索" on the page's menu.
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'notifications', 'tabs', 'identity', 'scripting', 'activeTab', 'contextMenus'],
    // Connect buttons call permissions.request for one CRM host at a time.
    host_permissions: CHAT_HOSTS,
    // CRM hosts are requested one at a time from the options page, when the user connects one.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'liaison@liaison.local', strict_min_version: '128.0' } } }
      : {}),
  }),
  zip: { name: 'liaison' },
});
