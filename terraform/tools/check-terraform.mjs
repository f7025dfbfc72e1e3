#!/usr/bin/env node
// Static checks of MonitML's Terraform configurations, without terraform: every .tf file is
// parsed with HashiCorp's HCL parser (@cdktf/hcl2json, HCL compiled to WebAssembly), and every
// expression's references are resolved against the declarations of its module directory.
//
//   node check-terraform.mjs [FOLDER]     (default: the terraform/ folder this script is in)
//
// Per module directory (each root configuration and each module):
//   - syntax: a file that does not parse fails, with its file and position;
//   - every var.X referenced is declared, and every declared variable is used (a variable
//     used only in its own validation counts as unused);
//   - every local.X referenced is defined, and every local is used;
//   - every resource (TYPE.NAME) and data source (data.TYPE.NAME) referenced is declared;
//   - every module block's arguments are variables of the called local module, and every
//     variable of it without a default is given; every module.X.Y names an output of X;
//     a module from elsewhere is pinned (a registry version, or a git ref);
//   - every provider a module uses (resource and data types, provider blocks) is in its
//     required_providers with a source; modules configure no providers;
//   - every root (a folder that is neither under modules/ nor called as a module) has
//     required_version, and pins every provider it and its modules use (exact or ~>).
//
// Prints one line per problem ("path:line:col: message") and a summary; exits 1 on problems,
// 2 on bad usage.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getExpressionAst, parse } from "@cdktf/hcl2json";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const USAGE = "usage: node check-terraform.mjs [FOLDER]  (default: the terraform/ folder of this script)";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
if (argv.length > 1 || argv.some((a) => a.startsWith("-"))) {
  console.error(USAGE);
  process.exit(2);
}
const ROOT = path.resolve(argv[0] ?? path.join(HERE, ".."));
if (!fs.existsSync(ROOT) || !fs.statSync(ROOT).isDirectory()) {
  console.error(`check-terraform: ${ROOT} is not a folder`);
  process.exit(2);
}

const SKIPPED_DIRS = new Set(["node_modules", ".terraform"]);
const MODULE_META_ARGS = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);
const BUILTIN_ROOTS = new Set(["each", "count", "self", "path", "terraform"]);
const PINNED = /^\s*(=\s*)?\d+\.\d+\.\d+\s*$|^\s*~>\s*\d+\.\d+(\.\d+)?\s*$/;

const problems = new Set();
const rel = (p) => path.relative(ROOT, p) || ".";

/**
 * Line and column (1-based) of the first match of regex in text (of the first one after the
 * first match of `after`, when given), or of the start.
 */
function position(text, regex, after) {
  const from = after ? Math.max(0, text.search(after)) : 0;
  const match = regex ? regex.exec(text.slice(from)) : null;
  if (!match) return "1:1";
  const index = from + match.index;
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  const column = index - before.lastIndexOf("\n");
  return `${line}:${column}`;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function report(file, regex, message, after) {
  const text = file ? sources.get(file) ?? "" : "";
  problems.add(`${file ? rel(file) : "."}:${position(text, regex, after)}: ${message}`);
}

// --- find and parse -----------------------------------------------------------------------

function findTfFiles(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) findTfFiles(path.join(dir, entry.name), found);
    } else if (entry.isFile() && entry.name.endsWith(".tf")) {
      found.push(path.join(dir, entry.name));
    }
  }
  return found;
}

const sources = new Map();
const modules = new Map(); // directory -> module record

function moduleOf(dir) {
  if (!modules.has(dir)) {
    modules.set(dir, {
      dir,
      files: [],
      variables: new Map(), // name -> { file, hasDefault }
      locals: new Map(), // name -> file
      outputs: new Map(), // name -> file
      calls: new Map(), // module block name -> { file, source, version, args }
      resources: new Set(), // "type.name"
      data: new Set(), // "type.name"
      providerUses: new Map(), // provider local name -> "what uses it"
      providerBlocks: [],
      requiredProviders: new Map(), // name -> { file, source, version }
      requiredVersion: null,
      iterators: new Set(),
      expressions: [], // { file, text, variable }
    });
  }
  return modules.get(dir);
}

const files = findTfFiles(ROOT);
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  sources.set(file, text);
  const mod = moduleOf(path.dirname(file));
  mod.files.push(file);
  let json;
  try {
    json = await parse(rel(file), text);
  } catch (error) {
    const message = String(error.message ?? error).replace(/^parse config: \[/, "").replace(/\]\s*$/, "");
    problems.add(`${rel(file)}: syntax error: ${message}`);
    mod.broken = true;
    continue;
  }
  collect(mod, file, json);
}

