/**
 * Golden files: rendered output committed under `__tests__/__golden__/` so that a pull request
 * shows a line-level diff. `UPDATE_GOLDEN=1 npm test` rewrites them; review the diff.
 */
import * as fs from 'fs';
import * as path from 'path';

const GOLDEN_DIR = path.join(__dirname, '..', '__golden__');

export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    if (process.env.CI && !fs.existsSync(file)) {
      throw new Error(`Golden file ${name} is missing; run UPDATE_GOLDEN=1 npm test and commit it`);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  // toEqual gives jest's line diff when they differ.
  expect(actual).toEqual(fs.readFileSync(file, 'utf8'));
}
