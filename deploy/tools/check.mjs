#!/usr/bin/env node
// Offline checks of MonitML's Kubernetes deployment (run `node install.mjs` first):
//
//   node deploy/tools/check.mjs chart [--chart DIR]   the Helm chart: lint --strict and template with the
//                                                     default values and each ci/*.yaml, every manifest
//                                                     validated; bad values must be refused
//   node deploy/tools/check.mjs manifests             deploy/kafka and deploy/seldon
//   node deploy/tools/check.mjs kube-prometheus-stack deploy/kube-prometheus-stack against the repository's
//                                                     Alertmanager configuration, dashboards and chart
//   node deploy/tools/check.mjs render [--chart DIR] [HELM ARGS...]
//                                                     helm template of the chart (release monitml, namespace
//                                                     monitml) printed as one JSON array of its objects, for
//                                                     tests that look into the manifests
//
// Prints one OK line per check and exits 0, or prints every problem found and exits 1.

import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

import { parse, parseAllDocuments } from "yaml";

import { modelFile, unknownFields } from "./k8s-fields.mjs";

const TOOLS = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(TOOLS, "..", "..");
const HELM = path.join(TOOLS, "bin", "helm");
const RULES = path.join(ROOT, "deploy", "prometheus", "rules", "monitml.rules.yml");
const DASHBOARDS = path.join(ROOT, "grafana", "dashboards");
const RELEASE = "monitml";
const NAMESPACE = "monitml";

const problems = [];
const problem = (message) => problems.push(message);
/** Prints an OK line when no problem was found since `mark` (problems.length when the check began). */
const ok = (mark, message) => {
  if (problems.length === mark) {
    console.log(`OK: ${message}`);
  }
};
const rel = (file) => path.relative(ROOT, file);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...options });
  if (result.error) {
    throw new Error(`cannot run ${command}: ${result.error.message}`);
  }
  return result;
}

function yamlDocuments(text, source) {
  const documents = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      problem(`${source}: YAML error: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const value = document.toJS();
    if (value !== null && value !== undefined) {
      documents.push(value);
    }
  }
  return documents;
}

const readYaml = (file) => parse(readFileSync(file, "utf8"));

/** Where two values first differ, as a path, or null when they are equal. */
function firstDifference(a, b, where = "") {
  if (isDeepStrictEqual(a, b)) {
    return null;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const difference = firstDifference(a[key], b[key], `${where}${Array.isArray(a) ? `[${key}]` : `.${key}`}`);
      if (difference) {
        return difference;
      }
    }
  }
  return `${where || "(top)"}: ${JSON.stringify(a)?.slice(0, 200)} != ${JSON.stringify(b)?.slice(0, 200)}`;
}

const label = (object) => `${object.kind}/${object.metadata?.name}`;

/** The settings table of docs/configuration.md: [flag, environment variable] of every row. */
function readmeSettings() {
  const readme = readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8");
  const table = readme.slice(readme.indexOf("<!-- settings:begin -->"), readme.indexOf("<!-- settings:end -->"));
  return [...table.matchAll(/^\| `(--[a-z0-9-]+)` \| `([A-Z0-9_*]+)` \|/gm)].map((m) => ({ flag: m[1], variable: m[2] }));
}

/** The topics table of docs/sources.md: the default topic names. */
function readmeTopics() {
  const readme = readFileSync(path.join(ROOT, "docs", "sources.md"), "utf8");
  const start = readme.indexOf("## Topics, dead letters and their reasons");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/^\| `(monitml\.[a-z.-]+)` \|/gm)].map((m) => m[1]).sort();
}

const camel = (variable) => variable.toLowerCase().replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

// --- the chart ---------------------------------------------------------------------------------

async function validateCore(object, where) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  const module = await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`);
  const Model = module[object.kind];
  try {
    new Model(object).validate();
  } catch (error) {
    problem(`${where}: ${label(object)} does not validate against the Kubernetes schema: ${error.message}`);
  }
  for (const unknown of unknownFields(object)) {
    problem(`${where}: ${unknown}`);
  }
}

function checkPrometheusRule(rule, where) {
  const rules = readYaml(RULES);
  const difference = firstDifference(rule.spec?.groups, rules.groups);
  if (difference) {
    problem(`${where}: the PrometheusRule's groups differ from ${rel(RULES)} at spec.groups${difference}`);
  }
  if (Object.keys(rule.spec ?? {}).join() !== "groups") {
    problem(`${where}: the PrometheusRule's spec must hold the groups only, has ${Object.keys(rule.spec ?? {})}`);
  }
}

