#!/usr/bin/env node
// Checks the MonitML Grafana dashboards (grafana/dashboards/*.json):
//  1. each validates against a JSON Schema generated, at check time, from the
//     Dashboard type of @grafana/schema (ts-json-schema-generator + ajv);
//  2. MonitML conventions: uid = file name, Prometheus data source uid "prometheus",
//     template variables namespace / deployment / variant, unique panel ids,
//     panel types timeseries / stat / table / row, an expr in every target;
//  3. every PromQL expression, with its template variables replaced by concrete
//     values, parses: they are written as recording rules into a temporary file
//     checked by `promtool check rules`.
// Exits 1 and prints what is wrong on any problem.
//
// With --list-metrics it prints instead, one a line and sorted, the metric names
// the expressions use (monitml_*, kafka_*, jvm_*) and exits 0 if it could read
// the dashboards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const toolsDir = path.dirname(fileURLToPath(import.meta.url));
const dashboardsDir = path.resolve(toolsDir, '..', 'dashboards');
const listMetrics = process.argv.includes('--list-metrics');

const REQUIRED_VARIABLES = ['namespace', 'deployment', 'variant'];
const PANEL_TYPES = new Set(['timeseries', 'stat', 'table', 'row']);
const DATASOURCE = { type: 'prometheus', uid: 'prometheus' };
// Values that stand in for the template variables when the PromQL is parsed.
const SUBSTITUTIONS = {
  namespace: 'seldon',
  deployment: 'housing',
  variant: '.*',
  feature: '.*',
  __rate_interval: '1m',
  __interval: '1m',
  __range: '1h',
};
// [a-z0-9_]: the quantile gauges are monitml_prediction_p50 / p90 / p99.
const METRIC_NAME = /\b(?:monitml_[a-z0-9_]+|kafka_[a-z0-9_]+|jvm_[a-z0-9_]+)/g;

const problems = [];
const problem = (file, message) => problems.push(`${file}: ${message}`);

function loadDashboards() {
  const files = fs.readdirSync(dashboardsDir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) problem(dashboardsDir, 'no dashboards');
  const dashboards = [];
  for (const file of files) {
    try {
      dashboards.push({ file, json: JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')) });
    } catch (e) {
      problem(file, `not JSON: ${e.message}`);
    }
  }
  return dashboards;
}

// All panels, those nested in rows included.
function panelsOf(dashboard) {
  const out = [];
  for (const p of dashboard.panels ?? []) {
    out.push(p);
    for (const nested of p.panels ?? []) out.push(nested);
  }
  return out;
}

function expressionsOf(dashboard) {
  const out = [];
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      out.push({ panel, target, expr: target.expr });
    }
  }
  return out;
}

function substitute(expr) {
  return expr.replace(/\$\{?(\w+)(?::\w+)?\}?/g, (whole, name) =>
    name in SUBSTITUTIONS ? SUBSTITUTIONS[name] : whole);
}

async function checkSchema(dashboards) {
  const { createGenerator } = await import('ts-json-schema-generator');
  const { default: Ajv } = await import('ajv');
  // expose "none" inlines every type: @grafana/schema defines DataSourceRef twice
  // (common and raw), which the generator refuses as named definitions.
  const schema = createGenerator({
    path: path.join(toolsDir, 'schema-entry.ts'),
    tsconfig: path.join(toolsDir, 'tsconfig.json'),
    type: 'GrafanaDashboard',
    expose: 'none',
    skipTypeCheck: true,
    additionalProperties: false,
  }).createSchema('GrafanaDashboard');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  for (const { file, json } of dashboards) {
    if (!validate(json)) {
      // panels are Panel | RowPanel (anyOf 0 | 1): report only the errors of the
      // branch the panel's type selects, not the other branch's nor the anyOf summary.
      const lines = new Set();
      for (const e of validate.errors) {
        const branch = /\/properties\/panels\/items\/anyOf\/(\d)/.exec(e.schemaPath);
        const panel = /^\/panels\/(\d+)/.exec(e.instancePath);
        if (panel && e.keyword === 'anyOf' && e.instancePath === panel[0]) continue;
        if (branch && panel) {
          const isRow = json.panels?.[Number(panel[1])]?.type === 'row';
          if (branch[1] !== (isRow ? '1' : '0')) continue;
        }
        const extra = e.params?.additionalProperty ? ` (${e.params.additionalProperty})`
          : e.params?.allowedValue !== undefined ? ` (${JSON.stringify(e.params.allowedValue)})`
          : e.params?.allowedValues ? ` (${JSON.stringify(e.params.allowedValues)})` : '';
        lines.add(`schema: ${e.instancePath || '/'} ${e.message}${extra}`);
      }
      if (lines.size === 0) lines.add(`schema: ${ajv.errorsText(validate.errors)}`);
      for (const line of lines) problem(file, line);
    }
  }
}

