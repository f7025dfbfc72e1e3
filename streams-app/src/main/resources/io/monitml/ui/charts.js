// Hand-drawn SVG charts: values per window over time, paired baseline/current bars per bin, and a
// drift heat map of features by window. Colours and strokes come from classes in app.css.

import { el, svg, uniqueId, num, pValue, percent, time } from './dom.js';

// ---- scales ----

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (raw <= m * magnitude * 1.0000001) {
      return m * magnitude;
    }
  }
  return 10 * magnitude;
}

/** A linear scale of values onto [bottom, top] pixels with round ticks. */
function valueScale(values, bottom, top, fromZero) {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (fromZero) {
    lo = Math.min(0, lo);
    hi = Math.max(0, hi);
  }
  if (!(hi > lo)) {
    const pad = Math.abs(hi) * 0.05 || 1;
    hi += pad;
    lo = fromZero && lo >= 0 ? 0 : lo - pad;
  }
  const step = niceStep(hi - lo, 4);
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  const ticks = [];
  for (let v = lo; v <= hi + step / 2; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return { lo, hi, ticks, at: v => bottom - (bottom - top) * (v - lo) / (hi - lo) };
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200].map(s => s * 1000);

function timeScale(t0, t1, left, right) {
  if (!(t1 > t0)) {
    t1 = t0 + 1000;
  }
  const step = TIME_STEPS.find(s => (t1 - t0) / s <= 6) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const ticks = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    ticks.push(t);
  }
  return { ticks, minutes: step >= 60000, at: t => left + (right - left) * (t - t0) / (t1 - t0) };
}

/** Time labels centred on their tick, but kept inside the plot at its ends. */
function anchor(px, left, right) {
  return px > right - 24 ? 'end' : px < left + 24 ? 'start' : 'middle';
}