function checkDashboards(configMaps, where) {
  const files = readdirSync(DASHBOARDS).filter((f) => f.endsWith(".json")).sort();
  const rendered = new Map();
  for (const configMap of configMaps) {
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      rendered.set(key, value);
    }
  }
  for (const file of files) {
    if (!rendered.has(file)) {
      problem(`${where}: no dashboard ConfigMap holds grafana/dashboards/${file}`);
    } else if (rendered.get(file) !== readFileSync(path.join(DASHBOARDS, file), "utf8")) {
      problem(`${where}: the ConfigMap's ${file} differs from grafana/dashboards/${file}`);
    }
  }
  if (rendered.size !== files.length) {
    problem(`${where}: ${rendered.size} dashboards rendered, ${files.length} in grafana/dashboards`);
  }
}

/** Checks across the objects of one rendering: what refers to what, and the hardening. */
function checkRendering(objects, values, where) {
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const [statefulSet, ...more] = byKind("StatefulSet");
  if (!statefulSet || more.length > 0) {
    problem(`${where}: expected one StatefulSet, got ${byKind("StatefulSet").length}`);
    return;
  }
  const spec = statefulSet.spec;
  const pod = spec.template.spec;
  const container = pod.containers.find((c) => c.name === "monitml");
  const services = byKind("Service");
  const headless = services.find((s) => s.metadata.name === spec.serviceName);
  const main = services.find((s) => s.spec.clusterIP !== "None");
  const expect = (condition, message) => condition || problem(`${where}: ${message}`);

  expect(spec.podManagementPolicy === "Parallel", "the StatefulSet's podManagementPolicy is not Parallel");
  expect(headless?.spec.clusterIP === "None", `the StatefulSet's serviceName ${spec.serviceName} is not a headless Service of the chart`);
  expect(headless?.spec.publishNotReadyAddresses === true, "the headless Service does not publish not-ready addresses");
  expect(main !== undefined && main.spec.ports.some((p) => p.port === values.service.port && p.targetPort === "http"),
    "no ClusterIP Service with the http port");
  for (const service of services) {
    expect(isDeepStrictEqual(service.spec.selector, spec.selector.matchLabels), `${label(service)} selects other pods than the StatefulSet`);
  }
  expect(Object.entries(spec.selector.matchLabels).every(([k, v]) => spec.template.metadata.labels[k] === v),
    "the StatefulSet's selector does not match its pod labels");
  expect(container !== undefined, "no container named monitml");
  if (!container) {
    return;
  }
  const port = container.ports.find((p) => p.name === "http");
  expect(port?.containerPort === values.config.httpPort, "the container's http port is not config.httpPort");
  expect(container.livenessProbe?.httpGet?.path === "/health/live", "liveness probe is not /health/live");
  expect(container.readinessProbe?.httpGet?.path === "/health/ready", "readiness probe is not /health/ready");
  expect(container.startupProbe?.httpGet !== undefined, "no startup probe");
  expect(container.resources?.requests && container.resources?.limits, "resources without requests and limits");

  // Hardening
  const sc = container.securityContext ?? {};
  expect(pod.securityContext?.runAsNonRoot === true && sc.runAsNonRoot === true, "not runAsNonRoot");
  expect(sc.readOnlyRootFilesystem === true, "the root filesystem is not read-only");
  expect(sc.allowPrivilegeEscalation === false, "privilege escalation is allowed");
  expect(isDeepStrictEqual(sc.capabilities?.drop, ["ALL"]), "capabilities are not all dropped");
  expect(sc.seccompProfile?.type === "RuntimeDefault" && pod.securityContext?.seccompProfile?.type === "RuntimeDefault",
    "seccomp profile is not RuntimeDefault");
  const tmp = container.volumeMounts.find((m) => m.mountPath === "/tmp");
  expect(tmp && pod.volumes.find((v) => v.name === tmp.name)?.emptyDir, "/tmp is not a writable emptyDir");

  // Volumes and the state directory
  const claims = (spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name);
  const volumes = [...pod.volumes.map((v) => v.name), ...claims];
  for (const mount of container.volumeMounts) {
    expect(volumes.includes(mount.name), `volume mount ${mount.name} has no volume`);
  }
  const data = container.volumeMounts.find((m) => m.mountPath === values.config.dataDir);
  expect(data !== undefined, `nothing is mounted at config.dataDir ${values.config.dataDir}`);
  expect(values.persistence.enabled ? claims.includes(data?.name) : !claims.length,
    `the state directory is ${values.persistence.enabled ? "not " : ""}on a volumeClaimTemplate`);

  // Environment: unique names; the settings; the advertised host; credentials only from Secrets
  const env = new Map();
  for (const variable of container.env) {
    expect(!env.has(variable.name), `environment variable ${variable.name} is set twice`);
    env.set(variable.name, variable);
  }
  const names = [...env.keys()];
  for (const reference of ["POD_NAME", "POD_NAMESPACE"]) {
    const used = names.findIndex((n) => String(env.get(n).value ?? "").includes(`$(${reference})`));
    expect(used < 0 || names.indexOf(reference) < used, `$(${reference}) is used before ${reference} is defined`);
  }
  const advertised = env.get("MONITML_ADVERTISED_HOST")?.value ?? "";
  if (!values.config.advertisedHost) {
    expect(advertised === `$(POD_NAME).${spec.serviceName}.$(POD_NAMESPACE).svc.${values.clusterDomain}`,
      `MONITML_ADVERTISED_HOST is ${advertised}, not the pod's name under the headless Service`);
  }
  for (const secretVariable of ["MONITML_SCHEMA_REGISTRY_USER_INFO", "KAFKA_SASL_JAAS_CONFIG", "MONITML_API_TOKEN"]) {
    expect(env.get(secretVariable)?.value === undefined, `${secretVariable} is written in the pod spec instead of coming from a Secret`);
  }
  const secrets = new Set(byKind("Secret").map((s) => s.metadata.name));
  const existing = new Set(Object.values(values.secrets).map((s) => s.existingSecret).filter(Boolean));
  const secretRefs = [
    ...container.env.filter((v) => v.valueFrom?.secretKeyRef).map((v) => v.valueFrom.secretKeyRef),
    ...pod.volumes.filter((v) => v.secret && !(values.extraVolumes ?? []).some((e) => e.name === v.name))
      .flatMap((v) => (v.secret.items ?? [{}]).map((item) => ({ name: v.secret.secretName, key: item.key }))),
  ];
  for (const ref of secretRefs) {
    const own = byKind("Secret").find((s) => s.metadata.name === ref.name);
    expect(existing.has(ref.name) || (own && (ref.key === undefined || ref.key in own.data)),
      `a Secret reference (${ref.name}, key ${ref.key}) is neither a rendered Secret's key nor a values existingSecret`);
  }
  expect(secrets.size === byKind("Secret").length, "two Secrets share a name");
}

