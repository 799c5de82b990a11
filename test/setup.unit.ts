// Before every unit test file. The unit and dom projects share each worker's modules between
// files (isolate: false in vitest.config.ts), so what one file leaves behind in module state is
// reset here: the fake browser (storage, alarms, listeners), the CRM rate limiters (kept per
// connection id, which test files reuse), and fake timers left on.
import 'fake-indexeddb/auto';
import { fakeBrowser } from 'wxt/testing';
import { vi } from 'vitest';
import { resetLimiters } from '../lib/crm/rate-limiter';

fakeBrowser.reset();
resetLimiters();
vi.useRealTimers();
