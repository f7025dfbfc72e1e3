// The analysts' page: the monitored units and, for the selected one, its prediction statistics,
// traffic and latency over the last hour and the drift of each feature against the baseline.
// Reads MonitML's query API (/api/v1) every few seconds; plain ES2020 modules, no dependencies.

import { el, num, pValue, percent, millis, time, span } from './dom.js';
import { timeChart, distributionChart, driftHeatMap, binLabels } from './charts.js';

const API = new URL('../api/v1/', window.location.href);
const REFRESH_MS = 5000;
const TOKEN_KEY = 'monitml.apiToken';
/** Ranges to ask for, widest first: a server keeping windows for less than an hour refuses the wider ones. */
const RANGES = [['1h', 3600e3], ['30m', 1800e3], ['15m', 900e3], ['5m', 300e3]];
/** Later queries ask again from a minute before the newest window held, in case one closed late. */
const OVERLAP_MS = 60e3;

const STATUS = {
  DRIFT: { label: 'DRIFT', help: 'The features or the predictions of the last window drifted from the baseline' },
  WATCH: { label: 'watch', help: 'No drift in the last window, but the PSI of a feature reached the watch level (--psi-watch)' },
  OK: { label: 'OK', help: 'No drift in the last window' },
  NO_BASELINE: { label: 'no baseline', help: 'No baseline has been published for this deployment' },
  INSUFFICIENT_DATA: { label: 'too few rows', help: 'The last window had too few request rows to test (--min-rows)' },
  NO_DRIFT_REPORT: { label: 'no drift report', help: 'No drift report yet: no window of requests has closed' },
};

const state = {
  units: null,
  token: readToken(),
  histories: new Map(),
  openDetails: new Set(),
  timer: null,
  running: false,
  again: false,
};

// ---- the API ----

class ApiError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

async function api(path) {
  const headers = { Accept: 'application/json' };
  if (state.token) {
    headers.Authorization = `Bearer ${state.token}`;
  }
  let response;
  try {
    response = await fetch(new URL(path, API), { headers, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, `MonitML does not answer (${e.message})`);
  }
  if (response.ok) {
    return response.json();
  }
  let message = response.statusText;
  try {
    const body = await response.json();
    message = body.message || message;
  } catch (e) {
    // not JSON: keep the status text
  }
  throw new ApiError(response.status, message, Number.parseInt(response.headers.get('Retry-After'), 10) || null);
}

/** Units per page of /units, the API's largest. */
const UNITS_PAGE = 1000;
/** Pages read at most per refresh: 50,000 units, far more than a table can show. */
const MAX_UNIT_PAGES = 50;

/** Every unit, page after page (the API answers /units in pages ordered by key). */
async function allUnits() {
  const units = [];
  let after = null;
  for (let page = 0; page < MAX_UNIT_PAGES; page++) {
    const query = `units?limit=${UNITS_PAGE}` + (after === null ? '' : `&after=${encodeURIComponent(after)}`);
    const listing = await api(query);
    units.push(...(listing.units || []));
    after = listing.next ?? null;
    if (after === null) {
      break;
    }
  }
  return units;
}

/** The answer, or null when the API says 404 (unknown unit, no report yet). */
async function optional(path) {
  try {
    return await api(path);
  } catch (e) {
    if (e.status === 404) {
      return null;
    }
    throw e;
  }
}

function pathOf(unit) {
  return [unit.namespace, unit.deployment, unit.variant, unit.model].map(encodeURIComponent).join('/');
}

function keyFromHash() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  if (!hash) {
    return null;
  }
  try {
    const parts = hash.split('/').map(decodeURIComponent);
    return parts.length === 4 && parts.every(Boolean) ? parts.join('/') : null;
  } catch (e) {
    return null;
  }
}

/**
 * The closed windows (or drift reports) of the last hour, kept between refreshes: the first query
 * asks for the range, later ones only for what is new.
 */
