// Evaluates Terraform expressions without terraform, for the checks that must know what a
// configuration computes (the IAM policy it grants, the ranges it lets reach the Kubernetes API),
// not only what it refers to. The expressions are parsed by HashiCorp's HCL parser
// (@cdktf/hcl2json's getExpressionAst) and evaluated here for the subset of the language these
// configurations use: literals, templates, var., local., for expressions, conditionals,
// operators, dynamic-block iterators and a few functions. Resources, data sources and module
// outputs are unknown before an apply and evaluate to Unknown, which propagates. Anything outside
// the subset throws Unsupported, so that a check never rests on a guess.
//
// Why not an existing tool: `terraform console` or `terraform plan` would evaluate these exactly,
// but Terraform is not in Debian and its releases and providers come from HashiCorp's sites, which
// this project's machines and CI do not reach (only Maven Central, npm and Debian); the HCL tools
// on npm we found (@cdktf/hcl2json among them) parse HCL without evaluating it. Should Terraform
// become installable, replace this file with `terraform console` over a plan's variables.

import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { getExpressionAst, parse } from "@cdktf/hcl2json";

/** A value known only after an apply (a resource's attribute, a data source). */
export class Unknown {
  constructor(what) {
    this.what = what;
  }
  toString() {
    return `(known after apply: ${this.what})`;
  }
  toJSON() {
    return this.toString();
  }
}

/** An expression outside the subset this evaluator knows. */
export class Unsupported extends Error {}

/** An error of the expression itself (what Terraform would report, and can() turns into false). */
class EvaluationError extends Error {}

// --- modules -------------------------------------------------------------------------------

/** The .tf files of one module directory, parsed and merged: variables, locals, resources, data sources, module calls. */
export async function loadModule(dir) {
  const module = { dir, variables: {}, locals: {}, resource: {}, data: {}, module: {} };
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort()) {
    const json = await parse(name, fs.readFileSync(path.join(dir, name), "utf8"));
    for (const [variable, blocks] of Object.entries(json.variable ?? {})) module.variables[variable] = [].concat(blocks)[0];
    for (const block of [].concat(json.locals ?? [])) Object.assign(module.locals, block);
    for (const kind of ["resource", "data"]) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [blockName, blocks] of Object.entries(byName)) module[kind][`${type}.${blockName}`] = [].concat(blocks)[0];
      }
    }
    for (const [call, blocks] of Object.entries(json.module ?? {})) module.module[call] = [].concat(blocks)[0];
  }
  return module;
}

/** The evaluation context of a module: its variables' defaults, overridden by `variables`. */
export function context(module, variables = {}) {
  const vars = new Map();
  for (const [name, block] of Object.entries(module.variables)) {
    if (Object.prototype.hasOwnProperty.call(block, "default")) vars.set(name, { raw: block.default });
  }
  for (const [name, value] of Object.entries(variables)) vars.set(name, { value });
  return { module, vars, locals: new Map(), scope: new Map() };
}

/** The same context with more names in scope (a for expression's variables, a dynamic block's iterator). */
export function withScope(ctx, names) {
  return { ...ctx, scope: new Map([...ctx.scope, ...Object.entries(names)]) };
}

// --- values as hcl2json gives them -----------------------------------------------------------

/** Evaluates an attribute as hcl2json represents it: expressions are "${...}" strings, literals are JSON. */
export async function evaluate(value, ctx) {
  if (typeof value === "string") {
    return value.includes("${") || value.includes("%{") ? expression(value, ctx) : value;
  }
  if (Array.isArray(value)) {
    const out = [];
    for (const item of value) out.push(await evaluate(item, ctx));
    return out;
  }
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, item] of Object.entries(value)) out[String(await evaluate(key, ctx))] = await evaluate(item, ctx);
    return out;
  }
  return value;
}

const DELIMITER = "EOT_HCL_EVAL";

