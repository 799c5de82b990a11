// Finding and launching Firefox (Debian's firefox-esr) with the built Firefox extension installed.
// The browser tests of the Firefox build use it the way the Chromium tests use ./chromium.mjs.
//
// Firefox is started here on a profile of our own and puppeteer-core connects to it over WebDriver
// BiDi, then installs the unpacked build with webExtension.install (a temporary add-on, as
// about:debugging would). puppeteer-core never downloads a browser; this module only runs the
// one installed on the machine.
//
// Why not puppeteer.launch: it forces `fission.webContentIsolationStrategy` to 0 (all web content
// in one process, for its mouse events). Users run Firefox with site isolation, so the tests do
// too: Firefox keeps its defaults here except for the preferences below.
//
// What Firefox does differently, seen here: an extension page framed in a web page (the sidebar)
// gets only a content script's API in Firefox: runtime.sendMessage from the background never
// reaches it, tabs.sendMessage does (w3c/webextensions#35).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { OUTPUT_DIR } from './chromium.mjs';

const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr', '/usr/lib/firefox/firefox'];

/** FIREFOX_PATH, then the usual places, then PATH. Throws with install instructions when none is found. */
export function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FIREFOX_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  for (const name of ['firefox-esr', 'firefox']) {
    try {
      const p = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (p) return p;
    } catch {
      /* not on PATH */
    }
  }
  throw new Error(
    'Firefox was not found. Install Firefox ESR (Debian/Ubuntu: `sudo apt-get install -y firefox-esr`), or set FIREFOX_PATH to a Firefox binary.',
  );
}

/** Where `wxt build -b firefox --mv3` wrote the extension (LIAISON_OUT_DIR as for Chromium). */
export const FIREFOX_EXTENSION_DIR = join(OUTPUT_DIR, 'firefox-mv3');

/**
 * Loopback only: Firefox must not reach out on its own. With the remote agent's recommended
 * preferences (which it applies itself when driven), these keep a test profile quiet: no
 * updates, studies, telemetry, safe-browsing lists, remote settings, push, captive-portal or
 * connectivity checks, DNS over HTTPS, prefetching or OCSP; and no first-run pages.
 */
const QUIET_PREFS = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage': 'about:blank',
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.newtabpage.enabled': false,
  'browser.tabs.warnOnClose': false,
  'browser.warnOnQuit': false,
  'browser.sessionstore.resume_from_crash': false,
  'startup.homepage_welcome_url': 'about:blank',
  'startup.homepage_welcome_url.additional': '',
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.policy.dataSubmissionPolicyBypassNotification': true,
  'datareporting.healthreport.uploadEnabled': false,
  'app.update.disabledForTesting': true,
  'app.update.checkInstallTime': false,
  'app.normandy.api_url': '',
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.search.update': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.update.enabled': false,
  'extensions.update.notifyUser': false,
  'extensions.installDistroAddons': false,
  'media.gmp-manager.updateEnabled': false,
  'network.sntp.pools': '127.0.0.1',
  'services.settings.server': 'http://127.0.0.1:9/',
  'security.certerrors.mitm.priming.enabled': false,
  'toolkit.startup.max_resumed_crashes': -1,
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.service.enabled': false,
  'app.update.staging.enabled': false,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'browser.aboutwelcome.enabled': false,
  'browser.discovery.enabled': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.snippets': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.ping-centre.telemetry': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.search.geoip.url': '',
  'browser.topsites.contile.enabled': false,
  'browser.urlbar.quicksuggest.enabled': false,
  'captivedetect.canonicalURL': '',
  'datareporting.usage.uploadEnabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'extensions.blocklist.enabled': false,
  'extensions.getAddons.discovery.api_url': '',
  'extensions.systemAddon.update.enabled': false,
  'extensions.systemAddon.update.url': '',
  'identity.fxaccounts.enabled': false,
  'media.gmp-gmpopenh264.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.predictor.enabled': false,
  'network.prefetch-next': false,
  'network.trr.mode': 5,
  'nimbus.enabled': false,
  'privacy.query_stripping.enabled': false,
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'services.settings.poll_interval': 86_400 * 365,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.updatePing.enabled': false,
};

/** The add-on id the Firefox build declares (wxt.config.ts, browser_specific_settings.gecko.id). */
export const FIREFOX_ADDON_ID = 'liaison@liaison.local';

/**
 * Raw WebDriver BiDi, for what puppeteer does not follow in Firefox: it never sees a frame or tab
 * reach a moz-extension:// document (Firefox's remote agent sends no navigation events for
 * extension documents, so puppeteer keeps reporting about:blank and its goto never settles),
 * and it has no notion of Firefox's chrome windows (where a notification is shown).
 * @param {import('puppeteer-core').Browser} browser
 */
