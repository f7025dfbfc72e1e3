#!/usr/bin/env node
// What the Terraform configurations let through, evaluated without terraform (hcl-eval.mjs), as
// one JSON document for TerraformChecksTest to judge:
//
//   node fences.mjs [FOLDER]     (default: the terraform/ folder this script is in)
//
//   iam             the MSK data-plane policy of MonitML's IRSA role (modules/monitml), with the
//                   variables' defaults and with other names, and whether the role's
//                   precondition refuses settings that name topics it does not grant
//   eksApi          the Kubernetes API's public access: the ranges' variables (default, and
//                   which lists their validations accept) in modules/eks and aws, what the
//                   cluster gets for some inputs and whether its precondition holds, and what
//                   aws passes to modules/eks
//   schemaRegistry  the in-cluster registry (modules/monitml): its containers' environment,
//                   mounts and volumes, and the credentials MonitML gets for it
//
// Exits 1 with the reason when a configuration cannot be evaluated (a syntax error, an
// expression outside hcl-eval's subset), 2 on bad usage.

import path from "node:path";
import { fileURLToPath } from "node:url";

import { context, evaluate, loadModule, Unknown, withScope } from "./hcl-eval.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
if (argv.length > 1 || argv.some((a) => a.startsWith("-"))) {
  console.error("usage: node fences.mjs [FOLDER]");
  process.exit(2);
}
const ROOT = path.resolve(argv[0] ?? path.join(HERE, ".."));

// Example inputs of the kind the roots pass; none is a real account's.
const MSK_CLUSTER_ARN = "arn:aws:kafka:eu-west-1:123456789012:cluster/monitml-kafka/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2";
const IAM_INPUTS = {
  kafka_auth: "iam",
  msk_cluster_arn: MSK_CLUSTER_ARN,
  oidc_provider_arn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
  oidc_issuer_url: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
  bootstrap_servers: "b-1.monitml-kafka.example:9098",
};
const CIDR_SAMPLES = [["203.0.113.0/24"], ["203.0.113.0/24", "198.51.100.7/32"], [], ["0.0.0.0/0"], ["203.0.113.0/24", "0.0.0.0/0"], ["::/0"], ["not-a-range"]];

/** The statements of an aws_iam_policy_document, its dynamic statements expanded. */
async function policyStatements(document, ctx) {
  const blocks = [...[].concat(document.statement ?? []).map((block) => ({ block, ctx }))];
  for (const dynamic of [].concat(document.dynamic?.statement ?? [])) {
    const items = await evaluate(dynamic.for_each, ctx);
    if (items instanceof Unknown) throw new Error(`a dynamic statement iterates over ${items}`);
    const entries = Array.isArray(items) ? items.map((v, i) => [i, v]) : Object.entries(items);
    const iterator = dynamic.iterator ?? "statement";
    for (const [key, value] of entries) {
      blocks.push({ block: [].concat(dynamic.content)[0], ctx: withScope(ctx, { [iterator]: { key, value } }) });
    }
  }
  const statements = [];
  for (const { block, ctx: scope } of blocks) {
    if (block.not_actions || block.not_resources || block.principals || block.condition) {
      throw new Error("a statement with not_actions, not_resources, principals or conditions: the check reads actions and resources only");
    }
    statements.push({
      sid: block.sid === undefined ? null : await evaluate(block.sid, scope),
      effect: block.effect === undefined ? "Allow" : await evaluate(block.effect, scope),
      actions: await evaluate(block.actions ?? [], scope),
      resources: await evaluate(block.resources ?? [], scope),
    });
  }
  return statements;
}

