// Unknown-field check of Kubernetes objects against the types of kubernetes-models.
//
// kubernetes-models' validators (JSON Schema, compiled) check types, enums and required fields but
// let unknown fields through, as the Kubernetes OpenAPI schemas do; the API server then drops
// them silently (or rejects them, with strict field validation). A misspelt field in a template
// would go unnoticed. The package's TypeScript declarations (.d.ts) list every field of every
// type, in a regular generated form; this module reads them and reports each field of an object
// that its type does not declare.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const NODE_MODULES = path.join(path.dirname(fileURLToPath(import.meta.url)), "node_modules");

/** The .d.ts file of a module specifier, relative to the file that imports it. */
function declarationFile(specifier, fromFile) {
  const candidates = specifier.startsWith(".")
    ? [path.resolve(path.dirname(fromFile), specifier)]
    : [path.join(NODE_MODULES, "kubernetes-models", "node_modules", specifier), path.join(NODE_MODULES, specifier)];
  for (const candidate of candidates) {
    for (const file of [`${candidate}.d.ts`, path.join(candidate, "index.d.ts")]) {
      if (existsSync(file)) {
        return file;
      }
    }
  }
  throw new Error(`no declaration file for ${specifier} (imported by ${fromFile})`);
}

// --- a tokenizer and parser for the subset of TypeScript the generated declarations use -------

function tokenize(text) {
  const tokens = [];
  const re = /\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z_$][\w$]*|-?\d+(?:\.\d+)?|\[\]|./gy;
  let match;
  while ((match = re.exec(text)) !== null) {
    if (!/^\s+$/.test(match[0])) {
      tokens.push(match[0]);
    }
  }
  return tokens;
}

class Parser {
  constructor(tokens) {
    this.tokens = tokens;
    this.at = 0;
  }
  peek() {
    return this.tokens[this.at];
  }
  next() {
    return this.tokens[this.at++];
  }
  expect(token) {
    const got = this.next();
    if (got !== token) {
      throw new Error(`expected ${token}, got ${got} at token ${this.at}`);
    }
  }
  // type := primary ('|' primary)*  (a union; '&' is treated alike, it does not occur in fields)
  type() {
    const alternatives = [this.postfix()];
    while (this.peek() === "|" || this.peek() === "&") {
      this.next();
      alternatives.push(this.postfix());
    }
    return alternatives.length === 1 ? alternatives[0] : { kind: "union", alternatives };
  }
  postfix() {
    let type = this.primary();
    while (this.peek() === "[]" || this.peek() === "[") {
      if (this.next() === "[]") {
        type = { kind: "array", item: type };
      } else {
        // an indexed access such as IStatefulSet["apiVersion"]: a literal, no fields
        this.type();
        this.expect("]");
        type = { kind: "leaf" };
      }
    }
    return type;
  }
  primary() {
    const token = this.next();
    if (token === "{") {
      return this.members("}");
    }
    if (token === "(") {
      const inner = this.type();
      this.expect(")");
      return inner;
    }
    if (/^["'\d-]/.test(token)) {
      return { kind: "leaf" };
    }
    if (token === "import") {
      // import("module").Name<...>: only in the classes' static members, never in an interface
      this.expect("(");
      this.next();
      this.expect(")");
      this.expect(".");
      this.next();
      if (this.peek() === "<") {
        this.typeArguments();
      }
      return { kind: "leaf" };
    }
    if (/^[A-Za-z_$]/.test(token)) {
      const args = this.peek() === "<" ? this.typeArguments() : [];
      if (token === "Array" && args.length === 1) {
        return { kind: "array", item: args[0] };
      }
      if (["string", "number", "boolean", "null", "undefined", "true", "false", "any", "unknown", "object", "never"].includes(token)) {
        return { kind: "leaf" };
      }
      return { kind: "ref", name: token };
    }
    throw new Error(`unexpected token ${token} at token ${this.at}`);
  }
  typeArguments() {
    this.expect("<");
    const args = [this.type()];
    while (this.peek() === ",") {
      this.next();
      args.push(this.type());
    }
    this.expect(">");
    return args;
  }
  // members of an object type, up to the closing brace: "name"?: type; or [key: string]: type;
  members(close) {
    const fields = new Map();
    let index = null;
    while (this.peek() !== close) {
      const token = this.next();
      if (token === "[") {
        this.next();
        this.expect(":");
        this.next();
        this.expect("]");
        this.expect(":");
        index = this.type();
      } else {
        const name = token.startsWith('"') ? JSON.parse(token) : token;
        if (this.peek() === "?") {
          this.next();
        }
        this.expect(":");
        fields.set(name, this.type());
      }
      if (this.peek() === ";" || this.peek() === ",") {
        this.next();
      }
    }
    this.expect(close);
    return index !== null && fields.size === 0 ? { kind: "map", value: index } : { kind: "object", fields };
  }
}

// --- modules: imports, interfaces, type aliases and re-exports of one declaration file --------

const modules = new Map();

function loadModule(file) {
  if (modules.has(file)) {
    return modules.get(file);
  }
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
  const module = { file, imports: new Map(), declarations: new Map(), exports: new Map() };
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    for (const part of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
      const [imported, local] = part.split(/\s+as\s+/);
      module.imports.set((local ?? imported).trim(), { specifier: m[2], name: imported.trim() });
    }
  }
  for (const m of text.matchAll(/export\s*\{([^}]*)\}\s*;/g)) {
    for (const part of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
      const [local, exported] = part.split(/\s+as\s+/);
      module.exports.set((exported ?? local).trim(), local.trim());
    }
  }
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === "interface") {
      const name = tokens[i + 1];
      let j = i + 2;
      while (tokens[j] !== "{") {
        j++; // extends TypeMeta, type parameters
      }
      const parser = new Parser(tokens);
      parser.at = j + 1;
      module.declarations.set(name, parser.members("}"));
      i = parser.at - 1;
    } else if (tokens[i] === "type" && (tokens[i - 1] === "declare" || tokens[i - 1] === "export") && tokens[i + 2] === "=") {
      const parser = new Parser(tokens);
      parser.at = i + 3;
      module.declarations.set(tokens[i + 1], parser.type());
      i = parser.at - 1;
    }
  }
  modules.set(file, module);
  return module;
}