/** Every MONITML_* setting of docs/configuration.md is a key of config in values.yaml, and rendered when given. */
function checkSettings(chartDir, objectsByValues) {
  const mark = problems.length;
  const settings = readmeSettings().filter((s) => s.variable.startsWith("MONITML_") && !s.variable.startsWith("MONITML_DEMO_"));
  if (settings.length < 30) {
    problem(`docs/configuration.md: only ${settings.length} MONITML_* settings found in the settings table`);
  }
  const expected = settings.map((s) => camel(s.variable.slice("MONITML_".length))).sort();
  const keys = Object.keys(readYaml(path.join(chartDir, "values.yaml")).config).sort();
  const missing = expected.filter((k) => !keys.includes(k));
  const extra = keys.filter((k) => !expected.includes(k));
  if (missing.length || extra.length) {
    problem(`values.yaml config: missing keys ${JSON.stringify(missing)} (settings of docs/configuration.md), unknown keys ${JSON.stringify(extra)}`);
  }
  // The production CI values set every setting: each must be rendered as its variable.
  const full = objectsByValues.get("ci/production-values.yaml");
  const statefulSet = full?.find((o) => o.kind === "StatefulSet");
  if (!statefulSet) {
    problem("ci/production-values.yaml did not render a StatefulSet");
    return;
  }
  const rendered = new Set(statefulSet.spec.template.spec.containers[0].env.map((v) => v.name));
  const absent = settings.map((s) => s.variable).filter((v) => !rendered.has(v));
  if (absent.length) {
    problem(`ci/production-values.yaml: the StatefulSet lacks ${absent.join(", ")}`);
  }
  ok(mark, `values.yaml config has one key per MONITML_* setting of docs/configuration.md (${expected.length}), each rendered as its variable`);
}