// --- collect declarations and expressions ----------------------------------------------------

function firstBlock(blocks) {
  return Array.isArray(blocks) ? blocks[0] ?? {} : blocks ?? {};
}

function stripInterpolation(value) {
  const match = typeof value === "string" ? /^\$\{(.*)\}$/s.exec(value) : null;
  return match ? match[1].trim() : value;
}

/** Queues every template string under value for reference extraction. */
function walk(mod, file, value, context = {}) {
  if (typeof value === "string") {
    if (value.includes("${") || value.includes("%{")) mod.expressions.push({ file, text: value, ...context });
  } else if (Array.isArray(value)) {
    for (const item of value) walk(mod, file, item, context);
  } else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key.includes("${")) mod.expressions.push({ file, text: key, ...context });
      if (key === "dynamic" && child && typeof child === "object" && !Array.isArray(child)) {
        for (const [label, blocks] of Object.entries(child)) {
          for (const block of [].concat(blocks)) {
            mod.iterators.add(block && block.iterator ? stripInterpolation(block.iterator) : label);
          }
        }
      }
      if (key === "lifecycle") {
        // ignore_changes names attributes of the resource itself, not references.
        for (const block of [].concat(child)) {
          const { ignore_changes: ignored, ...rest } = block ?? {};
          walk(mod, file, rest, context);
        }
        continue;
      }
      if (key === "provider" && typeof child === "string") continue; // provider = aws.alias
      walk(mod, file, child, context);
    }
  }
}

function providerOf(type) {
  return type.split("_")[0];
}

function collect(mod, file, json) {
  for (const [name, blocks] of Object.entries(json.variable ?? {})) {
    const block = firstBlock(blocks);
    if (mod.variables.has(name)) report(file, new RegExp(`variable\\s+"${escape(name)}"`), `variable ${name} declared twice`);
    mod.variables.set(name, { file, hasDefault: Object.prototype.hasOwnProperty.call(block, "default") });
    const { type, ...rest } = block;
    walk(mod, file, rest, { variable: name });
  }
  for (const block of [].concat(json.locals ?? [])) {
    for (const [name, value] of Object.entries(block)) {
      if (mod.locals.has(name)) report(file, new RegExp(`\\b${escape(name)}\\s*=`), `local ${name} defined twice`);
      mod.locals.set(name, file);
      walk(mod, file, value);
    }
  }
  for (const [name, blocks] of Object.entries(json.output ?? {})) {
    mod.outputs.set(name, file);
    walk(mod, file, blocks);
  }
  for (const [name, blocks] of Object.entries(json.module ?? {})) {
    const block = firstBlock(blocks);
    const args = Object.keys(block).filter((key) => !MODULE_META_ARGS.has(key));
    mod.calls.set(name, { file, source: block.source, version: block.version, args });
    const { source, version, providers, ...rest } = block;
    walk(mod, file, rest);
  }
  for (const kind of ["resource", "data"]) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, blocks] of Object.entries(byName)) {
        (kind === "resource" ? mod.resources : mod.data).add(`${type}.${name}`);
        const explicit = stripInterpolation(firstBlock(blocks).provider);
        const provider = typeof explicit === "string" ? explicit.split(".")[0] : providerOf(type);
        if (!mod.providerUses.has(provider)) {
          mod.providerUses.set(provider, {
            file,
            what: `${kind === "data" ? "data." : ""}${type}.${name}`,
            at: new RegExp(`${kind}\\s+"${escape(type)}"\\s+"${escape(name)}"`),
          });
        }
        walk(mod, file, blocks);
      }
    }
  }
  for (const [name, blocks] of Object.entries(json.provider ?? {})) {
    mod.providerBlocks.push({ name, file });
    if (!mod.providerUses.has(name)) mod.providerUses.set(name, { file, what: `provider "${name}"`, at: new RegExp(`provider\\s+"${escape(name)}"`) });
    walk(mod, file, blocks);
  }
  for (const block of [].concat(json.terraform ?? [])) {
    mod.terraformFile = file;
    if (block.required_version !== undefined) mod.requiredVersion = block.required_version;
    for (const entry of [].concat(block.required_providers ?? [])) {
      for (const [name, requirement] of Object.entries(entry)) {
        const spec = typeof requirement === "string" ? { version: requirement } : requirement ?? {};
        mod.requiredProviders.set(name, { file, source: spec.source, version: spec.version });
      }
    }
  }
  for (const kind of ["check", "moved", "import", "removed"]) {
    if (json[kind]) walk(mod, file, json[kind]);
  }
}

// --- references ------------------------------------------------------------------------------

