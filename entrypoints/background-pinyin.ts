// The service worker's pinyin chunk (lib/background-start/boundary.ts): pinyin-pro and its dictionary.
import { pinyin } from 'pinyin-pro';
import { provideChunk } from '@/lib/background-start/chunks';

export interface PinyinChunk {
  pinyin: typeof pinyin;
}

export default defineUnlistedScript(() => provideChunk('pinyin', { pinyin } satisfies PinyinChunk));
