// Injected on the user's click (popup "提取线索" or the page's context menu) with
// chrome.scripting.executeScript; never registered in the manifest. Its result (main's return
// value) is what executeScript hands back to the background. Lean: the DOM walk only, no zod,
// no phone metadata.
import { extractLeads } from '@/lib/leads/extract';

export default defineUnlistedScript(() => extractLeads(document));