function checkSymlinks(chartDir) {
  for (const [link, target] of [["files/monitml.rules.yml", RULES], ["files/dashboards", DASHBOARDS]]) {
    const file = path.join(chartDir, link);
    if (!existsSync(file) || !lstatSync(file).isSymbolicLink()) {
      problem(`${rel(file)} must be a symbolic link to ${rel(target)} (one source, no copy)`);
    } else if (realpathSync(file) !== realpathSync(target)) {
      problem(`${rel(file)} points at ${realpathSync(file)}, not ${rel(target)}`);
    }
  }
}

/** Values that the chart must refuse, with the reason it must give. */
const REFUSED = [
  [["--set", "replicas=3"], "config.bootstrapServers is empty"],
  [["--set", "config.bootstrapServers=kafka:9092"], "config.schemaRegistryUrl is required"],
  [["--set", "config.windowsize=1m"], "windowsize"],
  [["--set", "kafka.max_poll_records=500"], "lower-case letters, digits and dots"],
  [["--set", "secrets.apiToken.value=a", "--set", "secrets.apiToken.existingSecret=b"], "choose one"],
  [["--set", "config.driftCorrection=holm"], "driftCorrection"],
  [["--set", "config.bootstrapServers=kafka:9092", "--set", "config.schemaRegistryUrl=http://registry:8081",
    "--set", "networkPolicy.egress.enabled=true"], "networkPolicy.egress.enabled without networkPolicy.egress.rules"],
  [["--set-json", "networkPolicy.egress={\"enabled\":true,\"dns\":[]}"], "networkPolicy.egress.dns is empty"],
  [["--set-json", "networkPolicy.prometheus=[{}]"], "/networkPolicy/prometheus/0': minProperties"],
];

async function checkChart(chartDir) {
  const mark = problems.length;
  if (!existsSync(HELM)) {
    throw new Error(`${HELM} is missing: run node deploy/tools/install.mjs`);
  }
  checkSymlinks(chartDir);
  const ciDir = path.join(chartDir, "ci");
  const valueSets = [null, ...(existsSync(ciDir) ? readdirSync(ciDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => `ci/${f}`) : [])];
  const defaults = readYaml(path.join(chartDir, "values.yaml"));
  const objectsByValues = new Map();
  let manifests = 0;
  for (const valuesFile of valueSets) {
    const where = `helm template with ${valuesFile ?? "the default values"}`;
    const args = valuesFile ? ["-f", path.join(chartDir, valuesFile)] : [];
    const lint = run(HELM, ["lint", "--strict", chartDir, ...args]);
    if (lint.status !== 0) {
      problem(`helm lint --strict with ${valuesFile ?? "the default values"} failed:\n${lint.stdout}${lint.stderr}`);
    }
    const template = run(HELM, ["template", RELEASE, chartDir, "-n", NAMESPACE, ...args]);
    if (template.status !== 0) {
      problem(`${where} failed:\n${template.stderr}`);
      continue;
    }
    const objects = yamlDocuments(template.stdout, where);
    objectsByValues.set(valuesFile, objects);
    const values = valuesFile ? mergeValues(structuredClone(defaults), readYaml(path.join(chartDir, valuesFile))) : defaults;
    for (const object of objects) {
      manifests++;
      if (!object.apiVersion || !object.kind || !object.metadata?.name) {
        problem(`${where}: a manifest without apiVersion, kind or metadata.name: ${JSON.stringify(object).slice(0, 200)}`);
        continue;
      }
      if (modelFile(object.apiVersion, object.kind)) {
        await validateCore(object, where);
      } else if (object.apiVersion === "monitoring.coreos.com/v1" && object.kind === "PrometheusRule") {
        checkPrometheusRule(object, where);
      } else if (object.apiVersion === "monitoring.coreos.com/v1" && object.kind === "ServiceMonitor") {
        const endpoint = object.spec?.endpoints?.[0];
        const target = objects.find((o) => o.kind === "Service" && Object.entries(object.spec.selector.matchLabels)
          .every(([k, v]) => o.metadata.labels?.[k] === v));
        const matching = objects.filter((o) => o.kind === "Service" && Object.entries(object.spec.selector.matchLabels)
          .every(([k, v]) => o.metadata.labels?.[k] === v));
        if (matching.length !== 1 || target.spec.clusterIP === "None") {
          problem(`${where}: the ServiceMonitor must select exactly the ClusterIP Service, selects ${matching.map(label)}`);
        } else if (endpoint?.path !== "/metrics" || !target.spec.ports.some((p) => p.name === endpoint.port)) {
          problem(`${where}: the ServiceMonitor's endpoint is not /metrics on a port of the Service`);
        }
        if (endpoint?.honorLabels !== true) {
          problem(`${where}: the ServiceMonitor must honor the metrics' labels: MonitML's namespace label is the Seldon namespace, not the target's`);
        }
        if (!target?.metadata.labels?.[object.spec.jobLabel]) {
          problem(`${where}: the ServiceMonitor's jobLabel ${object.spec.jobLabel} is not a label of the Service`);
        } else if (target.metadata.labels[object.spec.jobLabel] !== "monitml") {
          problem(`${where}: the job label would be ${target.metadata.labels[object.spec.jobLabel]}; the rules' MonitMLDown matches job="monitml"`);
        }
      } else {
        problem(`${where}: ${object.apiVersion} ${object.kind} is neither a Kubernetes kind nor one the checks know`);
      }
    }
    checkRendering(objects, values, where);
    const dashboards = objects.filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard);
    if (values.grafanaDashboards.enabled) {
      checkDashboards(dashboards, where);
    }
    if (values.metrics.prometheusRule.enabled && !objects.some((o) => o.kind === "PrometheusRule")) {
      problem(`${where}: metrics.prometheusRule.enabled but no PrometheusRule rendered`);
    }
  }
  checkSettings(chartDir, objectsByValues);
  for (const [args, reason] of REFUSED) {
    const result = run(HELM, ["template", RELEASE, chartDir, ...args]);
    if (result.status === 0) {
      problem(`helm template ${args.join(" ")} succeeded; the chart must refuse it (${reason})`);
    } else if (!result.stderr.includes(reason)) {
      problem(`helm template ${args.join(" ")} failed without saying "${reason}":\n${result.stderr}`);
    }
  }
  const rendered = [...objectsByValues.values()].flat();
  if (!rendered.some((o) => o.kind === "PrometheusRule") || !rendered.some((o) => o.kind === "ServiceMonitor")
    || !rendered.some((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard)) {
    problem("no values file renders the PrometheusRule, the ServiceMonitor and the dashboards: the CI values must turn them on");
  }
  ok(mark, `chart ${rel(chartDir)}: helm lint --strict and helm template with ${valueSets.length} value sets (${valueSets.map((v) => v ?? "defaults").join(", ")}), ${manifests} manifests validated (${[...new Set(rendered.map((o) => o.kind))].sort().join(", ")}), ${REFUSED.length} bad value sets refused`);
}