/** The traversals (arrays of segments) an expression string refers to, scoped names left out. */
async function referencesOf(file, text) {
  const delimiter = "EOT_TFCHECK";
  const ast = await getExpressionAst(rel(file), `<<${delimiter}\n${text}\n${delimiter}\n`);
  const found = [];
  const visit = (node, scope) => {
    if (!node) return;
    if (node.type === "for") {
      const meta = node.meta ?? {};
      const inner = new Set(scope);
      if (meta.keyVar) inner.add(meta.keyVar);
      if (meta.valVar) inner.add(meta.valVar);
      for (const child of node.children ?? []) visit(child, inner);
      return;
    }
    if (node.type === "scopeTraversal") {
      const parts = (node.meta?.traversal ?? []).map((part) => ({ name: part.segment, index: part.type !== "nameTraversal" }));
      if (parts.length > 0 && !scope.has(parts[0].name)) found.push(parts);
    }
    for (const child of node.children ?? []) visit(child, scope);
  };
  visit(ast, new Set());
  return found;
}

const isLocalSource = (source) => typeof source === "string" && (source.startsWith("./") || source.startsWith("../"));

function calledModule(mod, call) {
  return modules.get(path.resolve(mod.dir, call.source));
}

let referenceCount = 0;
for (const mod of modules.values()) {
  const usedVariables = new Set();
  const usedLocals = new Set();
  for (const expression of mod.expressions) {
    let references;
    try {
      references = await referencesOf(expression.file, expression.text);
    } catch (error) {
      report(expression.file, null, `cannot parse expression ${JSON.stringify(expression.text.slice(0, 80))}: ${error.message ?? error}`);
      continue;
    }
    for (const parts of references) {
      referenceCount++;
      const names = parts.filter((part) => !part.index).map((part) => part.name);
      const head = parts[0].name;
      const second = parts[1] && !parts[1].index ? parts[1].name : undefined;
      const where = (text) => new RegExp(`\\b${escape(text)}\\b`);
      if (head === "var") {
        if (!second || !mod.variables.has(second)) {
          report(expression.file, where(`var.${second}`), `var.${second} is not declared in ${rel(mod.dir)}`);
        } else if (expression.variable !== second) {
          usedVariables.add(second);
        }
      } else if (head === "local") {
        if (!second || !mod.locals.has(second)) report(expression.file, where(`local.${second}`), `local.${second} is not defined in ${rel(mod.dir)}`);
        else usedLocals.add(second);
      } else if (head === "module") {
        const call = second && mod.calls.get(second);
        if (!call) {
          report(expression.file, where(`module.${second}`), `module.${second} is not a module block of ${rel(mod.dir)}`);
          continue;
        }
        const output = names[2];
        const target = isLocalSource(call.source) ? calledModule(mod, call) : undefined;
        if (output && target && !target.broken && !target.outputs.has(output)) {
          report(expression.file, where(`module.${second}.${output}`), `module.${second}.${output}: ${rel(target.dir)} has no output "${output}"`);
        }
      } else if (head === "data") {
        const address = `${names[1]}.${names[2]}`;
        if (!mod.data.has(address)) report(expression.file, where(`data.${address}`), `data.${address} is not declared in ${rel(mod.dir)}`);
      } else if (BUILTIN_ROOTS.has(head) || mod.iterators.has(head)) {
        // each.*, count.*, self.*, path.*, terraform.*, dynamic block iterators
      } else {
        const address = names.length >= 2 ? `${names[0]}.${names[1]}` : head;
        if (!mod.resources.has(address)) report(expression.file, where(address), `${address} is not a resource (or other name) declared in ${rel(mod.dir)}`);
      }
    }
  }
  if (mod.broken) continue; // unused declarations may be used in the file that did not parse
  for (const [name, { file }] of mod.variables) {
    if (!usedVariables.has(name)) report(file, new RegExp(`variable\\s+"${escape(name)}"`), `variable ${name} is declared but never used in ${rel(mod.dir)}`);
  }
  for (const [name, file] of mod.locals) {
    if (!usedLocals.has(name)) report(file, new RegExp(`\\b${escape(name)}\\s*=`), `local ${name} is defined but never used in ${rel(mod.dir)}`);
  }
}

// --- module calls ----------------------------------------------------------------------------