// hcl2json gives a template as its source text, escapes and all. One line is parsed back as the
// quoted string it came from (so that \" is a quote again); more lines as a heredoc, whose
// closing newline is then taken off.
async function expression(text, ctx) {
  const quoted = !text.includes("\n");
  const source = quoted ? `"${text}"` : `<<${DELIMITER}\n${text}\n${DELIMITER}\n`;
  const ast = await getExpressionAst("expression.tf", source);
  const parts = [...(ast.children ?? [])];
  const last = parts[parts.length - 1];
  if (!quoted && last?.type === "literalValue" && last.meta?.value?.endsWith("\n")) {
    const rest = last.meta.value.slice(0, -1);
    if (rest === "") parts.pop();
    else parts[parts.length - 1] = { ...last, meta: { ...last.meta, value: rest } };
  }
  return template(parts, ctx, Buffer.from(source));
}

async function template(parts, ctx, source) {
  if (parts.length === 1 && parts[0].type !== "literalValue") return node(parts[0], ctx, source);
  // An unknown part is written as its marker: the checks look at the known rest of the string.
  let out = "";
  for (const part of parts) out += stringOf(await node(part, ctx, source));
  return out;
}

function stringOf(value) {
  if (value instanceof Unknown) return value.toString();
  if (value === null || value === undefined) throw new EvaluationError("a null value in a string template");
  if (typeof value === "object") throw new EvaluationError(`cannot put ${JSON.stringify(value)} in a string`);
  return String(value);
}

// --- the syntax tree -----------------------------------------------------------------------

async function node(n, ctx, source) {
  const children = n.children ?? [];
  switch (n.type) {
    case "template":
      return template(children, ctx, source);
    case "literalValue":
      return literal(n.meta);
    case "scopeTraversal":
      return traverse(n.meta.traversal, ctx);
    case "function":
      return call(n.meta.name, children, ctx, source, n.meta);
    case "tuple": {
      const out = [];
      for (const child of children) out.push(await node(child, ctx, source));
      return out;
    }
    case "object": {
      const out = {};
      for (let i = 0; i + 1 < children.length; i += 2) {
        const key = children[i];
        const name = key.type === "" && (key.children ?? []).length === 0
          ? source.subarray(key.range.start.byte, key.range.end.byte).toString("utf8")
          : await node(key.type === "" ? key.children[0] : key, ctx, source);
        out[stringOf(name)] = await node(children[i + 1], ctx, source);
      }
      return out;
    }
    case "for":
      return forExpression(n, ctx, source);
    case "conditional": {
      const condition = await node(children[0], ctx, source);
      if (condition instanceof Unknown) return condition;
      if (typeof condition !== "boolean") throw new EvaluationError(`a condition is ${JSON.stringify(condition)}, not a bool`);
      return node(children[condition ? 1 : 2], ctx, source);
    }
    case "binaryOp":
      return binary(n.meta.operator, await node(children[0], ctx, source), await node(children[1], ctx, source));
    case "unaryOp": {
      const value = await node(children[0], ctx, source);
      if (value instanceof Unknown) return value;
      if (n.meta.operator === "logicalNot") return !bool(value);
      if (n.meta.operator === "negate") return -number(value);
      throw new Unsupported(`operator ${n.meta.operator}`);
    }
    case "index":
      return index(await node(children[0], ctx, source), await node(children[1], ctx, source));
    case "":
      if (children.length === 1) return node(children[0], ctx, source); // parentheses
      throw new Unsupported(`an expression the parser gives no type: ${source.toString("utf8").slice(0, 80)}`);
    default:
      throw new Unsupported(`${n.type} expressions (${n.meta?.value ?? ""})`);
  }
}

function literal(meta) {
  if (meta.type === "string") return meta.value;
  if (meta.type === "number") return Number(meta.value);
  if (meta.type === "bool") return meta.value === "true";
  if (meta.type === "null" || meta.value === "null") return null;
  throw new Unsupported(`a literal of type ${meta.type}`);
}

const bool = (value) => {
  if (typeof value !== "boolean") throw new EvaluationError(`${JSON.stringify(value)} is not a bool`);
  return value;
};
const number = (value) => {
  if (typeof value !== "number") throw new EvaluationError(`${JSON.stringify(value)} is not a number`);
  return value;
};