function bidi(browser) {
  const connection = /** @type {{ send(method: string, params: object): Promise<{ result: any }> }} */ (/** @type {any} */ (browser).connection);
  return async (/** @type {string} */ method, /** @type {object} */ params) => (await connection.send(method, params)).result;
}

/** The BiDi browsing context id of a puppeteer frame or page. */
export function contextId(/** @type {import('puppeteer-core').Frame | import('puppeteer-core').Page} */ frameOrPage) {
  const frame = 'mainFrame' in frameOrPage ? frameOrPage.mainFrame() : frameOrPage;
  const id = /** @type {any} */ (frame)._id;
  if (typeof id !== 'string') throw new Error('this puppeteer build does not expose the frame\'s browsing context id');
  return id;
}

/** Chrome-scope values come back as BiDi remote values; strings, numbers, booleans and arrays of them are enough here. */
function fromRemote(/** @type {any} */ v) {
  if (!v || v.type === 'undefined' || v.type === 'null') return undefined;
  if (v.type === 'array') return v.value.map(fromRemote);
  return v.value;
}

/**
 * Launch Firefox headless on a fresh profile (removed on close) and
 * install the unpacked Firefox build.
 *
 * The moz-extension:// origin is random per install. Firefox takes it from the profile's
 * `extensions.webextensions.uuids` map when the add-on id is there, so a random UUID is put there
 * first and then checked: the extension's own page, opened at that origin, must report the same
 * origin through browser.runtime.getURL.
 *
 * Notifications: headless Firefox has no system notification service, and the extension's
 * notifications.create would close the notification at once. With `alerts.useSystemBackend` off,
 * Firefox shows its own notification window instead (chrome://global/content/alerts/alert.xhtml,
 * what it uses where the desktop has no notification daemon), which a test can read and click.
 * @param {{ headless?: boolean, extensionDir?: string, lang?: string, prefs?: Record<string, unknown>, args?: string[] }} [opts]
 */
