/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type-checking runs once, in `npm test`, through `tsc --noEmit`; Jest only transpiles
  // (tsconfig `isolatedModules: true` makes ts-jest use transpileModule), which keeps each test
  // file cheap.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
