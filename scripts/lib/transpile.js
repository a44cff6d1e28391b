/**
 * TypeScript to JavaScript one file at a time, without a type-check (`transpileModule`, as
 * `isolatedModules` in tsconfig.json allows), with tsconfig.json's compiler options, for Jest
 * (__tests__/support/jest-transform.js); `npm test` type-checks the whole project separately. TypeScript is loaded on the first call only,
 * so a caller with everything up to date never loads it.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');
const TSCONFIG = path.join(ROOT, 'tsconfig.json');

let ts;
let compilerOptions;

/** The text every output depends on besides the source: the compiler's version and tsconfig.json. */
function transpileInputs() {
  return `${require('typescript/package.json').version}\n${fs.readFileSync(TSCONFIG, 'utf8')}`;
}

/**
 * `fileName`'s JavaScript; with `sourceMap`, also its source map (JSON text) and no
 * `sourceMappingURL` comment. Throws on a syntax error, naming the file.
 */
function transpile(source, fileName, { sourceMap = false } = {}) {
  if (!ts) {
    ts = require('typescript');
    const config = ts.readConfigFile(TSCONFIG, ts.sys.readFile).config;
    compilerOptions = { ...ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT).options, declaration: false, incremental: false, noEmit: false };
    delete compilerOptions.rootDir;
    delete compilerOptions.outDir;
    delete compilerOptions.tsBuildInfoFile;
  }
  const result = ts.transpileModule(source, {
    compilerOptions: { ...compilerOptions, sourceMap, inlineSources: sourceMap },
    fileName,
    reportDiagnostics: true,
  });
  const errors = (result.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new Error(`${fileName}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  if (!sourceMap) return { code: result.outputText };
  return { code: result.outputText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), map: result.sourceMapText };
}

module.exports = { transpile, transpileInputs };
