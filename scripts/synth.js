#!/usr/bin/env node
/**
 * `npm run synth`: synthesizes the app in this process and says what it built.
 *
 *   node scripts/synth.js [--example <name> | --entry <file.ts>] [--output <dir>] [--quiet]
 *
 * What `cdktf synth` does, without the CLI around it (measured: the CLI took 90% of its 5 s): the
 * app command of cdktf.json (`node scripts/app.js`: the bundle of main.ts) runs with what the CLI
 * gives it (`CDKTF_OUTDIR`, the `context` of cdktf.json in `CDKTF_CONTEXT_JSON`, and
 * `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS`, so that an ERROR annotation is written to the
 * manifest instead of thrown), into the same folder, `cdktf.out/` (manifest.json and
 * stacks/<stack>/cdk.tf.json, which `cdktf deploy` and `cdktf diff` read; a test compares the two
 * folders). As the CLI does, it removes the folders of stacks the app no longer has, prints the
 * annotations (`WARN [path]: message`) and exits 1 when one is an ERROR.
 *
 * Then it prints what was built (constructs/synth-summary.ts: clusters, regions, versions, node
 * groups and NodePools, features on and off, the IP capacity plan, the warnings with their
 * fixes) and the next command. `--quiet` (or CILIUM_EKS_QUIET=1) prints only the annotations.
 *
 * `--example <name>` synthesizes examples/<name>/main.ts into examples/<name>/cdktf.out, the folder
 * its own cdktf.json names, so `cdktf deploy` run there reads it; no example writes into another's
 * folder or the app's. `--entry <file.ts>` synthesizes another entry of the project that exports
 * `buildApp` (with the cdktf.json of its folder, if any), into cdktf.out beside it. `cdktf synth`
 * keeps working for those who use it (`npm run synth:cdktf`).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const app = require('./app');

const ROOT = app.ROOT;
const USAGE = 'usage: node scripts/synth.js [--example <name> | --entry <file.ts>] [--output <dir>] [--quiet]   (npm run synth -- --example cluster-mesh)';
/** cdktf's annotation levels (`AnnotationMetadataEntryType`), as `cdktf synth` prints them. */
const LEVELS = { '@cdktf/info': 'INFO', '@cdktf/warn': 'WARN', '@cdktf/error': 'ERROR' };

/** The examples: every folder of examples/ with a main.ts. */
function examples() {
  const dir = path.join(ROOT, 'examples');
  return fs
    .readdirSync(dir)
    .filter((e) => fs.existsSync(path.join(dir, e, 'main.ts')))
    .sort();
}

/** The cdktf.json of `dir`, else the project's (its context: no stack traces in the manifest). */
function appConfig(dir) {
  const file = [path.join(dir, 'cdktf.json'), path.join(ROOT, 'cdktf.json')].find((f) => fs.existsSync(f));
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Where the app of `entry` is synthesized: the `output` of the cdktf.json beside it (default cdktf.out), in its folder. */
function outputFolder(entry) {
  const dir = path.dirname(path.resolve(entry));
  return path.resolve(dir, appConfig(dir).output || 'cdktf.out');
}

function parseArgs(argv) {
  const args = { example: undefined, entry: undefined, output: undefined, quiet: false, help: false, errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline !== undefined ? inline : argv[++i];
      if (v === undefined || v === '') args.errors.push(`${key} needs a value`);
      return v || undefined;
    };
    if (key === '--example') args.example = value();
    else if (key === '--entry') args.entry = value();
    else if (key === '--output') args.output = value();
    else if (key === '--quiet') args.quiet = true;
    else if (key === '--help' || key === '-h') args.help = true;
    else args.errors.push(`unknown argument ${JSON.stringify(argv[i])}`);
  }
  if (args.example !== undefined && args.entry !== undefined) args.errors.push('--example and --entry: one or the other');
  if (args.example !== undefined && !examples().includes(args.example)) args.errors.push(`--example ${args.example}: no such example; one of ${examples().join(', ')}`);
  return args;
}

