// Unknown-field check of Kubernetes objects.
//
// kubernetes-models' validators (JSON Schema, compiled) check types, enums and required fields but
// let unknown fields through, as the Kubernetes OpenAPI schemas do; the API server then drops
// them silently (or rejects them, with strict field validation). A misspelt field in a template
// would go unnoticed. So, as grafana/tools does for the dashboards, a JSON Schema is generated
// from the package's TypeScript declaration of each kind (ts-json-schema-generator, every object
// closed with additionalProperties: false) and the object validated against it with ajv; its
// additionalProperties errors are the unknown fields.

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Ajv from "ajv";
import { createGenerator } from "ts-json-schema-generator";

const NODE_MODULES = path.join(path.dirname(fileURLToPath(import.meta.url)), "node_modules");
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validators = new Map();

/** The declaration file of a top-level kind: kubernetes-models/<group>/<version>/<Kind>.d.ts, or null. */
export function modelFile(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const file = path.join(NODE_MODULES, "kubernetes-models", ...(group ? [group, version] : [version]), `${kind}.d.ts`);
  return existsSync(file) ? file : null;
}

/** The compiled schema of a kind's interface (I<Kind>), generated once per run. */
function validator(apiVersion, kind) {
  const key = `${apiVersion} ${kind}`;
  if (!validators.has(key)) {
    const file = modelFile(apiVersion, kind);
    if (file === null) {
      throw new Error(`kubernetes-models has no type for ${apiVersion} ${kind}`);
    }
    const schema = createGenerator({
      path: file,
      type: `I${kind}`,
      expose: "none",
      topRef: false,
      skipTypeCheck: true,
      additionalProperties: false,
    }).createSchema(`I${kind}`);
    validators.set(key, ajv.compile(schema));
  }
  return validators.get(key);
}

/** A JSON pointer as the path a reader of the template looks for: .spec.ports[0].name, .labels["app.kubernetes.io/name"]. */
function readable(pointer) {
  return pointer
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((token) => (/^\d+$/.test(token) ? `[${token}]` : /^[A-Za-z_$][\w$]*$/.test(token) ? `.${token}` : `[${JSON.stringify(token)}]`))
    .join("");
}

/** The unknown fields of a Kubernetes object, as "Kind/name.path.field: unknown field (known: ...)" lines. */
export function unknownFields(object) {
  const validate = validator(object.apiVersion, object.kind);
  if (validate(object)) {
    return [];
  }
  const where = `${object.kind}/${object.metadata?.name ?? "?"}`;
  return validate.errors
    .filter((error) => error.keyword === "additionalProperties")
    .map((error) => {
      const known = Object.keys(error.parentSchema?.properties ?? {});
      return `${where}${readable(error.instancePath)}.${error.params.additionalProperty}: unknown field (known: ${known.join(", ")})`;
    });
}
