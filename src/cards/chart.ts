// The card's chart component (card JSON 2.0, shared/reference/helpdesk-actions.md §3.3): a VChart
// spec the client draws. The platform's rules it keeps:
// - the spec is pure JSON: no function anywhere (no formatter callbacks), so the type admits none
//   and the copy made here throws on one;
// - "media": [] always, or the platform adds its own media queries;
// - types that work in cards: line, area, bar (direction "horizontal" for sideways), pie (a ring
//   with innerRadius), scatter, wordCloud; at most 5 charts in a card;
// - the spec counts toward the 30 KB request limit: aggregate first, send only the points shown.
// Words in a spec are shown in one language to everyone: put titles and explanations in markdown
// beside the chart (both languages), and keep the spec to data. Strings from data are cleaned by
// plain() (VChart draws text as it is: no markdown to escape).
import { type Element, plain } from './kit.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type ChartType = 'line' | 'area' | 'bar' | 'pie' | 'scatter' | 'wordCloud';

export interface ChartSpec {
  type: ChartType;
  [key: string]: JsonValue;
}

export interface ChartOptions {
  /** Default: the platform's (16:9 on desktop, 1:1 on phones). */
  aspectRatio?: '1:1' | '2:1' | '4:3' | '16:9';
  /** Pixels, 1 to 999; default: from the aspect ratio. */
  height?: number;
  /** Lets the reader open the chart full-size (default true). */
  preview?: boolean;
  colorTheme?: 'brand' | 'rainbow' | 'complementary' | 'converse' | 'primary';
}

export function chart(spec: ChartSpec, options: ChartOptions = {}): Element {
  const height = options.height === undefined ? 'auto' : `${Math.min(Math.max(Math.round(options.height), 1), 999)}px`;
  return {
    tag: 'chart',
    ...(options.aspectRatio ? { aspect_ratio: options.aspectRatio } : {}),
    height,
    preview: options.preview ?? true,
    ...(options.colorTheme ? { color_theme: options.colorTheme } : {}),
    chart_spec: { ...(pureJson(spec) as object), media: [] },
  };
}

/** A copy of `value` with every string cleaned; throws on what JSON cannot carry (a function, NaN). */
function pureJson(value: unknown, depth = 0): JsonValue {
  if (depth > 32) throw new Error('chart: the spec is nested too deep');
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return plain(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((v) => pureJson(v, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pureJson(v, depth + 1)]));
  }
  throw new Error(`chart: the spec must be pure JSON, not ${typeof value === 'number' ? String(value) : typeof value}`);
}