async function history(key, path, field) {
  const id = `${key} ${field}`;
  if (!state.histories.has(id)) {
    state.histories.set(id, { items: new Map(), range: 0 });
  }
  const held = state.histories.get(id);
  const starts = [...held.items.keys()].map(Date.parse);
  const newest = starts.length ? Math.max(...starts) : null;
  const query = newest === null ? `last=${RANGES[held.range][0]}` : `from=${new Date(newest - OVERLAP_MS).toISOString()}`;
  let answer;
  try {
    answer = await api(`${path}?${query}`);
  } catch (e) {
    if (e.status === 400 && newest === null && held.range < RANGES.length - 1) {
      held.range += 1;
      return history(key, path, field);
    }
    if (e.status === 404) {
      return { items: [], range: RANGES[held.range][0] };
    }
    throw e;
  }
  for (const item of answer[field] || []) {
    held.items.set(item.windowStart, item);
  }
  const ends = [...held.items.values()].map(item => Date.parse(item.windowEnd));
  const horizon = Math.max(...ends) - RANGES[held.range][1];
  for (const [start, item] of held.items) {
    if (Date.parse(item.windowEnd) <= horizon) {
      held.items.delete(start);
    }
  }
  const items = [...held.items.values()].sort((a, b) => Date.parse(a.windowStart) - Date.parse(b.windowStart));
  return { items, range: RANGES[held.range][0] };
}

async function loadUnit(summary) {
  const base = `units/${pathOf(summary.unit)}`;
  const [stats, reports, live, latest] = await Promise.all([
    history(summary.key, `${base}/stats`, 'windows'),
    history(summary.key, `${base}/drift`, 'reports'),
    optional(`${base}/stats/live`),
    optional(`${base}/drift/latest`),
  ]);
  const closedStarts = new Set(stats.items.map(w => w.windowStart));
  const open = (live ? live.windows : []).filter(w => !closedStarts.has(w.windowStart))
    .sort((a, b) => Date.parse(a.windowStart) - Date.parse(b.windowStart));
  return { stats: stats.items, range: stats.range, reports: reports.items, live: open, report: latest ? latest.report : null };
}

// ---- refreshing ----

function schedule(delay) {
  window.clearTimeout(state.timer);
  state.timer = delay === null ? null : window.setTimeout(refresh, delay);
}

async function refresh() {
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = true;
  window.clearTimeout(state.timer);
  let delay = REFRESH_MS;
  try {
    await load();
    notice(null);
    document.getElementById('refreshed').textContent = `Updated ${time(Date.now())} · every ${REFRESH_MS / 1000} s`;
  } catch (e) {
    delay = failed(e);
  } finally {
    state.running = false;
  }
  if (state.again) {
    state.again = false;
    delay = 0;
  }
  schedule(delay);
}

/** Says what went wrong and returns when to try again (null: when the user gives a token). */
function failed(error) {
  if (!(error instanceof ApiError)) {
    console.error(error);
    notice(`The page could not show MonitML's answer (${error.message}); trying again.`, 'error');
    return REFRESH_MS;
  }
  if (error.status === 401) {
    askForToken(Boolean(state.token));
    return null;
  }
  if (error.status === 503) {
    const seconds = Math.min(30, Math.max(2, error.retryAfter || 2));
    notice(`MonitML is not ready yet (its state stores are starting, restoring or moving between instances); retrying in ${seconds} s…`, 'waiting');
    return seconds * 1000;
  }
  if (error.status === 0) {
    notice(`${error.message}; retrying in ${REFRESH_MS / 1000} s…`, 'error');
    return REFRESH_MS;
  }
  notice(`MonitML answered ${error.status}: ${error.message}. Retrying in ${REFRESH_MS / 1000} s…`, 'error');
  return REFRESH_MS;
}

async function load() {
  state.units = await allUnits();
  const key = keyFromHash() || (state.units[0] && state.units[0].key) || null;
  renderUnits(state.units, key);
  if (!key) {
    renderNoUnit('No units yet: MonitML has not closed a window of any model’s traffic. This page fills in as soon as one closes.');
    return;
  }
  const summary = state.units.find(u => u.key === key);
  if (!summary) {
    renderNoUnit(`No unit ${key} (yet): MonitML has closed no window of its traffic. Pick one of the units above.`);
    return;
  }
  const detail = await loadUnit(summary);
  if ((keyFromHash() || state.units[0].key) !== key) {
    return; // another unit was picked meanwhile; the next refresh shows it
  }
  renderUnit(summary, detail);
  document.body.setAttribute('data-ready', 'true');
}

// ---- messages and the token ----

function notice(text, kind) {
  const element = document.getElementById('notice');
  element.hidden = !text;
  element.textContent = text || '';
  element.className = ['notice', kind ? `notice-${kind}` : null].filter(Boolean).join(' ');
}

function readToken() {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch (e) {
    return null;
  }
}

