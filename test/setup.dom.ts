// Before every component test file (happy-dom). Testing Library's waitFor/findBy give up after
// one second by default; at the load CI and `npm test` reach on a 2-core machine (18, with the
// browser suites beside the unit files) a render that waits on a mocked request took longer, and
// a right component failed (mapping-section's live preview, 2026-12-07). Ten seconds: a
// component that never shows what the test waits for still fails, within the test's 20 s.
import { configure } from '@testing-library/preact';

configure({ asyncUtilTimeout: 10_000 });
