// Before every unit test file. The unit and dom projects share each worker's modules between
// files (isolate: false in vitest.config.ts), so what one file leaves behind in module state is
// reset here: the fake browser (storage, alarms, listeners), the CRM rate limiters and the
// adapters' in-memory connection state (both kept per connection id, which test files reuse),
// the chats the group notifications quote (kept per site and thread: the demo chat's threads
// recur across files), and fake timers left on. The background's handlers keep their memory per
// instance (entrypoints/background/handlers.ts), so each test's own set starts empty.
import 'fake-indexeddb/auto';
import { fakeBrowser } from 'wxt/testing';
import { vi } from 'vitest';
import { resetLimiters } from '../lib/crm/rate-limiter';
import { resetConnectionStateMemory } from '../lib/crm/connection-state';
import { forgetRuleConversations } from '../lib/rules/notify-context';

fakeBrowser.reset();
resetLimiters();
resetConnectionStateMemory();
forgetRuleConversations();
vi.useRealTimers();