function mergeValues(base, override) {
  for (const [key, value] of Object.entries(override ?? {})) {
    if (value && typeof value === "object" && !Array.isArray(value) && base[key] && typeof base[key] === "object" && !Array.isArray(base[key])) {
      mergeValues(base[key], value);
    } else {
      base[key] = value;
    }
  }
  return base;
}

// --- deploy/kafka and deploy/seldon ------------------------------------------------------------

function requireFields(object, fields, where) {
  for (const field of fields) {
    const value = (Array.isArray(field) ? field : field.split(".")).reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), object);
    if (value === undefined || value === null || value === "") {
      problem(`${where}: ${label(object)} has no ${Array.isArray(field) ? field.join(".") : field}`);
    }
  }
}

function manifestsOf(file) {
  const objects = yamlDocuments(readFileSync(file, "utf8"), rel(file));
  for (const object of objects) {
    requireFields(object, ["apiVersion", "kind", "metadata.name"], rel(file));
  }
  return objects;
}

function checkManifests() {
  const mark = problems.length;
  const defaults = readYaml(path.join(ROOT, "deploy", "helm", "monitml", "values.yaml"));

  // Strimzi topics
  const topicsFile = path.join(ROOT, "deploy", "kafka", "topics.yaml");
  const topics = manifestsOf(topicsFile);
  const where = rel(topicsFile);
  for (const topic of topics) {
    if (topic.apiVersion !== "kafka.strimzi.io/v1beta2" || topic.kind !== "KafkaTopic") {
      problem(`${where}: ${topic.apiVersion} ${topic.kind} is not a kafka.strimzi.io/v1beta2 KafkaTopic`);
      continue;
    }
    requireFields(topic, [["metadata", "labels", "strimzi.io/cluster"], "spec.partitions", "spec.replicas", "spec.config"], where);
    const name = topic.spec.topicName ?? topic.metadata.name;
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(topic.metadata.name) || topic.metadata.name.length > 253) {
      problem(`${where}: ${topic.metadata.name} is not a valid Kubernetes name`);
    }
    if (!Number.isInteger(topic.spec.partitions) || topic.spec.partitions < 1 || !Number.isInteger(topic.spec.replicas) || topic.spec.replicas < 1) {
      problem(`${where}: ${name}: partitions and replicas must be positive integers`);
    }
    const policy = topic.spec.config?.["cleanup.policy"];
    const compacted = name === defaults.config.baselinesTopic || name === defaults.config.performanceTopic;
    if (policy !== (compacted ? "compact" : "delete")) {
      problem(`${where}: ${name}: cleanup.policy ${policy}, expected ${compacted ? "compact" : "delete"}`);
    }
    if (!compacted && !(Number.isInteger(topic.spec.config["retention.ms"]) && topic.spec.config["retention.ms"] > 0)) {
      problem(`${where}: ${name}: no retention.ms`);
    }
    if ((topic.spec.config["min.insync.replicas"] ?? 1) >= topic.spec.replicas && topic.spec.replicas > 1) {
      problem(`${where}: ${name}: min.insync.replicas must be below replicas, or one broker down stops writes`);
    }
  }
  const names = topics.map((t) => t.spec?.topicName ?? t.metadata.name).sort();
  const documented = readmeTopics();
  const configured = ["rawTopic", "deadLetterTopic", "predictionStatsTopic", "driftTopic", "baselinesTopic", "inferencesTopic",
    "labelsTopic", "performanceTopic"]
    .map((k) => defaults.config[k]).sort();
  if (!isDeepStrictEqual(names, documented) || !isDeepStrictEqual(names, configured)) {
    problem(`${where}: topics ${JSON.stringify(names)}; docs/sources.md's topics table lists ${JSON.stringify(documented)}, the chart's config ${JSON.stringify(configured)}`);
  }
  const raw = topics.find((t) => (t.spec?.topicName ?? t.metadata.name) === defaults.config.rawTopic);
  if (raw && topics.some((t) => t.spec.partitions > raw.spec.partitions)) {
    problem(`${where}: the raw topic should have the most partitions: it bounds the useful instances`);
  }

  // Seldon Core v1 canary
  const serviceUrl = new RegExp(`^http://${RELEASE}\\.[a-z0-9-]+\\.svc\\.cluster\\.local:${defaults.service.port}/$`);
  const v1File = path.join(ROOT, "deploy", "seldon", "housing-canary-v1.yaml");
  const [deployment, ...rest] = manifestsOf(v1File);
  if (!deployment || rest.length || deployment.apiVersion !== "machinelearning.seldon.io/v1" || deployment.kind !== "SeldonDeployment") {
    problem(`${rel(v1File)}: expected one machinelearning.seldon.io/v1 SeldonDeployment`);
  } else {
    const predictors = deployment.spec?.predictors ?? [];
    const traffic = predictors.map((p) => p.traffic);
    if (predictors.length !== 2 || !isDeepStrictEqual(traffic, [75, 25])) {
      problem(`${rel(v1File)}: expected two predictors with traffic 75 and 25, got ${JSON.stringify(traffic)}`);
    }
    for (const predictor of predictors) {
      requireFields(predictor, ["name", "graph.name", "graph.modelUri"], `${rel(v1File)} predictor ${predictor.name}`);
      const logger = predictor.graph?.logger;
      if (logger?.mode !== "all" || !serviceUrl.test(logger?.url ?? "")) {
        problem(`${rel(v1File)}: predictor ${predictor.name}'s logger must be {mode: all, url: http://${RELEASE}.<namespace>.svc.cluster.local:${defaults.service.port}/}, is ${JSON.stringify(logger)}`);
      }
    }
  }

  // Knative: Broker -> Trigger -> KafkaSink -> the raw topic, binary mode
  const knativeFile = path.join(ROOT, "deploy", "seldon", "knative-kafkasink.yaml");
  const knative = manifestsOf(knativeFile);
  const find = (apiVersion, kind) => knative.filter((o) => o.apiVersion === apiVersion && o.kind === kind);
  const [broker] = find("eventing.knative.dev/v1", "Broker");
  const [trigger] = find("eventing.knative.dev/v1", "Trigger");
  const [sink] = find("eventing.knative.dev/v1alpha1", "KafkaSink");
  if (!broker || !trigger || !sink || knative.length !== 3) {
    problem(`${rel(knativeFile)}: expected a Broker and a Trigger (eventing.knative.dev/v1) and a KafkaSink (eventing.knative.dev/v1alpha1)`);
  } else {
    const ref = trigger.spec?.subscriber?.ref ?? {};
    if (trigger.spec?.broker !== broker.metadata.name || ref.kind !== "KafkaSink" || ref.apiVersion !== sink.apiVersion || ref.name !== sink.metadata.name) {
      problem(`${rel(knativeFile)}: the Trigger must take the Broker's events to the KafkaSink`);
    }
    if (sink.spec?.topic !== defaults.config.rawTopic || sink.spec?.contentMode !== "binary" || !(sink.spec?.bootstrapServers?.length > 0)) {
      problem(`${rel(knativeFile)}: the KafkaSink must write to ${defaults.config.rawTopic} in binary content mode, with bootstrapServers`);
    }
    if (new Set(knative.map((o) => o.metadata.namespace)).size !== 1) {
      problem(`${rel(knativeFile)}: the Broker, Trigger and KafkaSink must share a namespace`);
    }
  }

  // Seldon Core v2: Model and Pipeline
  const v2File = path.join(ROOT, "deploy", "seldon", "housing-v2-pipeline.yaml");
  const v2 = manifestsOf(v2File);
  const models = v2.filter((o) => o.apiVersion === "mlops.seldon.io/v1alpha1" && o.kind === "Model");
  const pipelines = v2.filter((o) => o.apiVersion === "mlops.seldon.io/v1alpha1" && o.kind === "Pipeline");
  if (models.length !== 1 || pipelines.length !== 1 || v2.length !== 2) {
    problem(`${rel(v2File)}: expected one mlops.seldon.io/v1alpha1 Model and one Pipeline`);
  } else {
    requireFields(models[0], ["spec.storageUri"], rel(v2File));
    const steps = (pipelines[0].spec?.steps ?? []).map((s) => s.name);
    if (!steps.includes(models[0].metadata.name) || !(pipelines[0].spec?.output?.steps ?? []).every((s) => steps.includes(s))) {
      problem(`${rel(v2File)}: the Pipeline's steps must run the Model ${models[0].metadata.name}`);
    }
    const prefix = defaults.config.seldonV2Prefix;
    const text = readFileSync(v2File, "utf8");
    if (!prefix || !text.includes(`${prefix}.<namespace>.model.`)) {
      problem(`${rel(v2File)}: must name the topics MonitML reads with config.seldonV2Prefix (${prefix}.<namespace>.model.<model>.inputs)`);
    }
  }
  ok(mark, `${where}: ${topics.length} KafkaTopics, the documented topics; deploy/seldon: the v1 canary, the Knative path to ${defaults.config.rawTopic}, the v2 Model and Pipeline`);
}