function storeToken(token) {
  state.token = token;
  try {
    if (token) {
      window.sessionStorage.setItem(TOKEN_KEY, token);
    } else {
      window.sessionStorage.removeItem(TOKEN_KEY);
    }
  } catch (e) {
    // storage disabled: the token lasts as long as the page
  }
  document.getElementById('forget-token').hidden = !token;
}

function askForToken(refused) {
  storeToken(null);
  const form = document.getElementById('token-form');
  form.hidden = false;
  notice(refused ? 'MonitML refused the token; enter the current one.' : 'This MonitML asks for an API token.', 'error');
  document.getElementById('token').focus();
}

function setUpToken() {
  const form = document.getElementById('token-form');
  const input = document.getElementById('token');
  form.addEventListener('submit', event => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      return;
    }
    storeToken(token);
    input.value = '';
    form.hidden = true;
    notice('Checking the token…', 'waiting');
    refresh();
  });
  document.getElementById('forget-token').addEventListener('click', () => {
    storeToken(null);
    refresh();
  });
  document.getElementById('forget-token').hidden = !state.token;
}

// ---- the units ----

function badge(status) {
  const known = STATUS[status] || { label: status || 'unknown', help: '' };
  return el('span', { class: ['badge', `status-${String(status).toLowerCase().replace(/_/g, '-')}`], title: known.help }, known.label);
}

function driftedNames(summary) {
  const names = [];
  if (summary.lastWindow && summary.lastWindow.drift && summary.lastWindow.drift.drifted) {
    names.push(`predictions (${summary.lastWindow.output || summary.lastWindow.drift.name})`);
  }
  return names.concat((summary.drift && summary.drift.driftedFeatures) || []);
}

const UNIT_COLUMNS = [
  ['Predictions', w => num(w.count)],
  ['Mean', w => num(w.mean)],
  ['Min', w => num(w.min)],
  ['Max', w => num(w.max)],
  ['p50', w => num(w.p50)],
  ['p99', w => num(w.p99)],
  ['Latency p50', w => millis(w.latencyP50Millis)],
  ['Latency p99', w => millis(w.latencyP99Millis)],
];

function unitRow(summary, selectedKey) {
  const w = summary.lastWindow;
  const selected = summary.key === selectedKey;
  const drifted = driftedNames(summary);
  return el('tr', {
    'data-unit': summary.key, 'data-status': summary.status, class: ['unit-row', selected && 'selected'],
    onclick: event => {
      if (!event.target.closest('a')) {
        window.location.hash = pathOf(summary.unit);
      }
    },
  },
  el('th', { scope: 'row' }, el('a', { href: `#${pathOf(summary.unit)}`, 'aria-current': selected ? 'true' : null }, summary.unit.variant)),
  el('td', {}, summary.unit.model),
  el('td', {}, badge(summary.status)),
  el('td', { class: 'when' }, w ? span(w.windowStart, w.windowEnd) : '–'),
  UNIT_COLUMNS.map(([, value]) => el('td', { class: 'num' }, w ? value(w) : '–')),
  el('td', { class: 'drifted-list' }, drifted.length ? drifted.map(name => el('span', { class: 'chip' }, name)) : '–'));
}