function binary(operator, a, b) {
  if (operator === "logicalAnd" && a === false) return false;
  if (operator === "logicalOr" && a === true) return true;
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  switch (operator) {
    case "equal":
      return isDeepStrictEqual(a, b);
    case "notEqual":
      return !isDeepStrictEqual(a, b);
    case "logicalAnd":
      return bool(a) && bool(b);
    case "logicalOr":
      return bool(a) || bool(b);
    case "greaterThan":
      return number(a) > number(b);
    case "greaterThanOrEqual":
      return number(a) >= number(b);
    case "lessThan":
      return number(a) < number(b);
    case "lessThanOrEqual":
      return number(a) <= number(b);
    case "add":
      return number(a) + number(b);
    case "subtract":
      return number(a) - number(b);
    case "multiply":
      return number(a) * number(b);
    default:
      throw new Unsupported(`operator ${operator}`);
  }
}

function index(collection, key) {
  if (collection instanceof Unknown) return new Unknown(`${collection.what}[${/^\d+$/.test(String(key)) ? key : JSON.stringify(key)}]`);
  if (key instanceof Unknown) return key;
  if (Array.isArray(collection)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= collection.length) throw new EvaluationError(`index ${key} out of range`);
    return collection[i];
  }
  if (collection && typeof collection === "object") {
    if (!Object.prototype.hasOwnProperty.call(collection, key)) throw new EvaluationError(`no key ${JSON.stringify(key)}`);
    return collection[key];
  }
  throw new EvaluationError(`cannot index ${JSON.stringify(collection)}`);
}

async function traverse(traversal, ctx) {
  const [head, ...rest] = traversal;
  let value;
  let steps = rest;
  const name = head.segment;
  if (ctx.scope.has(name)) {
    value = ctx.scope.get(name);
  } else if (name === "var") {
    value = await variable(ctx, rest[0].segment);
    steps = rest.slice(1);
  } else if (name === "local") {
    value = await local(ctx, rest[0].segment);
    steps = rest.slice(1);
  } else if (["path", "terraform", "data", "module"].includes(name) || name.includes("_")) {
    // path.* and terraform.* are the caller's; the rest is known after an apply.
    return new Unknown(traversal.map((s) => (s.type === "nameTraversal" ? s.segment : `[${s.segment}]`)).join(".").replace(/\.\[/g, "["));
  } else {
    throw new Unsupported(`the name ${name}`);
  }
  for (const step of steps) {
    value = step.type === "nameTraversal" ? attribute(value, step.segment) : index(value, step.segment);
  }
  return value;
}

function attribute(value, name) {
  if (value instanceof Unknown) return new Unknown(`${value.what}.${name}`);
  if (value && typeof value === "object" && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, name)) return value[name];
  throw new EvaluationError(`no attribute ${name} in ${JSON.stringify(value)?.slice(0, 80)}`);
}

async function variable(ctx, name) {
  const entry = ctx.vars.get(name);
  if (!entry) {
    if (!ctx.module.variables[name]) throw new EvaluationError(`var.${name} is not declared in ${ctx.module.dir}`);
    throw new Unsupported(`var.${name} has no default and no value was given`);
  }
  if (!("value" in entry)) entry.value = await evaluate(entry.raw, ctx);
  return entry.value;
}

async function local(ctx, name) {
  if (!ctx.locals.has(name)) {
    if (!Object.prototype.hasOwnProperty.call(ctx.module.locals, name)) throw new EvaluationError(`local.${name} is not defined in ${ctx.module.dir}`);
    ctx.locals.set(name, evaluate(ctx.module.locals[name], { ...ctx, scope: new Map() }));
  }
  return ctx.locals.get(name);
}

async function forExpression(n, ctx, source) {
  const meta = n.meta;
  const children = n.children;
  const isObject = meta.openRangeValue === "{" || (meta.openRangeValue === undefined && Boolean(meta.keyExpression));
  const hasCondition = Boolean(meta.conditionalExpression);
  if (meta.groupedValue) throw new Unsupported("grouping (...) in for expressions");
  const collection = await node(children[0], ctx, source);
  if (collection instanceof Unknown) return collection;
  const keyNode = isObject ? children[1] : null;
  const valueNode = children[isObject ? 2 : 1];
  const conditionNode = hasCondition ? children[isObject ? 3 : 2] : null;
  const entries = Array.isArray(collection)
    ? collection.map((v, i) => [i, v])
    : Object.keys(collection).sort().map((k) => [k, collection[k]]);
  const out = isObject ? {} : [];
  for (const [key, value] of entries) {
    const names = meta.keyVar ? { [meta.keyVar]: key, [meta.valVar]: value } : { [meta.valVar]: value };
    const inner = withScope(ctx, names);
    if (conditionNode) {
      const keep = await node(conditionNode, inner, source);
      if (keep instanceof Unknown) return keep;
      if (!bool(keep)) continue;
    }
    if (isObject) out[stringOf(await node(keyNode, inner, source))] = await node(valueNode, inner, source);
    else out.push(await node(valueNode, inner, source));
  }
  return out;
}

