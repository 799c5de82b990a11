// `npm start`: build the extension, serve the demo chat, open Chromium with Liaison loaded on it.
// `npm start -- --headless`: no window; walk the main flow and write screenshots.
// Options: --port N (demo chat port, default 5300), --no-build, --out DIR (screenshots), --lang en|zh-CN
// It also serves an emulated 智邦ERP on the next port, so syncing to a CRM can be tried with no
// account (options → CRM 连接 → 智邦ERP). Runs under tsx, which loads the TypeScript emulator.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoServer } from '../demo/server.mjs';
import { launchWithExtension, findChromium } from './lib/chromium.mjs';
import { CHINESE_FONT_HINT, hasChineseFont } from './lib/cjk-font.mjs';
import { walkthrough } from './lib/walkthrough.mjs';

const { values: args } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    port: { type: 'string', default: '5300' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: 'screenshots' },
    lang: { type: 'string', default: 'zh-CN' },
  },
});

try {
  findChromium();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
if (args.lang !== 'en' && hasChineseFont() === false) console.warn(`Warning: ${CHINESE_FONT_HINT}`);

const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!args.headless && !hasDisplay) {
  console.error('No display found (DISPLAY / WAYLAND_DISPLAY are unset), so Chromium cannot open a window here.');
  console.error('Run `npm start -- --headless` instead: it walks the main flow and writes screenshots of the sidebar, popup and options page.');
  process.exit(1);
}

if (!args['no-build']) {
  console.log('Building the extension…');
  // The development build: the store build plus the demo chat's content script and loopback hosts.
  const r = spawnSync('npx', ['wxt', 'build', '--mode', 'development'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let demo;
try {
  demo = await startDemoServer({ port: Number(args.port) });
} catch (err) {
  if (err.code === 'EADDRINUSE') {
    console.error(`Port ${args.port} is in use. Try \`npm start -- --port 5301\`${args.headless ? ' --headless' : ''}.`);
    process.exit(1);
  }
  throw err;
}
console.log(`Demo chat: ${demo.url}`);
const { startZhibangEmulator, DEFAULT_USER } = await import('../test/emulators/zhibang/index.ts');
const erp = await startZhibangEmulator({ port: Number(args.port) + 1 }).catch(() => startZhibangEmulator());
console.log(`Emulated 智邦ERP: ${erp.url}  (user ${DEFAULT_USER.user}, password ${DEFAULT_USER.password}) — add it in options → CRM 连接 to see sync.`);

if (args.headless) {
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  const ext = await launchWithExtension({ headless: true, lang: args.lang });
  try {
    const shots = await walkthrough(ext, demo.url, out, (line) => console.log(`  ${line}`), { erp: { url: erp.url, user: DEFAULT_USER.user, password: DEFAULT_USER.password } });
    console.log('\nScreenshots:');
    for (const s of shots) console.log(`  ${s}`);
  } finally {
    await ext.close();
    await demo.close();
    await erp.close();
  }
} else {
  // Your customers stay between runs in .liaison-profile/ (delete it to start over).
  const ext = await launchWithExtension({ headless: false, lang: args.lang, viewport: null, profileDir: resolve('.liaison-profile') });
  const page = ext.context.pages()[0] ?? (await ext.context.newPage());
  await page.goto(demo.url);
  console.log('Chromium is open with Liaison loaded. Pick a conversation; the sidebar is on the right.');
  console.log('Close the browser window (or press Ctrl+C) to stop.');
  const stop = async () => {
    await ext.close();
    await demo.close();
    await erp.close();
    process.exit(0);
  };
  ext.context.on('close', () => void stop());
  process.on('SIGINT', () => void stop());
}