function chartSvg(width, height, title, description) {
  const titleId = uniqueId('chart-title');
  const descId = uniqueId('chart-desc');
  return svg('svg', {
    viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`,
    preserveAspectRatio: 'xMidYMid meet', class: 'chart-svg',
  },
  svg('title', { id: titleId }, title),
  svg('desc', { id: descId }, description));
}

function legend(items) {
  return el('figcaption', { class: 'legend' }, items.map(item => el('span', { class: 'legend-item' },
    svg('svg', { viewBox: '0 0 18 10', width: 18, height: 10, 'aria-hidden': 'true' },
      item.shape === 'rect'
        ? svg('rect', { x: 1, y: 1, width: 16, height: 8, class: item.cls })
        : svg('line', { x1: 1, y1: 5, x2: 17, y2: 5, class: item.cls })),
    item.label)));
}

// ---- values per window over time ----

const TIME_W = 720;
const TIME_H = 230;
const TM = { left: 66, right: 14, top: 12, bottom: 28 };

function windowTimes(window) {
  const start = Date.parse(window.windowStart);
  const end = Date.parse(window.windowEnd);
  return { start, end, mid: (start + end) / 2 };
}

/** Consecutive windows without gaps, so that lines break where windows are missing. */
function runs(windows) {
  const result = [];
  let current = [];
  let previous = null;
  for (const window of windows) {
    const t = windowTimes(window);
    if (previous && t.start - previous.end > (previous.end - previous.start) / 2) {
      result.push(current);
      current = [];
    }
    current.push(window);
    previous = t;
  }
  if (current.length) {
    result.push(current);
  }
  return result;
}

/**
 * Values of windows over time.
 * @param {object} o title, description, windows (closed, oldest first), live (open windows), lines [{label, cls, value}],
 *   band {label, cls, lo, hi}, bars [{label, cls, value}], fromZero, format, tooltip(window) -> text, empty
 */
export function timeChart(o) {
  const closed = o.windows || [];
  const live = o.live || [];
  const all = closed.concat(live);
  const figure = el('figure', { class: 'chart' });
  if (!all.length) {
    figure.append(el('p', { class: 'empty' }, o.empty || 'No windows yet.'));
    return figure;
  }
  const lines = o.lines || [];
  const bars = o.bars || [];
  const values = [];
  for (const window of all) {
    for (const series of lines.concat(bars)) {
      const v = series.value(window);
      if (Number.isFinite(v)) {
        values.push(v);
      }
    }
    if (o.band) {
      for (const v of [o.band.lo(window), o.band.hi(window)]) {
        if (Number.isFinite(v)) {
          values.push(v);
        }
      }
    }
  }
  const format = o.format || num;
  const bottom = TIME_H - TM.bottom;
  const y = valueScale(values.length ? values : [0], bottom, TM.top, o.fromZero || bars.length > 0);
  const first = windowTimes(all[0]).start;
  const last = Math.max(...all.map(w => windowTimes(w).end));
  const x = timeScale(first, last, TM.left, TIME_W - TM.right);
  const chart = chartSvg(TIME_W, TIME_H, o.title, o.description);

  const grid = svg('g', { class: 'grid' });
  for (const tick of y.ticks) {
    const py = y.at(tick);
    grid.append(svg('line', { x1: TM.left, x2: TIME_W - TM.right, y1: py, y2: py }),
      svg('text', { x: TM.left - 6, y: py, class: 'tick tick-y', 'dominant-baseline': 'middle', 'text-anchor': 'end' }, format(tick)));
  }
  for (const tick of x.ticks) {
    const px = x.at(tick);
    grid.append(svg('line', { x1: px, x2: px, y1: bottom, y2: bottom + 4, class: 'tick-mark' }),
      svg('text', { x: px, y: bottom + 16, class: 'tick tick-x', 'text-anchor': anchor(px, TM.left, TIME_W - TM.right) }, time(tick, x.minutes)));
  }
  grid.append(svg('line', { x1: TM.left, x2: TIME_W - TM.right, y1: bottom, y2: bottom, class: 'axis' }));
  chart.append(grid);

  for (const series of bars) {
    const group = svg('g', { class: series.cls });
    for (const window of all) {
      const v = series.value(window);
      if (!Number.isFinite(v) || v <= 0) {
        continue;
      }
      const t = windowTimes(window);
      const x0 = x.at(t.start);
      const width = Math.max(1, x.at(t.end) - x0 - 1);
      group.append(svg('rect', {
        x: x0 + 0.5, width, y: y.at(v), height: Math.max(0.5, y.at(0) - y.at(v)), class: window.closed === false ? 'live' : null,
      }));
    }
    chart.append(group);
  }

  if (o.band) {
    const group = svg('g', { class: o.band.cls });
    for (const run of runs(closed)) {
      const points = run.filter(w => Number.isFinite(o.band.lo(w)) && Number.isFinite(o.band.hi(w)));
      if (!points.length) {
        continue;
      }
      const upper = points.map(w => `${x.at(windowTimes(w).mid).toFixed(1)},${y.at(o.band.hi(w)).toFixed(1)}`);
      const lower = points.slice().reverse().map(w => `${x.at(windowTimes(w).mid).toFixed(1)},${y.at(o.band.lo(w)).toFixed(1)}`);
      if (points.length === 1) {
        const px = x.at(windowTimes(points[0]).mid);
        group.append(svg('line', { x1: px, x2: px, y1: y.at(o.band.lo(points[0])), y2: y.at(o.band.hi(points[0])), class: 'band-line' }));
      } else {
        group.append(svg('polygon', { points: upper.concat(lower).join(' ') }));
      }
    }
    chart.append(group);
  }

  const dots = closed.length <= 90;
  for (const series of lines) {
    const group = svg('g', { class: ['series', series.cls] });
    for (const run of runs(closed)) {
      let d = '';
      let pen = false;
      for (const window of run) {
        const v = series.value(window);
        if (!Number.isFinite(v)) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${x.at(windowTimes(window).mid).toFixed(1)},${y.at(v).toFixed(1)}`;
        pen = true;
      }
      if (d) {
        group.append(svg('path', { d, class: 'line' }));
      }
      if (dots || run.length === 1) {
        for (const window of run) {
          const v = series.value(window);
          if (Number.isFinite(v)) {
            group.append(svg('circle', { cx: x.at(windowTimes(window).mid), cy: y.at(v), r: 2.2, class: 'dot' }));
          }
        }
      }
    }
    for (const window of live) {
      const v = series.value(window);
      if (Number.isFinite(v)) {
        group.append(svg('circle', { cx: x.at(windowTimes(window).mid), cy: y.at(v), r: 3, class: 'dot live' }));
      }
    }
    chart.append(group);
  }

  // Hover targets: one per window, the whole plot height, with the window's numbers as title.
  const hits = svg('g', { class: 'hits' });
  for (const window of all) {
    const t = windowTimes(window);
    hits.append(svg('rect', { x: x.at(t.start), width: Math.max(1, x.at(t.end) - x.at(t.start)), y: TM.top, height: bottom - TM.top },
      svg('title', {}, o.tooltip ? o.tooltip(window) : '')));
  }
  chart.append(hits);

  const items = [];
  if (o.band) {
    items.push({ label: o.band.label, cls: o.band.cls, shape: 'rect' });
  }
  for (const series of bars) {
    items.push({ label: series.label, cls: series.cls, shape: 'rect' });
  }
  for (const series of lines) {
    items.push({ label: series.label, cls: `series ${series.cls} line` });
  }
  if (live.length) {
    items.push({ label: 'open window (so far)', cls: 'live-key', shape: 'rect' });
  }
  figure.append(chart, legend(items));
  return figure;
}