export async function launchFirefoxWithExtension(opts = {}) {
  const { default: puppeteer } = await import('puppeteer-core');
  const extensionDir = opts.extensionDir ?? FIREFOX_EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No Firefox build at ${extensionDir}: run \`wxt build -b firefox --mv3 --mode development\` first.`);
  }
  const lang = opts.lang ?? 'zh-CN';
  const uuid = randomUUID();
  const profile = mkdtempSync(join(tmpdir(), 'liaison-firefox-'));
  /** @type {Record<string, unknown>} */
  const prefs = {
    ...QUIET_PREFS,
    'alerts.useSystemBackend': false,
    'intl.accept_languages': lang,
    'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: uuid }),
    ...(opts.prefs ?? {}),
  };
  writeFileSync(join(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));

  const args = [
    ...(opts.headless ?? true ? ['--headless'] : []),
    '--no-remote',
    '--profile', profile,
    '--remote-debugging-port=0',
    // WebDriver BiDi navigates a tab only to http(s), file and blob addresses, and sees no chrome
    // window, unless this flag is given: it lets a test open the extension's own pages
    // (popup.html, options.html) in a tab, as the Chromium tests open chrome-extension:// pages,
    // and read and click Firefox's notification window.
    '--remote-allow-system-access',
    ...(opts.args ?? []),
    'about:blank',
  ];
  const child = spawn(findFirefox(), args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
  const exited = new Promise((r) => child.once('exit', r));
  const cleanUp = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const late = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(late);
    }
    rmSync(profile, { recursive: true, force: true });
  };

  /** @type {import('puppeteer-core').Browser} */
  let browser;
  try {
    const endpoint = await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => fail(new Error(`Firefox did not start WebDriver BiDi within 60 s:\n${seen.slice(-2000)}`)), 60_000);
      const fail = (/** @type {Error} */ e) => {
        clearTimeout(timer);
        reject(e);
      };
      child.once('exit', (code) => fail(new Error(`Firefox exited (${code}) before WebDriver BiDi started:\n${seen.slice(-2000)}`)));
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk) => {
        seen += chunk;
        const m = /^WebDriver BiDi listening on (ws:\/\/\S+)$/m.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
        if (seen.length > 100_000) seen = seen.slice(-10_000);
      });
    });
    browser = await puppeteer.connect({ browserWSEndpoint: `${endpoint}/session`, protocol: 'webDriverBiDi', defaultViewport: { width: 1400, height: 860 } });
  } catch (err) {
    child.kill('SIGKILL');
    await cleanUp();
    throw err;
  }
  const send = bidi(browser);
  try {
    const addonId = await browser.installExtension(extensionDir);
    if (addonId !== FIREFOX_ADDON_ID) throw new Error(`installed add-on ${addonId}, expected ${FIREFOX_ADDON_ID}`);
    const origin = `moz-extension://${uuid}`;
    const extensionUrl = (/** @type {string} */ path) => `${origin}/${path.replace(/^\//, '')}`;

    /** Navigate a tab and wait for the load (also to moz-extension:// pages, see bidi()). */
    async function navigate(/** @type {import('puppeteer-core').Page} */ page, /** @type {string} */ url) {
      await send('browsingContext.navigate', { context: contextId(page), url, wait: 'complete' });
    }

    /** A new tab on one of the extension's pages (popup.html, options.html, …). */
    async function openExtensionPage(/** @type {string} */ path) {
      const page = await browser.newPage();
      await navigate(page, extensionUrl(path));
      return page;
    }

    /** The address a frame or tab really shows (puppeteer's frame.url() lags behind for extension documents). */
    async function urlOf(/** @type {import('puppeteer-core').Frame | import('puppeteer-core').Page} */ frameOrPage) {
      const { contexts } = await send('browsingContext.getTree', { root: contextId(frameOrPage), maxDepth: 0 });
      return /** @type {string} */ (contexts[0]?.url ?? '');
    }

    /** The child frames of a tab, at any depth, with the addresses they really show. */
    async function framesOf(/** @type {import('puppeteer-core').Page} */ page) {
      const { contexts } = await send('browsingContext.getTree', { root: contextId(page) });
      /** @type {{ context: string, url: string }[]} */
      const out = [];
      const walk = (/** @type {any[]} */ list) => {
        for (const c of list) {
          out.push({ context: c.context, url: c.url });
          walk(c.children ?? []);
        }
      };
      walk(contexts[0]?.children ?? []);
      return out;
    }

    /** Firefox's notification windows now on screen (chrome scope). */
    async function notificationWindows() {
      const { contexts } = await send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
      /** @type {string[]} */
      const ids = contexts.filter((/** @type {any} */ c) => c.url === 'chrome://global/content/alerts/alert.xhtml').map((/** @type {any} */ c) => c.context);
      const out = [];
      for (const context of ids) {
        try {
          const { result } = await send('script.evaluate', {
            expression: `[document.getElementById('alertTitleLabel')?.value ?? '', document.getElementById('alertTextLabel')?.textContent ?? '']`,
            target: { context },
            awaitPromise: false,
          });
          const [title, text] = fromRemote(result);
          out.push({ context, title: String(title), text: String(text) });
        } catch {
          /* closed meanwhile */
        }
      }
      return out;
    }

    /**
     * Click a notification window with the mouse, as a user would: move over it (which holds it
     * open), press, release. WebDriver BiDi's input actions do not reach chrome windows, so the
     * mouse events go through the window's own input path (Window.synthesizeMouseEvent, what
     * Firefox's own tests use: events hit-tested and dispatched by Firefox, as a real click is).
     */
    async function clickNotification(/** @type {string} */ context) {
      const answer = await send('script.evaluate', {
        expression: `(() => {
          const r = document.getElementById('alertTextBox').getBoundingClientRect();
          const x = r.left + r.width / 2, y = r.top + r.height / 2;
          window.synthesizeMouseEvent('mousemove', x, y, { buttons: 0 });
          window.synthesizeMouseEvent('mousedown', x, y, { button: 0, buttons: 1, clickCount: 1 });
          window.synthesizeMouseEvent('mouseup', x, y, { button: 0, buttons: 0, clickCount: 1 });
          return 'clicked';
        })()`,
        target: { context },
        awaitPromise: false,
      });
      if (fromRemote(answer.result) !== 'clicked') throw new Error(`could not click the notification window: ${answer.exceptionDetails?.text ?? JSON.stringify(answer)}`);
    }

    // The origin is the extension's: its own page says so.
    const probe = await openExtensionPage('popup.html');
    const reported = await probe.evaluate(() => /** @type {any} */ (globalThis).browser.runtime.getURL('/'));
    await probe.close();
    if (reported !== `${origin}/`) throw new Error(`the extension reports ${reported}, expected ${origin}/`);

    return {
      browser,
      addonId,
      uuid,
      origin,
      extensionUrl,
      navigate,
      openExtensionPage,
      urlOf,
      framesOf,
      contextId,
      notificationWindows,
      clickNotification,
      async close() {
        await browser.close().catch(() => child.kill('SIGTERM'));
        await cleanUp();
      },
    };
  } catch (err) {
    await browser.close().catch(() => child.kill('SIGTERM'));
    await cleanUp();
    throw err;
  }
}
