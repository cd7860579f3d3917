// @ts-check
// The chart component, drawn with VChart itself (the library Feishu draws card charts with), whose
// browser build the console serves as /console/vchart.js: loaded the first time a chart is shown,
// from the console's own server (no CDN: the console works offline). The box is sized as the
// client sizes it (height in px, or the aspect ratio: 16:9, or 1:1 on a phone by default) and
// carries a text of the chart's figures for screen readers.
import { el, isObject } from './card-dom.js';

/** @typedef {import('./card-dom.js').Json} Json */
/**
 * What the console uses of VChart's browser build (the global it defines).
 * @typedef {{ renderAsync: () => Promise<unknown>, release: () => void }} Drawn
 * @typedef {{ VChart: new (spec: Json, options: { dom: HTMLElement, animation?: boolean }) => Drawn }} VChartModule
 */

const RATIOS = new Set(['1:1', '2:1', '4:3', '16:9']);
const MAX_SUMMARY_ROWS = 50;

/** @type {Promise<VChartModule> | undefined} */
let loading;
/** Charts drawn, by their box: released when their card goes. */
/** @type {WeakMap<HTMLElement, Drawn>} */
const drawn = new WeakMap();

/** @returns {Promise<VChartModule>} */
function loadVChart() {
  loading ??= new Promise((resolve, reject) => {
    const script = el('script');
    script.src = new URL('./vchart.js', import.meta.url).href;
    script.addEventListener('load', () => {
      const lib = /** @type {{ VChart?: VChartModule }} */ (/** @type {unknown} */ (globalThis)).VChart;
      if (lib?.VChart) resolve(lib);
      else reject(new Error('VChart did not define itself'));
    });
    script.addEventListener('error', () => {
      loading = undefined;
      reject(new Error('VChart could not be loaded'));
    });
    document.head.append(script);
  });
  return loading;
}

/**
 * @param {Json} node a chart element
 * @returns {HTMLElement}
 */
export function renderChart(node) {
  const spec = isObject(node.chart_spec) ? node.chart_spec : {};
  const box = el('div', 'chart');
  const height = typeof node.height === 'string' ? /^(\d{1,3})px$/.exec(node.height) : null;
  if (height) box.style.height = `${height[1]}px`;
  else if (RATIOS.has(node.aspect_ratio)) box.style.aspectRatio = node.aspect_ratio.replace(':', ' / ');
  else box.classList.add('chart-default-ratio');
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', summary(spec));
  box.dataset.chart = 'loading';
  loadVChart()
    .then(async (lib) => {
      // The spec is data from the card: VChart gets a copy, with nothing animated (a test, or a
      // person, sees the figures at once).
      const chart = new lib.VChart(structuredClone(spec), { dom: box, animation: false });
      drawn.set(box, chart);
      await chart.renderAsync();
      box.dataset.chart = 'drawn';
    })
    .catch((/** @type {Error} */ error) => {
      box.dataset.chart = 'failed';
      box.textContent = `chart: ${error.message}`;
      box.classList.add('unsupported');
    });
  return box;
}

/**
 * Releases the charts drawn inside `root` (a card that is replaced or dropped).
 * @param {Element} root
 */
export function releaseCharts(root) {
  for (const box of root.querySelectorAll('.chart')) {
    drawn.get(/** @type {HTMLElement} */ (box))?.release();
    drawn.delete(/** @type {HTMLElement} */ (box));
  }
}

/**
 * The chart's figures as text: its type, then each data row's fields ("agent A, open 7; …").
 * @param {Json} spec
 */
function summary(spec) {
  const data = Array.isArray(spec.data) ? spec.data : [spec.data];
  const rows = data.flatMap((d) => (isObject(d) && Array.isArray(d.values) ? d.values.filter(isObject) : []));
  const text = rows
    .slice(0, MAX_SUMMARY_ROWS)
    .map((row) =>
      Object.entries(row)
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    )
    .join('; ');
  return `${typeof spec.type === 'string' ? spec.type : 'chart'} chart: ${text}${rows.length > MAX_SUMMARY_ROWS ? '; …' : ''}`;
}