async function iamFacts() {
  const module = await loadModule(path.join(ROOT, "modules", "monitml"));
  const document = module.data["aws_iam_policy_document.msk_data_plane"];
  if (!document) throw new Error("modules/monitml has no data.aws_iam_policy_document.msk_data_plane");
  const scenarios = [
    {},
    { application_id: "prod-monitor", topic_prefix: "prod.monitml.", seldon_v1_topic: "model-logs", seldon_v2_topic_prefix: "acme" },
    { seldon_v1_topic: "", seldon_v2_topic_prefix: "" },
  ];
  const out = [];
  for (const overrides of scenarios) {
    const ctx = context(module, { ...IAM_INPUTS, ...overrides });
    const names = {};
    for (const name of ["application_id", "topic_prefix", "seldon_v1_topic", "seldon_v2_topic_prefix", "msk_cluster_arn"]) {
      names[name] = await evaluate(`\${var.${name}}`, ctx);
    }
    out.push({
      names,
      created: await evaluate(document.count, ctx) === 1,
      statements: await policyStatements(document, ctx),
    });
  }
  // Settings that rename what the role grants must be refused before the role is made.
  const policy = module.resource["aws_iam_role_policy.monitml_msk"];
  const conditions = async (monitmlConfig) => {
    const ctx = context(module, { ...IAM_INPUTS, monitml_config: monitmlConfig });
    const results = [];
    for (const lifecycle of [].concat(policy?.lifecycle ?? [])) {
      for (const precondition of [].concat(lifecycle.precondition ?? [])) results.push(await evaluate(precondition.condition, ctx));
    }
    return results;
  };
  return {
    scenarios: out,
    preconditions: {
      agreeing: await conditions({ rawTopic: "monitml.events", window: "1m" }),
      renamedTopic: await conditions({ rawTopic: "events" }),
      renamedApplication: await conditions({ applicationId: "other" }),
    },
  };
}

async function cidrVariable(module, name) {
  const block = module.variables[name];
  if (!block) return { module: path.relative(ROOT, module.dir), name, declared: false };
  const accepts = [];
  for (const sample of CIDR_SAMPLES) {
    let ok = true;
    for (const validation of [].concat(block.validation ?? [])) {
      const ctx = context(module, { [name]: sample });
      if ((await evaluate(validation.condition, ctx)) !== true) ok = false;
    }
    accepts.push({ value: sample, accepted: ok });
  }
  const hasDefault = Object.prototype.hasOwnProperty.call(block, "default");
  return {
    module: path.relative(ROOT, module.dir),
    name,
    declared: true,
    hasDefault,
    default: hasDefault ? block.default : null,
    validations: [].concat(block.validation ?? []).length,
    accepts,
  };
}

async function eksFacts() {
  const eks = await loadModule(path.join(ROOT, "modules", "eks"));
  const aws = await loadModule(path.join(ROOT, "aws"));
  const cluster = eks.resource["aws_eks_cluster.this"];
  if (!cluster) throw new Error("modules/eks has no aws_eks_cluster.this");
  const inputs = [
    { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] },
    { endpoint_public_access: true, public_access_cidrs: [] },
    { endpoint_public_access: true, public_access_cidrs: [], public_access_from_anywhere: true },
    { endpoint_public_access: false, public_access_cidrs: [] },
  ];
  const clusters = [];
  for (const input of inputs) {
    const ctx = context(eks, { cluster_name: "monitml", subnet_ids: ["subnet-a", "subnet-b"], ...input });
    const vpc = [].concat(cluster.vpc_config)[0];
    const preconditions = [];
    for (const lifecycle of [].concat(cluster.lifecycle ?? [])) {
      for (const precondition of [].concat(lifecycle.precondition ?? [])) preconditions.push(await evaluate(precondition.condition, ctx));
    }
    clusters.push({
      input,
      endpointPublicAccess: await evaluate(vpc.endpoint_public_access, ctx),
      publicAccessCidrs: vpc.public_access_cidrs === undefined ? null : await evaluate(vpc.public_access_cidrs, ctx),
      preconditions,
    });
  }
  // What aws/ hands modules/eks for given root inputs.
  const call = aws.module.eks;
  const rootInputs = { cluster_public_access_cidrs: ["198.51.100.0/24"], cluster_public_access_from_anywhere: false, cluster_endpoint_public_access: true };
  const rootCtx = context(aws, { slack_webhook_url: "", ...rootInputs });
  const passed = {};
  for (const argument of ["endpoint_public_access", "public_access_cidrs", "public_access_from_anywhere"]) {
    passed[argument] = call?.[argument] === undefined ? null : await evaluate(call[argument], rootCtx);
  }
  return {
    variables: [
      await cidrVariable(eks, "public_access_cidrs"),
      await cidrVariable(aws, "cluster_public_access_cidrs"),
    ],
    optIns: {
      "modules/eks public_access_from_anywhere": eks.variables.public_access_from_anywhere?.default ?? null,
      "aws cluster_public_access_from_anywhere": aws.variables.cluster_public_access_from_anywhere?.default ?? null,
    },
    clusters,
    root: { inputs: rootInputs, passed },
  };
}