/** The type a name stands for in a module: its own declaration, an alias it exports, or an import. */
function resolveName(module, name, seen = new Set()) {
  const key = `${module.file}#${name}`;
  if (seen.has(key)) {
    throw new Error(`circular type alias ${key}`);
  }
  seen.add(key);
  if (module.declarations.has(name)) {
    return { module, type: module.declarations.get(name) };
  }
  if (module.exports.has(name) && module.exports.get(name) !== name) {
    return resolveName(module, module.exports.get(name), seen);
  }
  if (module.imports.has(name)) {
    const { specifier, name: imported } = module.imports.get(name);
    return resolveName(loadModule(declarationFile(specifier, module.file)), imported, seen);
  }
  // TypeMeta, ModelData and the like from @kubernetes-models/base: no fields to check
  return { module, type: { kind: "leaf" } };
}

function check(value, type, module, where, problems) {
  if (value === null || value === undefined) {
    return;
  }
  switch (type.kind) {
    case "ref": {
      const resolved = resolveName(module, type.name);
      check(value, resolved.type, resolved.module, where, problems);
      return;
    }
    case "object":
      if (typeof value !== "object" || Array.isArray(value)) {
        return; // the schema validator reports wrong types
      }
      for (const [field, child] of Object.entries(value)) {
        if (!type.fields.has(field)) {
          problems.push(`${where}.${field}: unknown field (known: ${[...type.fields.keys()].join(", ")})`);
        } else {
          check(child, type.fields.get(field), module, `${where}.${field}`, problems);
        }
      }
      return;
    case "map":
      if (typeof value === "object" && !Array.isArray(value)) {
        for (const [key, child] of Object.entries(value)) {
          check(child, type.value, module, `${where}[${JSON.stringify(key)}]`, problems);
        }
      }
      return;
    case "array":
      if (Array.isArray(value)) {
        value.forEach((item, i) => check(item, type.item, module, `${where}[${i}]`, problems));
      }
      return;
    case "union": {
      // the alternatives that describe objects (in these declarations, at most one does)
      const objectLike = type.alternatives.filter((alternative) => alternative.kind !== "leaf");
      if (objectLike.length === 1) {
        check(value, objectLike[0], module, where, problems);
      }
      return;
    }
    default:
      return;
  }
}

/** The declaration file of a top-level kind: kubernetes-models/<group>/<version>/<Kind>.d.ts. */
export function modelFile(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const file = path.join(NODE_MODULES, "kubernetes-models", ...(group ? [group, version] : [version]), `${kind}.d.ts`);
  return existsSync(file) ? file : null;
}

/** The unknown fields of a Kubernetes object, as "kind/name.path: message" lines. */
export function unknownFields(object) {
  const file = modelFile(object.apiVersion, object.kind);
  if (file === null) {
    throw new Error(`kubernetes-models has no type for ${object.apiVersion} ${object.kind}`);
  }
  const module = loadModule(file);
  const problems = [];
  check(object, { kind: "ref", name: `I${object.kind}` }, module, `${object.kind}/${object.metadata?.name ?? "?"}`, problems);
  return problems;
}