// --- deploy/kube-prometheus-stack ----------------------------------------------------------------

function checkKubePrometheusStack() {
  const mark = problems.length;
  const dir = path.join(ROOT, "deploy", "kube-prometheus-stack");
  const script = path.join(dir, "alertmanager-values.sh");
  const made = run("bash", [script]);
  if (made.status !== 0) {
    problem(`${rel(script)} failed:\n${made.stderr}`);
    return;
  }
  const generated = parse(made.stdout);
  const source = readYaml(path.join(ROOT, "deploy", "alertmanager", "alertmanager.yml"));
  const expected = { ...source, templates: ["/etc/alertmanager/config/*.tmpl"] };
  const difference = firstDifference(generated?.alertmanager?.config, expected);
  if (difference) {
    problem(`${rel(script)}: alertmanager.config differs from deploy/alertmanager/alertmanager.yml (templates aside) at${difference}`);
  }
  const templatesDir = path.join(ROOT, "deploy", "alertmanager", "templates");
  const templates = Object.fromEntries(readdirSync(templatesDir).filter((f) => f.endsWith(".tmpl")).sort()
    .map((f) => [f, readFileSync(path.join(templatesDir, f), "utf8")]));
  const templateDifference = firstDifference(generated?.alertmanager?.templateFiles, templates);
  if (templateDifference) {
    problem(`${rel(script)}: alertmanager.templateFiles differ from deploy/alertmanager/templates at${templateDifference}`);
  }

  const values = readYaml(path.join(dir, "values.yaml"));
  const chart = readYaml(path.join(ROOT, "deploy", "helm", "monitml", "values.yaml"));
  const spec = values.alertmanager?.alertmanagerSpec ?? {};
  const urlFiles = new Set((source.receivers ?? []).flatMap((r) => (r.slack_configs ?? []).map((c) => c.api_url_file)).filter(Boolean));
  for (const file of urlFiles) {
    const mount = (spec.volumeMounts ?? []).find((m) => path.posix.dirname(file) === m.mountPath);
    const volume = (spec.volumes ?? []).find((v) => v.name === mount?.name);
    if (!mount || !volume?.secret) {
      problem(`${rel(dir)}/values.yaml: no Secret is mounted at ${path.posix.dirname(file)}, where alertmanager.yml reads ${file}`);
    } else if (volume.secret.secretName !== chart.secrets.alertmanagerSlackWebhook.secretName) {
      problem(`${rel(dir)}/values.yaml: mounts Secret ${volume.secret.secretName}; the MonitML chart creates ${chart.secrets.alertmanagerSlackWebhook.secretName}`);
    }
  }
  if (urlFiles.size === 0) {
    problem("deploy/alertmanager/alertmanager.yml: no receiver reads its Slack URL from a file");
  }
  const sidecar = values.grafana?.sidecar?.dashboards ?? {};
  const labels = chart.grafanaDashboards.labels;
  if (labels[sidecar.label] !== sidecar.labelValue) {
    problem(`${rel(dir)}/values.yaml: Grafana's sidecar looks for ${sidecar.label}=${sidecar.labelValue}; the chart labels its dashboards ${JSON.stringify(labels)}`);
  }
  if (sidecar.folderAnnotation && !(sidecar.folderAnnotation in chart.grafanaDashboards.annotations)) {
    problem(`${rel(dir)}/values.yaml: folderAnnotation ${sidecar.folderAnnotation} is not an annotation of the chart's dashboards`);
  }
  const uids = new Set();
  for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith(".json"))) {
    for (const m of readFileSync(path.join(DASHBOARDS, file), "utf8").matchAll(/"datasource":\s*\{[^}]*"uid":\s*"([^"$]+)"/g)) {
      uids.add(m[1]);
    }
  }
  const uid = values.grafana?.sidecar?.datasources?.uid;
  for (const used of uids) {
    if (used !== uid && used !== "-- Grafana --" && used !== "grafana") {
      problem(`${rel(dir)}/values.yaml: the dashboards query data source uid ${used}, the Grafana data source has uid ${uid}`);
    }
  }
  const prometheus = readYaml(path.join(ROOT, "deploy", "prometheus", "prometheus.yml"));
  if (values.prometheus?.prometheusSpec?.evaluationInterval !== prometheus.global.evaluation_interval) {
    problem(`${rel(dir)}/values.yaml: evaluationInterval ${values.prometheus?.prometheusSpec?.evaluationInterval}; the rules are written for ${prometheus.global.evaluation_interval}`);
  }
  ok(mark, `${rel(dir)}: alertmanager-values.sh carries deploy/alertmanager (${Object.keys(templates).length} template files), the Slack Secret is mounted where alertmanager.yml reads it, Grafana finds the chart's dashboards`);
}