async function containerFacts(container, ctx) {
  const env = {};
  const blocks = [].concat(container.env ?? []).map((block) => ({ block, ctx }));
  for (const dynamic of [].concat(container.dynamic?.env ?? [])) {
    const items = await evaluate(dynamic.for_each, ctx);
    const iterator = dynamic.iterator ?? "env";
    if (items instanceof Unknown) {
      // A count-like for_each over a resource: one variable at most, named literally.
      blocks.push({ block: [].concat(dynamic.content)[0], ctx: withScope(ctx, { [iterator]: { key: items, value: items } }) });
      continue;
    }
    const entries = Array.isArray(items) ? items.map((v, i) => [i, v]) : Object.keys(items).sort().map((k) => [k, items[k]]);
    for (const [key, value] of entries) {
      blocks.push({ block: [].concat(dynamic.content)[0], ctx: withScope(ctx, { [iterator]: { key, value } }) });
    }
  }
  for (const { block, ctx: scope } of blocks) {
    const name = await evaluate(block.name, scope);
    const from = [].concat(block.value_from ?? [])[0];
    const secret = from ? [].concat(from.secret_key_ref ?? [])[0] : null;
    env[String(name)] = secret
      ? { secret: String(await evaluate(secret.name, scope)), key: await evaluate(secret.key, scope) }
      : await evaluate(block.value ?? null, scope);
  }
  const mounts = [];
  for (const mount of [].concat(container.volume_mount ?? [])) {
    mounts.push({
      name: await evaluate(mount.name, ctx),
      mountPath: await evaluate(mount.mount_path, ctx),
      readOnly: mount.read_only === undefined ? false : await evaluate(mount.read_only, ctx),
    });
  }
  return { name: await evaluate(container.name, ctx), command: await evaluate(container.command ?? [], ctx), env, mounts };
}

async function registryFacts() {
  const module = await loadModule(path.join(ROOT, "modules", "monitml"));
  const deployment = module.resource["kubernetes_deployment_v1.schema_registry"];
  if (!deployment) throw new Error("modules/monitml has no kubernetes_deployment_v1.schema_registry");
  const ctx = context(module, {
    install_schema_registry: true,
    kafka_auth: "scram",
    kafka_scram_username: "monitml",
    kafka_scram_password: "example-password",
    bootstrap_servers: "b-1.monitml-kafka.example:9096",
  });
  const pod = [].concat([].concat([].concat(deployment.spec)[0].template)[0].spec)[0];
  const containers = [];
  for (const container of [].concat(pod.container ?? [])) containers.push(await containerFacts(container, ctx));
  const initContainers = [];
  for (const container of [].concat(pod.init_container ?? [])) initContainers.push(await containerFacts(container, ctx));
  const volumes = [];
  for (const volume of [].concat(pod.volume ?? [])) {
    volumes.push({ name: await evaluate(volume.name, ctx), kinds: Object.keys(volume).filter((k) => k !== "name") });
  }
  const credentials = await evaluate("${local.credentials}", ctx);
  const values = await evaluate("${local.monitml_values}", ctx);
  return {
    installed: await evaluate(deployment.count, ctx) === 1,
    url: await evaluate("${local.schema_registry_url}", ctx),
    containers,
    initContainers,
    volumes,
    monitml: {
      credentials: Object.fromEntries(Object.entries(credentials).map(([k, v]) => [k, String(v)])),
      secrets: values.secrets,
    },
  };
}

try {
  const facts = { iam: await iamFacts(), eksApi: await eksFacts(), schemaRegistry: await registryFacts() };
  console.log(JSON.stringify(facts, (key, value) => (value instanceof Unknown ? value.toString() : value), 2));
} catch (error) {
  console.error(`fences: ${error.stack ?? error}`);
  process.exit(1);
}