// --- functions -----------------------------------------------------------------------------

function ipv4Prefix(text) {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  return match && match.slice(1, 5).every((o) => Number(o) <= 255) && Number(match[5]) <= 32;
}

function ipv6Prefix(text) {
  const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
  return match && match[1].includes(":") && Number(match[2]) <= 128;
}

const FUNCTIONS = {
  alltrue: (list) => list.every((v) => bool(v)),
  anytrue: (list) => list.some((v) => bool(v)),
  cidrhost: (prefix, host) => {
    if (typeof prefix !== "string" || !(ipv4Prefix(prefix) || ipv6Prefix(prefix))) throw new EvaluationError(`invalid CIDR address: ${prefix}`);
    return `${prefix.split("/")[0]}+${host}`;
  },
  concat: (...lists) => lists.flat(1),
  contains: (list, value) => list.some((v) => isDeepStrictEqual(v, value)),
  endswith: (s, suffix) => s.endsWith(suffix),
  startswith: (s, prefix) => s.startsWith(prefix),
  strcontains: (s, part) => s.includes(part),
  length: (value) => (typeof value === "string" || Array.isArray(value) ? value.length : Object.keys(value).length),
  replace: (s, search, replacement) => {
    if (/^\/.*\/$/.test(search)) throw new Unsupported("replace() with a regular expression");
    return s.split(search).join(replacement);
  },
  merge: (...maps) => Object.assign({}, ...maps.filter((m) => m !== null)),
  lookup: (map, key, fallback) => (Object.prototype.hasOwnProperty.call(map, key) ? map[key] : fallback),
  keys: (map) => Object.keys(map).sort(),
  values: (map) => Object.keys(map).sort().map((k) => map[k]),
  join: (separator, list) => list.map(stringOf).join(separator),
  tostring: (value) => stringOf(value),
  nonsensitive: (value) => value,
  sensitive: (value) => value,
  toset: (list) => [...new Set(list)].sort(),
  tolist: (list) => [...list],
  compact: (list) => list.filter((v) => v !== "" && v !== null),
  coalesce: (...values) => {
    const found = values.find((v) => v !== null && v !== "");
    if (found === undefined) throw new EvaluationError("coalesce: no non-null, non-empty argument");
    return found;
  },
  trimsuffix: (s, suffix) => (s.endsWith(suffix) ? s.slice(0, -suffix.length) : s),
  trimprefix: (s, prefix) => (s.startsWith(prefix) ? s.slice(prefix.length) : s),
  jsonencode: (value) => JSON.stringify(sortKeys(value)),
};

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object" && !(value instanceof Unknown)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

function containsUnknown(value) {
  if (value instanceof Unknown) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

async function call(name, args, ctx, source, meta) {
  if (meta.expandedFinalArgument) throw new Unsupported(`${name}(...) with an expanded argument`);
  if (name === "can" || name === "try") {
    for (const arg of args) {
      try {
        const value = await node(arg, ctx, source);
        if (name === "can") return value instanceof Unknown ? value : true;
        return value;
      } catch (error) {
        if (!(error instanceof EvaluationError)) throw error;
        if (name === "can") return false;
      }
    }
    throw new EvaluationError("try: every argument failed");
  }
  const fn = FUNCTIONS[name];
  if (!fn) throw new Unsupported(`the function ${name}()`);
  const values = [];
  for (const arg of args) values.push(await node(arg, ctx, source));
  if (name !== "nonsensitive" && name !== "sensitive" && name !== "concat" && name !== "merge" && values.some(containsUnknown)) {
    return new Unknown(`${name}(...)`);
  }
  try {
    return fn(...values);
  } catch (error) {
    if (error instanceof Unsupported || error instanceof EvaluationError) throw error;
    throw new EvaluationError(`${name}(): ${error.message}`);
  }
}
