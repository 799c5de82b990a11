// The service worker's 'pinyin-pro' (./vite-plugin.ts swaps it in): the library (and its
// dictionary, ~210 kB) in the pinyin chunk, loaded on the first conversion.
import type * as PinyinPro from 'pinyin-pro';
import { loadChunk } from '../chunks';
import type { PinyinChunk } from '@/entrypoints/background-pinyin';

export const pinyin: typeof PinyinPro.pinyin = ((...args: Parameters<typeof PinyinPro.pinyin>) =>
  (loadChunk<PinyinChunk>('pinyin').pinyin as (...a: unknown[]) => unknown)(...args)) as typeof PinyinPro.pinyin;