function renderUnits(units, selectedKey) {
  const container = document.getElementById('unit-groups');
  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('tr[data-unit]');
  const focusedKey = focused ? focused.getAttribute('data-unit') : null;
  if (!units.length) {
    container.replaceChildren(el('p', { class: 'empty' }, 'No units yet.'));
    return;
  }
  const groups = new Map();
  for (const summary of units) {
    const name = `${summary.unit.namespace}/${summary.unit.deployment}`;
    if (!groups.has(name)) {
      groups.set(name, []);
    }
    groups.get(name).push(summary);
  }
  container.replaceChildren(...[...groups].map(([name, members]) => {
    const headingId = `deployment-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    const drifting = members.filter(m => m.status === 'DRIFT').length;
    return el('section', { class: 'group', 'data-deployment': name, 'aria-labelledby': headingId },
      el('h3', { id: headingId }, members[0].unit.deployment,
        el('span', { class: 'meta' }, ` namespace ${members[0].unit.namespace} · ${members.length} unit${members.length === 1 ? '' : 's'}`
          + (drifting ? ` · ${drifting} drifting` : ''))),
      el('div', { class: 'table-wrap' },
        el('table', { class: 'units' },
          el('caption', { class: 'visually-hidden' }, `Units of deployment ${name}, last closed window`),
          el('thead', {}, el('tr', {},
            el('th', { scope: 'col' }, 'Variant'), el('th', { scope: 'col' }, 'Model'), el('th', { scope: 'col' }, 'Status'),
            el('th', { scope: 'col' }, 'Last window'),
            UNIT_COLUMNS.map(([label]) => el('th', { scope: 'col', class: 'num' }, label)),
            el('th', { scope: 'col' }, 'Drifted'))),
          el('tbody', {}, members.map(m => unitRow(m, selectedKey))))));
  }));
  if (focusedKey) {
    const link = container.querySelector(`tr[data-unit="${CSS.escape(focusedKey)}"] a`);
    if (link) {
      link.focus();
    }
  }
}

// ---- the selected unit ----

function renderNoUnit(text) {
  const section = document.getElementById('unit');
  section.hidden = false;
  section.removeAttribute('data-unit');
  section.removeAttribute('data-status');
  section.replaceChildren(el('h2', { id: 'unit-heading' }, 'Unit'), el('p', { class: 'empty' }, text));
}

function featureOrder(a, b) {
  if (Boolean(a.drifted) !== Boolean(b.drifted)) {
    return a.drifted ? -1 : 1;
  }
  const pa = Number.isFinite(a.psi) ? a.psi : -1;
  const pb = Number.isFinite(b.psi) ? b.psi : -1;
  return pb - pa || a.name.localeCompare(b.name);
}

function windowTooltip(w) {
  return [
    `${span(w.windowStart, w.windowEnd)}${w.closed === false ? ' (open, so far)' : ''}`,
    `${num(w.count)} predictions, ${num(w.responses)} responses, ${num(w.errorCount)} errors`,
    `mean ${num(w.mean)}, p50 ${num(w.p50)}, p90 ${num(w.p90)}, p99 ${num(w.p99)}`,
    `min ${num(w.min)}, max ${num(w.max)}`,
    `latency p50 ${millis(w.latencyP50Millis)}, p90 ${millis(w.latencyP90Millis)}, p99 ${millis(w.latencyP99Millis)}`,
    w.drift ? `vs baseline: ${w.drift.drifted ? 'DRIFTED' : 'ok'} (PSI ${num(w.drift.psi)}, p ${pValue(w.drift.pValue)})` : null,
  ].filter(Boolean).join('\n');
}

function verdictBadge(feature) {
  if (feature.drifted) {
    return el('span', { class: 'badge status-drift' }, 'drifted');
  }
  if (feature.watched) {
    return el('span', { class: 'badge status-watch', title: STATUS.WATCH.help }, 'watch');
  }
  if (!feature.count || !(feature.currentProportions || []).length) {
    return el('span', { class: 'badge status-no-baseline' }, 'no data');
  }
  return el('span', { class: 'badge status-ok' }, 'stable');
}

function verdictTable(feature, threshold) {
  const test = feature.test === 'chi2' ? 'χ²' : feature.test === 'ks' ? 'KS' : (feature.test || '–');
  const statistic = feature.test === 'ks' ? 'D' : 'statistic';
  const below = Number.isFinite(feature.pValue) && Number.isFinite(threshold) && feature.pValue < threshold;
  return el('table', { class: 'verdict' },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Test'), el('th', { scope: 'col', class: 'num' }, statistic),
      el('th', { scope: 'col', class: 'num' }, 'p-value'), el('th', { scope: 'col', class: 'num' }, 'PSI'),
      el('th', { scope: 'col', class: 'num' }, 'Rows'), el('th', { scope: 'col', class: 'num' }, 'Missing'))),
    el('tbody', {}, el('tr', {},
      el('td', {}, test),
      el('td', { class: 'num' }, num(feature.statistic)),
      el('td', { class: ['num', below && 'flag'], title: Number.isFinite(threshold) ? `corrected threshold ${num(threshold)}` : null }, pValue(feature.pValue)),
      el('td', { class: ['num', feature.psi >= 0.25 && 'flag'] }, num(feature.psi)),
      el('td', { class: 'num' }, num(feature.count)),
      el('td', { class: 'num' }, num(feature.missingCount)))));
}

function binTable(feature, id) {
  const baseline = feature.baselineProportions || [];
  const current = feature.currentProportions || [];
  const count = Math.max(baseline.length, current.length);
  const labels = binLabels(feature, count);
  const details = el('details', { 'data-key': id, open: state.openDetails.has(id) },
    el('summary', {}, 'Proportions as a table'),
    el('table', { class: 'bins' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, feature.kind === 'CATEGORICAL' ? 'Category' : 'Bin'),
        el('th', { scope: 'col', class: 'num' }, 'Baseline'), el('th', { scope: 'col', class: 'num' }, 'Current'))),
      el('tbody', {}, labels.map((label, i) => el('tr', {},
        el('th', { scope: 'row' }, label), el('td', { class: 'num' }, percent(baseline[i])), el('td', { class: 'num' }, percent(current[i])))))));
  return details;
}

function driftCard(feature, threshold, attrs, title, unitKey, kind = 'feature') {
  const headingId = `card-${unitKey}-${title}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return el('article', { class: ['card', kind, feature.drifted && 'drifted'], 'aria-labelledby': headingId, ...attrs },
    el('header', {}, el('h4', { id: headingId }, title), verdictBadge(feature)),
    distributionChart(feature, title),
    verdictTable(feature, threshold),
    binTable(feature, headingId));
}

function heatRows(stats, reports, features) {
  const rows = [];
  const predictions = new Map();
  let output = null;
  for (const w of stats) {
    if (w.drift) {
      output = output || w.output || w.drift.name;
      predictions.set(w.windowStart, { psi: w.drift.psi, pValue: w.drift.pValue, drifted: w.drift.drifted, usable: w.drift.count > 0 });
    }
  }
  if (predictions.size) {
    rows.push({ name: `predictions (${output})`, cells: predictions });
  }
  const names = features.map(f => f.name);
  for (const report of reports) {
    for (const f of report.features || []) {
      if (!names.includes(f.name)) {
        names.push(f.name);
      }
    }
  }
  for (const name of names) {
    const cells = new Map();
    for (const report of reports) {
      const f = (report.features || []).find(x => x.name === name);
      const usable = report.status === 'OK' || report.status === 'WATCH' || report.status === 'DRIFT';
      if (f) {
        cells.set(report.windowStart, { psi: f.psi, pValue: f.pValue, drifted: f.drifted, usable: usable && f.count > 0, reason: report.status });
      } else if (!usable) {
        cells.set(report.windowStart, { usable: false, reason: STATUS[report.status] ? STATUS[report.status].help : report.status });
      }
    }
    rows.push({ name, cells });
  }
  return rows;
}

function heatColumns(stats, reports) {
  const columns = new Map();
  for (const item of stats.concat(reports)) {
    columns.set(item.windowStart, { windowStart: item.windowStart, windowEnd: item.windowEnd });
  }
  return [...columns.values()].sort((a, b) => Date.parse(a.windowStart) - Date.parse(b.windowStart));
}

function renderUnit(summary, detail) {
  const section = document.getElementById('unit');
  const unit = summary.unit;
  const last = summary.lastWindow;
  const report = detail.report;
  const features = report ? (report.features || []).slice().sort(featureOrder) : [];
  const driftedCount = features.filter(f => f.drifted).length;
  const rangeText = detail.range === '1h' ? 'the last hour' : `the last ${detail.range}`;
  document.title = `${summary.status === 'DRIFT' ? 'DRIFT · ' : ''}${unit.deployment}/${unit.variant} · MonitML`;

  const predictionDrift = last && last.drift;
  const statsPart = el('section', { class: 'block', 'aria-labelledby': 'predictions-heading' },
    el('h3', { id: 'predictions-heading' }, `Predictions${last && last.output ? ` (${last.output})` : ''} over ${rangeText}`),
    el('div', { class: 'split' },
      timeChart({
        title: `Predictions of ${summary.key} per window`,
        description: 'Mean, median and 99th percentile of the predictions per window, with the band from minimum to maximum',
        windows: detail.stats, live: detail.live,
        band: { label: 'min – max', cls: 'band', lo: w => w.min, hi: w => w.max },
        lines: [
          { label: 'mean', cls: 's-mean', value: w => w.mean },
          { label: 'p50', cls: 's-p50', value: w => w.p50 },
          { label: 'p99', cls: 's-p99', value: w => w.p99 },
        ],
        tooltip: windowTooltip,
        empty: 'No closed window of predictions yet.',
      }),
      predictionDrift
        ? driftCard(predictionDrift, null, { 'data-prediction': predictionDrift.name, 'data-drifted': String(Boolean(predictionDrift.drifted)) },
          'Predictions vs baseline (last window)', summary.key, 'prediction')
        : el('div', { class: 'card' }, el('h4', {}, 'Predictions vs baseline'),
          el('p', { class: 'empty' }, 'No comparison: the baseline has no prediction column, or no window closed yet.'))));

  const trafficPart = el('section', { class: 'block', 'aria-labelledby': 'traffic-heading' },
    el('h3', { id: 'traffic-heading' }, `Traffic and latency over ${rangeText}`),
    el('div', { class: 'pair' },
      timeChart({
        title: `Predictions and errors of ${summary.key} per window`,
        description: 'Number of predictions and of error responses in each window',
        windows: detail.stats, live: detail.live,
        bars: [
          { label: 'predictions', cls: 'b-count', value: w => w.count },
          { label: 'errors', cls: 'b-errors', value: w => w.errorCount },
        ],
        tooltip: windowTooltip,
        empty: 'No traffic yet.',
      }),
      timeChart({
        title: `Latency of ${summary.key} per window`,
        description: 'Median, 90th and 99th percentile latency in milliseconds of the paired requests and responses',
        windows: detail.stats.filter(w => Number.isFinite(w.latencyP50Millis)),
        live: detail.live.filter(w => Number.isFinite(w.latencyP50Millis)),
        lines: [
          { label: 'latency p50', cls: 's-lat50', value: w => w.latencyP50Millis },
          { label: 'p90', cls: 's-lat90', value: w => w.latencyP90Millis },
          { label: 'p99', cls: 's-lat99', value: w => w.latencyP99Millis },
        ],
        fromZero: true,
        format: x => `${num(x)} ms`,
        tooltip: windowTooltip,
        empty: 'No latencies: requests and responses are not paired (--pairing) or none arrived yet.',
      })));

  const driftPart = el('section', { class: 'block', id: 'drift', 'aria-labelledby': 'drift-heading' },
    el('h3', { id: 'drift-heading' }, 'Feature drift'),
    report
      ? el('p', { class: 'report-summary' }, badge(report.status), ' ',
        `Window ${span(report.windowStart, report.windowEnd)}: ${num(report.rows)} rows against baseline ${report.baselineVersion || '–'}; `
        + `${driftedCount} of ${features.length} feature${features.length === 1 ? '' : 's'} drifted. `
        + `p-values are corrected (${report.correction || '–'}, α ${num(report.alpha)}): a feature drifts below ${pValue(report.correctedThreshold)}, or on a high PSI.`)
      : el('p', { class: 'empty' }, 'No drift report yet: no window of this unit’s requests has closed.'),
    el('h4', {}, `Window by window over ${rangeText}`),
    driftHeatMap(heatRows(detail.stats, detail.reports, features), heatColumns(detail.stats, detail.reports),
      `Drift of ${summary.key}'s predictions and features per window`),
    el('h4', {}, 'Baseline against the latest window'),
    features.length
      ? el('div', { class: 'features' }, features.map(f => driftCard(f, report.correctedThreshold,
        { 'data-feature': f.name, 'data-drifted': String(Boolean(f.drifted)) }, f.name, summary.key)))
      : el('p', { class: 'empty' }, report && report.status === 'NO_BASELINE'
        ? 'No baseline for this deployment: publish one with monitml baseline.'
        : 'No features to compare in the latest report.'));

  section.hidden = false;
  section.setAttribute('data-unit', summary.key);
  section.setAttribute('data-status', summary.status);
  section.replaceChildren(
    el('h2', { id: 'unit-heading' }, `${unit.deployment} · ${unit.variant} `, badge(summary.status)),
    el('p', { class: 'meta' },
      `namespace ${unit.namespace} · model ${unit.model} · `,
      last ? `last closed window ${span(last.windowStart, last.windowEnd)}: ${num(last.count)} predictions, mean ${num(last.mean)}` : 'no closed window of predictions yet'),
    statsPart, trafficPart, driftPart);
}

// ---- start ----

document.addEventListener('toggle', event => {
  const key = event.target.getAttribute && event.target.getAttribute('data-key');
  if (key) {
    if (event.target.open) {
      state.openDetails.add(key);
    } else {
      state.openDetails.delete(key);
    }
  }
}, true);

window.addEventListener('hashchange', () => {
  if (state.units) {
    renderUnits(state.units, keyFromHash() || (state.units[0] && state.units[0].key));
  }
  refresh();
});

setUpToken();
refresh();