const calledDirs = new Set();
for (const mod of modules.values()) {
  for (const [name, call] of mod.calls) {
    const at = new RegExp(`module\\s+"${escape(name)}"`);
    if (typeof call.source !== "string") {
      report(call.file, at, `module ${name} has no literal source`);
      continue;
    }
    if (!isLocalSource(call.source)) {
      const pinnedGit = /[?&]ref=[^&]+/.test(call.source);
      const pinnedRegistry = typeof call.version === "string" && PINNED.test(call.version);
      if (!pinnedGit && !pinnedRegistry) report(call.file, at, `module ${name}: source ${call.source} is not pinned (give an exact or ~> version, or a git ?ref=)`);
      continue;
    }
    const target = calledModule(mod, call);
    if (!target) {
      report(call.file, at, `module ${name}: source ${call.source} has no .tf files (${rel(path.resolve(mod.dir, call.source))})`);
      continue;
    }
    calledDirs.add(target.dir);
    if (target.broken) continue;
    for (const arg of call.args) {
      if (!target.variables.has(arg)) {
        report(call.file, new RegExp(`(?<=^[ \\t]*)${escape(arg)}(?=\\s*=)`, "m"), `module ${name}: unknown argument ${arg} (${rel(target.dir)} declares no variable "${arg}")`, at);
      }
    }
    for (const [variable, { hasDefault }] of target.variables) {
      if (!hasDefault && !call.args.includes(variable)) {
        report(call.file, at, `module ${name}: required variable ${variable} of ${rel(target.dir)} is not given`);
      }
    }
  }
}

// --- providers -------------------------------------------------------------------------------

const isUnderModules = (dir) => rel(dir).split(path.sep).includes("modules");
const roots = [...modules.values()].filter((mod) => !calledDirs.has(mod.dir) && !isUnderModules(mod.dir));

/** Providers a module and everything it calls use: name -> "what, where". */
function providersNeeded(mod, seen = new Set()) {
  const needed = new Map();
  if (seen.has(mod.dir)) return needed;
  seen.add(mod.dir);
  for (const [name, use] of mod.providerUses) needed.set(name, `${use.what} in ${rel(use.file)}`);
  for (const name of mod.requiredProviders.keys()) if (!needed.has(name)) needed.set(name, `required_providers of ${rel(mod.dir)}`);
  for (const call of mod.calls.values()) {
    const target = isLocalSource(call.source) ? calledModule(mod, call) : undefined;
    if (target) for (const [name, why] of providersNeeded(target, seen)) if (!needed.has(name)) needed.set(name, why);
  }
  return needed;
}

for (const mod of modules.values()) {
  if (mod.broken) continue;
  const anyFile = mod.terraformFile ?? mod.files[0];
  const terraformBlock = /terraform\s*\{/;
  for (const [name, use] of mod.providerUses) {
    if (!mod.requiredProviders.has(name)) {
      report(use.file, use.at, `provider ${name} (used by ${use.what}) is not in required_providers of ${rel(mod.dir)}`);
    }
  }
  for (const [name, requirement] of mod.requiredProviders) {
    if (typeof requirement.source !== "string" || !requirement.source.includes("/")) {
      report(requirement.file, new RegExp(`\\b${escape(name)}\\s*=`), `required provider ${name} has no source (e.g. "hashicorp/${name}")`);
    }
  }
  const isRoot = roots.includes(mod);
  if (!isRoot) {
    for (const block of mod.providerBlocks) {
      report(block.file, new RegExp(`provider\\s+"${escape(block.name)}"`), `module ${rel(mod.dir)} configures provider ${block.name}: configure providers in the root only`);
    }
    continue;
  }
  if (typeof mod.requiredVersion !== "string") report(anyFile, terraformBlock, `root ${rel(mod.dir)} has no terraform { required_version }`);
  for (const [name, why] of providersNeeded(mod)) {
    const requirement = mod.requiredProviders.get(name);
    if (!requirement) {
      report(anyFile, terraformBlock, `root ${rel(mod.dir)} does not pin provider ${name} (needed by ${why}) in required_providers`);
    } else if (typeof requirement.version !== "string" || !PINNED.test(requirement.version)) {
      report(requirement.file, new RegExp(`\\b${escape(name)}\\s*=`), `root ${rel(mod.dir)}: provider ${name} version ${JSON.stringify(requirement.version ?? null)} is not pinned (exact, or ~> X.Y[.Z])`);
    }
  }
}

// --- result ----------------------------------------------------------------------------------

const summary = `${files.length} files, ${modules.size} modules (${roots.length} roots: ${roots.map((m) => rel(m.dir)).join(", ")}), ${referenceCount} references`;
if (files.length === 0) {
  console.error(`check-terraform: no .tf files under ${ROOT}`);
  process.exit(1);
}
if (problems.size > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`FAILED: ${problems.size} problem${problems.size === 1 ? "" : "s"} in ${summary}`);
  process.exit(1);
}
console.log(`OK: ${summary}`);