// --- render -------------------------------------------------------------------------------------

function render(args) {
  const at = args.indexOf("--chart");
  const chartDir = path.resolve(at >= 0 ? args[at + 1] : path.join(ROOT, "deploy", "helm", "monitml"));
  const helmArgs = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  if (!existsSync(HELM)) {
    throw new Error(`${HELM} is missing: run node deploy/tools/install.mjs`);
  }
  const template = run(HELM, ["template", RELEASE, chartDir, "-n", NAMESPACE, ...helmArgs]);
  if (template.status !== 0) {
    problem(`helm template ${helmArgs.join(" ")} failed:\n${template.stderr}`);
    return;
  }
  const objects = yamlDocuments(template.stdout, `helm template ${helmArgs.join(" ")}`);
  if (problems.length === 0) {
    console.log(JSON.stringify(objects));
  }
}

// --- main ----------------------------------------------------------------------------------------

const [command, ...args] = process.argv.slice(2);
try {
  if (command === "chart") {
    const at = args.indexOf("--chart");
    await checkChart(path.resolve(at >= 0 ? args[at + 1] : path.join(ROOT, "deploy", "helm", "monitml")));
  } else if (command === "manifests") {
    checkManifests();
  } else if (command === "kube-prometheus-stack") {
    checkKubePrometheusStack();
  } else if (command === "render") {
    render(args);
  } else {
    console.error("usage: node deploy/tools/check.mjs chart [--chart DIR] | manifests | kube-prometheus-stack | render [--chart DIR] [HELM ARGS...]");
    process.exit(2);
  }
} catch (error) {
  problem(`${command}: ${error.stack ?? error}`);
}
if (problems.length > 0) {
  console.log(`FAILED: ${problems.length} problem(s):`);
  for (const message of problems) {
    console.log(`- ${message}`);
  }
  process.exit(1);
}
