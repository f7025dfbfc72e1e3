// Small DOM and formatting helpers of the analysts' page. No inline styles anywhere: the page is
// served with a Content-Security-Policy that only allows the stylesheet, so looks come from classes.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element with attributes (null, undefined and false are left out) and children. */
export function el(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element, same conventions as el(). */
export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class' && Array.isArray(value)) {
      element.setAttribute('class', value.filter(Boolean).join(' '));
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

let ids = 0;

/** A document-unique id for aria references. */
export function uniqueId(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** A measurement for people: grouped thousands, four significant digits below, exponent for the very small or large. */
export function num(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) {
    return '–';
  }
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e12)) {
    return x.toExponential(2);
  }
  return a >= 1000 ? whole.format(x) : significant.format(x);
}

export function pValue(p) {
  if (p === null || p === undefined || !Number.isFinite(p)) {
    return '–';
  }
  if (p === 0) {
    return '0';
  }
  return p < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}

export function percent(x) {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)}%`;
}

export function millis(x) {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${num(x)} ms`;
}

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const clockMinutes = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

/** Local wall-clock time of an ISO instant or epoch milliseconds, to the second (or to the minute). */
export function time(value, minutes = false) {
  if (value === null || value === undefined) {
    return '–';
  }
  const date = new Date(typeof value === 'string' ? Date.parse(value) : value);
  return Number.isNaN(date.getTime()) ? '–' : (minutes ? clockMinutes : clock).format(date);
}

/** "18:34:40–18:34:50" */
export function span(start, end) {
  return `${time(start)}–${time(end)}`;
}
