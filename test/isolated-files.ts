// Unit and component test files that replace a module with vi.mock. The unit and dom projects
// share their worker's modules between files (isolate: false, vitest.config.ts), where such a
// mock may not take (another file may have loaded the real module first), so these run in
// projects of their own with isolation. test/unit/isolated-files.test.ts checks the lists are
// complete.
export const MOCKING_UNIT = ['test/unit/identity/first-sight.test.ts'];
export const MOCKING_DOM = ['test/unit/components/reports.test.tsx'];