function checkConventions(dashboards) {
  const uids = new Set();
  for (const { file, json } of dashboards) {
    const expectedUid = path.basename(file, '.json');
    if (json.uid !== expectedUid) problem(file, `uid "${json.uid}" is not the file name "${expectedUid}"`);
    if (uids.has(json.uid)) problem(file, `uid "${json.uid}" used twice`);
    uids.add(json.uid);
    if (!json.title) problem(file, 'no title');
    if (!(json.schemaVersion >= 36)) problem(file, `schemaVersion ${json.schemaVersion} older than 36`);
    const variables = new Map((json.templating?.list ?? []).map((v) => [v.name, v]));
    for (const name of REQUIRED_VARIABLES) {
      const v = variables.get(name);
      if (!v) { problem(file, `template variable "${name}" missing`); continue; }
      if (v.type !== 'query') problem(file, `template variable "${name}" is not a query variable`);
      const query = typeof v.query === 'string' ? v.query : v.query?.query;
      if (!query || !query.includes(`label_values(`) || !query.includes(`, ${name})`)) {
        problem(file, `template variable "${name}" does not query label_values(..., ${name})`);
      }
    }
    const variant = variables.get('variant');
    if (variant && !(variant.multi && variant.includeAll)) problem(file, 'template variable "variant" is not multi-value with "All"');
    for (const v of variables.values()) {
      if (v.type === 'query' && (v.datasource?.type !== DATASOURCE.type || v.datasource?.uid !== DATASOURCE.uid)) {
        problem(file, `template variable "${v.name}" does not use data source ${JSON.stringify(DATASOURCE)}`);
      }
    }
    const ids = new Set();
    for (const panel of panelsOf(json)) {
      const where = `panel ${panel.id} "${panel.title}"`;
      if (ids.has(panel.id)) problem(file, `${where}: panel id used twice`);
      ids.add(panel.id);
      if (!PANEL_TYPES.has(panel.type)) problem(file, `${where}: panel type "${panel.type}" not one of ${[...PANEL_TYPES].join(', ')}`);
      if (panel.type === 'row') continue;
      if (panel.datasource?.type !== DATASOURCE.type || panel.datasource?.uid !== DATASOURCE.uid) {
        problem(file, `${where}: data source is not ${JSON.stringify(DATASOURCE)}`);
      }
      if (!panel.targets?.length) problem(file, `${where}: no targets`);
      const refIds = new Set();
      for (const target of panel.targets ?? []) {
        if (refIds.has(target.refId)) problem(file, `${where}: refId ${target.refId} used twice`);
        refIds.add(target.refId);
        if (typeof target.expr !== 'string' || !target.expr.trim()) problem(file, `${where}: target ${target.refId} has no expr`);
        const unknown = [...(target.expr ?? '').matchAll(/\$\{?(\w+)/g)].map((m) => m[1])
          .filter((n) => !(n in SUBSTITUTIONS) || (!n.startsWith('__') && !variables.has(n)));
        if (unknown.length) problem(file, `${where}: target ${target.refId} uses undefined variables ${unknown.join(', ')}`);
      }
    }
  }
}

function checkPromql(dashboards) {
  const rules = [];
  for (const { file, json } of dashboards) {
    for (const { panel, target, expr } of expressionsOf(json)) {
      if (typeof expr !== 'string' || !expr.trim()) continue;
      rules.push({ source: `${file} panel ${panel.id} "${panel.title}" target ${target.refId}`, expr: substitute(expr) });
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitml-promql-'));
  const rulesFile = path.join(dir, 'dashboards.rules.yml');
  // JSON is YAML: no quoting problems with the expressions.
  const doc = {
    groups: [{
      name: 'monitml-dashboards',
      rules: rules.map((r, i) => ({ record: `monitml_dashboard:expr_${i}`, expr: r.expr })),
    }],
  };
  fs.writeFileSync(rulesFile, JSON.stringify(doc, null, 2));
  const promtool = process.env.PROMTOOL ?? 'promtool';
  const result = spawnSync(promtool, ['check', 'rules', rulesFile], { encoding: 'utf8' });
  try {
    if (result.error) {
      problem('promtool', `cannot run "${promtool}": ${result.error.message} (install Prometheus' promtool or set PROMTOOL)`);
    } else if (result.status !== 0) {
      const output = `${result.stdout}${result.stderr}`;
      // promtool names the rule by its index in the group: map it back to the panel.
      const failing = new Set([...output.matchAll(/expr_(\d+)/g)].map((m) => Number(m[1])));
      for (const i of failing) if (rules[i]) problem(rules[i].source, `PromQL: ${rules[i].expr}`);
      // Parse each expression on its own so every bad one is named.
      if (failing.size === 0) {
        for (const [i, r] of rules.entries()) {
          const single = path.join(dir, `rule-${i}.yml`);
          fs.writeFileSync(single, JSON.stringify({ groups: [{ name: 'one', rules: [{ record: 'monitml_dashboard:expr', expr: r.expr }] }] }));
          const one = spawnSync(promtool, ['check', 'rules', single], { encoding: 'utf8' });
          if (one.status !== 0) problem(r.source, `PromQL does not parse: ${r.expr}\n${one.stdout}${one.stderr}`);
        }
      }
      problem('promtool', `check rules failed:\n${output}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rules.length;
}

const dashboards = loadDashboards();

if (listMetrics) {
  const names = new Set();
  for (const { json } of dashboards) {
    for (const { expr } of expressionsOf(json)) for (const m of (expr ?? '').matchAll(METRIC_NAME)) names.add(m[0]);
    for (const v of json.templating?.list ?? []) {
      const q = typeof v.query === 'string' ? v.query : v.query?.query ?? '';
      for (const m of q.matchAll(METRIC_NAME)) names.add(m[0]);
    }
  }
  for (const p of problems) console.error(p);
  for (const n of [...names].sort()) console.log(n);
  process.exit(problems.length ? 1 : 0);
}

try {
  await checkSchema(dashboards);
} catch (e) {
  problem('schema', `cannot generate or apply the dashboard schema from @grafana/schema: ${e.stack ?? e}`);
}
checkConventions(dashboards);
const expressions = checkPromql(dashboards);

if (problems.length) {
  console.error(`${problems.length} problem(s) in ${dashboards.length} dashboard(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`OK: ${dashboards.length} dashboards (${dashboards.map((d) => d.file).join(', ')}) valid against @grafana/schema Dashboard; ${expressions} PromQL expressions parse (promtool check rules)`);
