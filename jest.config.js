/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type-checking runs once, in `npm test`, through `tsc`; Jest only transpiles, file by file
  // (tsconfig `isolatedModules: true`), through __tests__/support/jest-transform.js.
  transform: { '^.+\\.ts$': '<rootDir>/__tests__/support/jest-transform.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Both cores: Jest's default (cores - 1) leaves one idle on the 2-core machines this runs on
  // (measured: 99 s -> 86 s for the whole suite).
  maxWorkers: 2,
  // Every test name is unique within its file.
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/unique-test-names.ts', '<rootDir>/__tests__/support/synth-as-the-app.ts', '<rootDir>/__tests__/support/support-calendar-date.ts'],
  // Jest's reporter, and a line per topic as it finishes on a terminal (quiet under CI=true).
  reporters: ['default', '<rootDir>/scripts/lib/jest-progress.js'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