/** ANSI colours as the CLI uses them (chalk), only on a terminal and without NO_COLOR. */
function painter(stream) {
  const on = stream.isTTY && !process.env.NO_COLOR;
  return (code, text) => (on ? `\u001b[${code}m${text}\u001b[39m` : text);
}

/** The annotations of the manifest's stacks as `cdktf synth` prints them; returns how many are ERRORs. */
function printAnnotations(manifest, io) {
  const paint = painter(process.stdout);
  let errors = 0;
  for (const stack of Object.values(manifest.stacks)) {
    for (const a of stack.annotations || []) {
      const level = LEVELS[a.level] || a.level;
      if (level === 'ERROR') errors++;
      const colour = level === 'ERROR' ? '91' : level === 'WARN' ? '38;5;214' : '97';
      io.log(paint(colour, `${level} [${a.constructPath}]: ${a.message}`));
      if (level === 'ERROR' && a.stacktrace) io.log(paint('90', a.stacktrace.join('\n')));
    }
  }
  return errors;
}

/** Synthesizes; returns the exit status. `env` is read for CILIUM_EKS_QUIET; `io` takes the lines. */
function main(argv, env, io) {
  const args = parseArgs(argv);
  if (args.help) {
    io.log(USAGE);
    return 0;
  }
  if (args.errors.length > 0) {
    for (const e of args.errors) io.error(`synth: ${e}`);
    io.error(USAGE);
    return 2;
  }
  const quiet = args.quiet || /^(1|true|yes)$/i.test(env.CILIUM_EKS_QUIET || '');
  // Paths the user gives are theirs: npm runs scripts from the project, and says where the user was.
  const userDir = env.INIT_CWD || process.cwd();
  const entry = args.entry ? path.resolve(userDir, args.entry) : path.join(args.example ? path.join(ROOT, 'examples', args.example) : ROOT, 'main.ts');
  if (!fs.existsSync(entry)) {
    io.error(`synth: --entry ${args.entry}: no such file`);
    return 2;
  }
  const config = appConfig(path.dirname(entry));
  const outdir = args.output ? path.resolve(userDir, args.output) : outputFolder(entry);
  const stacksDir = path.join(outdir, 'stacks');
  const before = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((d) => fs.statSync(path.join(stacksDir, d)).isDirectory()) : [];

  // What the CLI sets for the app command (@cdktf/cli-core synth-stack.js).
  fs.mkdirSync(outdir, { recursive: true });
  process.env.CDKTF_OUTDIR = outdir;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ ...(config.context || {}), cdktfRelativeModules: [] });
  let bundle;
  let built;
  try {
    bundle = app.load(entry);
    built = bundle.buildApp();
    built.synth();
  } catch (e) {
    // A refused input (ValidationError) says all there is to say; anything else keeps its stack.
    io.error(`synth failed: ${e && e.name === 'ValidationError' ? e.message : (e && e.stack) || e}`);
    return 1;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const names = Object.keys(manifest.stacks);
  for (const orphan of before.filter((d) => !names.includes(d))) fs.rmSync(path.join(stacksDir, orphan), { recursive: true, force: true });
  const errors = printAnnotations(manifest, io);
  if (errors > 0) {
    io.error(`synth: ${errors} ERROR annotation${errors === 1 ? '' : 's'} (above): nothing to deploy until ${errors === 1 ? 'it is' : 'they are'} fixed.`);
    return 1;
  }
  if (quiet) return 0;
  const shown = path.relative(env.INIT_CWD || process.cwd(), outdir) || '.';
  io.log(`\nWhat was built (${shown}/):`);
  for (const line of bundle.synthSummary(built, { outdir: shown })) io.log(`  ${line}`);
  io.log(`\nNext: ${args.example ? `cd examples/${args.example} && CHECKPOINT_DISABLE=1 npx cdktf deploy` : 'npm run deploy'} (the plan of what changes, then a question before applying; \`${args.example ? 'npx cdktf diff' : 'npm run diff'}\` shows only the plan)`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, { log: (l) => console.log(l), error: (l) => console.error(l) });
}

module.exports = { main, examples, outputFolder };
