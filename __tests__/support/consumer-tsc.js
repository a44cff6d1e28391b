/**
 * Run by consumer.spec.ts with the consumer app as the working directory:
 *   node consumer-tsc.js <path of the typescript package>
 *
 * 1. Compiles the app exactly as `tsc -p tsconfig.json` does (its own tsconfig, the published
 *    declarations of the installed package) and writes its JavaScript.
 * 2. Reads every name the installed package's entry point exports, and type-checks a file that
 *    imports each of them, reusing the first program (one compiler load and one parse of the
 *    provider declarations for both checks).
 * Prints one JSON object: { appDiagnostics, names, namesDiagnostics }.
 */
'use strict';
const path = require('path');

const ts = require(process.argv[2]);
const host = ts.sys;
const format = (diagnostics) =>
  ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' });

const config = ts.getParsedCommandLineOfConfigFile(path.resolve('tsconfig.json'), {}, { ...host, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(format([d])); } });
const app = ts.createProgram({ rootNames: config.fileNames, options: config.options, configFileParsingDiagnostics: config.errors });
const emitted = app.emit();
const appDiagnostics = format([...ts.getPreEmitDiagnostics(app), ...emitted.diagnostics]);

const entry = ts.resolveModuleName('cilium-eks', config.fileNames[0], config.options, host).resolvedModule;
if (!entry) throw new Error('cilium-eks does not resolve from the app');
const checker = app.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(app.getSourceFile(entry.resolvedFileName));
const names = checker.getExportsOfModule(moduleSymbol).map((s) => s.getName()).sort();

const namesFile = path.resolve('names.ts');
require('fs').writeFileSync(namesFile, `import type {\n${names.map((n) => `  ${n},`).join('\n')}\n} from 'cilium-eks';\n`);
const withNames = ts.createProgram({ rootNames: [...config.fileNames, namesFile], options: { ...config.options, noEmit: true }, oldProgram: app });
const namesSource = withNames.getSourceFile(namesFile);
const namesDiagnostics = format([...withNames.getSyntacticDiagnostics(namesSource), ...withNames.getSemanticDiagnostics(namesSource)]);

process.stdout.write(JSON.stringify({ appDiagnostics, names, namesDiagnostics }));
