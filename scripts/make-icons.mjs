// Renders public/icon/*.png from the SVG below with headless Chromium. Run by hand when the
// icon changes (`node scripts/make-icons.mjs`); the PNGs are committed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { findChromium } from './lib/chromium.mjs';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#14b8a6"/><stop offset="1" stop-color="#0f766e"/></linearGradient></defs>
  <rect x="4" y="4" width="120" height="120" rx="28" fill="url(#g)"/>
  <path d="M30 40a12 12 0 0 1 12-12h30a12 12 0 0 1 12 12v18a12 12 0 0 1-12 12H52l-14 11v-11h-0a8 8 0 0 1-8-8z" fill="#fff" opacity=".95"/>
  <rect x="62" y="56" width="40" height="46" rx="8" fill="#fde68a"/>
  <rect x="70" y="66" width="24" height="5" rx="2.5" fill="#0f766e"/>
  <rect x="70" y="76" width="18" height="5" rx="2.5" fill="#0f766e"/>
  <rect x="70" y="86" width="22" height="5" rx="2.5" fill="#0f766e"/>
</svg>`;

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const out = resolve(import.meta.dirname, '../public/icon');
mkdirSync(out, { recursive: true });
for (const size of [16, 32, 48, 128]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  writeFileSync(resolve(out, `${size}.png`), await page.screenshot({ omitBackground: true }));
  await page.close();
}
await browser.close();
console.log('icons written to', out);
