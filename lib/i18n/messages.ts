// Every UI string, in both languages: the sidebar's table plus the pages' table. Import this
// only from extension pages and tests; content scripts get the sidebar table through createT.
// `term.*` keys translate domain values that are stored in Chinese (stages, 跟进方式,
// 跟进结果, 意向等级, default sources/products); in zh_CN they are the value itself.
import { sidebarEn, sidebarZh, type SidebarKey } from './messages-sidebar';
import { pagesEn, pagesZh, type PageKey } from './messages-pages';

export type MessageKey = SidebarKey | PageKey;

export const messages: { zh_CN: Record<MessageKey, string>; en: Record<MessageKey, string> } = {
  zh_CN: { ...sidebarZh, ...pagesZh },
  en: { ...sidebarEn, ...pagesEn },
};