// ---- baseline against current, per bin ----

/** People's label of each bin: numeric bins are (-inf, e1], (e1, e2], ..., (ek, +inf); categorical ones end with "other". */
export function binLabels(feature, count) {
  if (feature.kind === 'CATEGORICAL') {
    const categories = feature.categories || [];
    return Array.from({ length: count }, (_, i) => (i < categories.length ? String(categories[i]) : 'other'));
  }
  const edges = feature.binEdges || [];
  if (!edges.length) {
    return Array.from({ length: count }, () => 'all');
  }
  return Array.from({ length: count }, (_, i) => {
    if (i === 0) {
      return `≤ ${num(edges[0])}`;
    }
    if (i >= edges.length) {
      return `> ${num(edges[edges.length - 1])}`;
    }
    return `${num(edges[i - 1])} – ${num(edges[i])}`;
  });
}

const BAR_W = 380;
const BAR_H = 190;
const BM = { left: 42, right: 8, top: 10, bottom: 50 };

function shorten(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Paired bars per bin or category: the baseline's proportion and the current window's. */
export function distributionChart(feature, subject) {
  const baseline = feature.baselineProportions || [];
  const current = feature.currentProportions || [];
  const count = Math.max(baseline.length, current.length);
  const figure = el('figure', { class: 'chart distribution' });
  if (!count) {
    figure.append(el('p', { class: 'empty' }, 'No bins to compare.'));
    return figure;
  }
  const labels = binLabels(feature, count);
  const bottom = BAR_H - BM.bottom;
  const y = valueScale(baseline.concat(current, [0.05]), bottom, BM.top, true);
  const plotWidth = BAR_W - BM.left - BM.right;
  const band = plotWidth / count;
  const barWidth = Math.max(1, band * 0.38);
  const chart = chartSvg(BAR_W, BAR_H, `${subject}: baseline and current proportions per ${feature.kind === 'CATEGORICAL' ? 'category' : 'bin'}`,
    labels.map((label, i) => `${label}: baseline ${percent(baseline[i])}, current ${percent(current[i])}`).join('; '));

  const grid = svg('g', { class: 'grid' });
  for (const tick of y.ticks) {
    const py = y.at(tick);
    grid.append(svg('line', { x1: BM.left, x2: BAR_W - BM.right, y1: py, y2: py }),
      svg('text', { x: BM.left - 5, y: py, class: 'tick tick-y', 'dominant-baseline': 'middle', 'text-anchor': 'end' }, `${Math.round(tick * 100)}%`));
  }
  grid.append(svg('line', { x1: BM.left, x2: BAR_W - BM.right, y1: bottom, y2: bottom, class: 'axis' }));
  chart.append(grid);

  const bars = svg('g', { class: 'bins' });
  for (let i = 0; i < count; i++) {
    const x0 = BM.left + i * band;
    const group = svg('g', { class: 'bin' });
    if (Number.isFinite(baseline[i])) {
      group.append(svg('rect', { x: x0 + band * 0.1, width: barWidth, y: y.at(baseline[i]), height: Math.max(0, bottom - y.at(baseline[i])), class: 'bar-baseline' }));
    }
    if (Number.isFinite(current[i])) {
      group.append(svg('rect', { x: x0 + band * 0.1 + barWidth, width: barWidth, y: y.at(current[i]), height: Math.max(0, bottom - y.at(current[i])), class: 'bar-current' }));
    }
    group.append(svg('rect', { x: x0, width: band, y: BM.top, height: bottom - BM.top, class: 'hit' },
      svg('title', {}, `${labels[i]}: baseline ${percent(baseline[i])}, current ${percent(current[i])}`)));
    bars.append(group);
  }
  chart.append(bars);

  const axis = svg('g', { class: 'bin-labels' });
  const rotate = count > 5;
  const every = Math.ceil(count / 14);
  if (feature.kind === 'CATEGORICAL' || !(feature.binEdges || []).length) {
    labels.forEach((label, i) => {
      if (i % every !== 0) {
        return;
      }
      const px = BM.left + (i + 0.5) * band;
      axis.append(svg('text', {
        x: px, y: bottom + 12, class: 'tick tick-x', 'text-anchor': rotate ? 'end' : 'middle',
        transform: rotate ? `rotate(-40 ${px} ${bottom + 12})` : null,
      }, shorten(label, 12)));
    });
  } else {
    // Numeric: the edges sit between bins; the outer bins are open-ended.
    feature.binEdges.forEach((edge, i) => {
      if ((i + 1) % every !== 0 && feature.binEdges.length > 14) {
        return;
      }
      const px = BM.left + (i + 1) * band;
      axis.append(svg('line', { x1: px, x2: px, y1: bottom, y2: bottom + 4, class: 'tick-mark' }),
        svg('text', {
          x: px, y: bottom + 13, class: 'tick tick-x', 'text-anchor': rotate ? 'end' : 'middle',
          transform: rotate ? `rotate(-40 ${px} ${bottom + 13})` : null,
        }, num(edge)));
    });
  }
  chart.append(axis);
  figure.append(chart, legend([
    { label: 'baseline', cls: 'bar-baseline', shape: 'rect' },
    { label: current.length ? 'current window' : 'current window (no data)', cls: 'bar-current', shape: 'rect' },
  ]));
  return figure;
}

// ---- drift of each feature, window by window ----

const HEAT_W = 1000;
const HEAT_ROW = 16;
const HM = { left: 160, right: 10, top: 6, bottom: 24 };

function heatClass(psi, drifted, usable) {
  if (!usable) {
    return 'heat-none';
  }
  const level = !Number.isFinite(psi) ? 0 : psi >= 0.25 ? 3 : psi >= 0.1 ? 2 : psi >= 0.02 ? 1 : 0;
  return drifted ? 'heat-drifted' : `heat-${level}`;
}

/**
 * Rows of features, columns of windows: PSI in shades, drifted cells marked.
 * @param rows [{name, cells: Map(windowStart -> {psi, pValue, drifted, usable})}]
 * @param columns windows [{windowStart, windowEnd}] oldest first
 */
export function driftHeatMap(rows, columns, title) {
  const figure = el('figure', { class: 'chart heat' });
  if (!rows.length || !columns.length) {
    figure.append(el('p', { class: 'empty' }, 'No drift reports yet.'));
    return figure;
  }
  const height = HM.top + rows.length * HEAT_ROW + HM.bottom;
  const x = timeScale(Date.parse(columns[0].windowStart), Math.max(...columns.map(c => Date.parse(c.windowEnd))),
    HM.left, HEAT_W - HM.right);
  const drifting = rows.filter(row => [...row.cells.values()].some(c => c.drifted)).map(row => row.name);
  const chart = chartSvg(HEAT_W, height, title,
    `${rows.length} rows by ${columns.length} windows from ${time(columns[0].windowStart)} to ${time(columns[columns.length - 1].windowEnd)}; `
    + (drifting.length ? `drifted at least once: ${drifting.join(', ')}` : 'no drift in these windows'));
  rows.forEach((row, r) => {
    const top = HM.top + r * HEAT_ROW;
    const group = svg('g', { class: 'heat-row' });
    group.append(svg('text', { x: HM.left - 8, y: top + HEAT_ROW / 2, class: 'tick row-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' },
      shorten(row.name, 24)));
    columns.forEach(column => {
      const value = row.cells.get(column.windowStart);
      if (!value) {
        return;
      }
      const text = `${row.name}, ${time(column.windowStart)}–${time(column.windowEnd)}: `
        + (value.usable ? `PSI ${num(value.psi)}, p ${pValue(value.pValue)}${value.drifted ? ', drifted' : ''}` : value.reason || 'no comparison');
      const x0 = x.at(Date.parse(column.windowStart));
      const cell = x.at(Date.parse(column.windowEnd)) - x0;
      group.append(svg('rect', {
        x: x0, y: top + 1, width: Math.max(0.6, cell - (cell > 4 ? 1 : 0)), height: HEAT_ROW - 2,
        class: heatClass(value.psi, value.drifted, value.usable),
      }, svg('title', {}, text)));
    });
    chart.append(group);
  });
  const axis = svg('g', { class: 'grid' });
  const bottom = HM.top + rows.length * HEAT_ROW;
  for (const tick of x.ticks) {
    const px = x.at(tick);
    axis.append(svg('line', { x1: px, x2: px, y1: bottom, y2: bottom + 4, class: 'tick-mark' }),
      svg('text', { x: px, y: bottom + 16, class: 'tick tick-x', 'text-anchor': anchor(px, HM.left, HEAT_W - HM.right) }, time(tick, x.minutes)));
  }
  chart.append(axis);
  figure.append(chart, legend([
    { label: 'PSI < 0.02', cls: 'heat-0', shape: 'rect' },
    { label: '< 0.1', cls: 'heat-1', shape: 'rect' },
    { label: '< 0.25', cls: 'heat-2', shape: 'rect' },
    { label: '≥ 0.25', cls: 'heat-3', shape: 'rect' },
    { label: 'drifted', cls: 'heat-drifted', shape: 'rect' },
    { label: 'no comparison (no baseline or too few rows)', cls: 'heat-none', shape: 'rect' },
  ]));
  return figure;
}
