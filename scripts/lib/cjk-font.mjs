// Whether the machine has a font with Chinese glyphs. Liaison's interface is Chinese by default
// (zh_CN for Chinese browsers, and `npm start` opens the demo in zh-CN): without such a font
// Chromium draws every Chinese character as an empty box, in the window and in the screenshots.
// fontconfig's fc-list answers on Linux; elsewhere (or without fc-list) nothing is said.
import { spawnSync } from 'node:child_process';

/** undefined when it cannot be told (no fc-list), else whether a font covers Chinese. */
export function hasChineseFont() {
  if (process.platform !== 'linux') return undefined;
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim().length > 0;
}

export const CHINESE_FONT_HINT =
  'No font with Chinese characters is installed: Liaison speaks Chinese by default, and its text would show as empty boxes. Install one (Debian/Ubuntu: `sudo apt-get install -y fonts-noto-cjk`), or run `npm start -- --lang en`.';
