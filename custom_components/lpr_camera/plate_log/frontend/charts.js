/** The statistics' charts: SVG drawn here, scaled to their cards' width. */

import { svg } from "./dom.js";

// Home Assistant's chart palette (--color-N), with its own values for themes that lack it.
export const CHART_COLORS = [
  "var(--color-1, #4269d0)",
  "var(--color-2, #f4bd4a)",
  "var(--color-3, #ff725c)",
  "var(--color-4, #6cc5b0)",
  "var(--color-5, #a463f2)",
  "var(--color-6, #ff8ab7)",
  "var(--color-7, #9c6b4e)",
  "var(--color-8, #97bbf5)",
];

// The charts' drawing units; the SVG scales to its card's width (the text with it).
export const CHART = { width: 640, height: 240, left: 44, right: 8, top: 10, bottom: 28 };

/** The y axis: a round step (1, 2 or 5 times a power of ten, whole reads) and at most 5 of them. */
function yScale(maximum) {
  const highest = Math.max(maximum, 1);
  const magnitude = 10 ** Math.floor(Math.log10(highest / 5));
  const step = Math.max(1, [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => highest / candidate <= 5));
  const count = Math.ceil(highest / step);
  return { top: step * count, steps: Array.from({ length: count + 1 }, (_, index) => index * step) };
}

/** The frame of a chart: y grid lines and labels, x labels; returns the plotting helpers. */
function chartFrame(app, { maximum, labels, labelEvery, width = CHART.width }) {
  const { height, left, right, top, bottom } = CHART;
  const scale = yScale(maximum);
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (index) => left + (plotWidth * index) / labels.length;
  const y = (value) => top + plotHeight - (plotHeight * value) / scale.top;
  const grid = scale.steps.map((value) => [
    svg("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: "grid" }),
    svg("text", { x: left - 6, y: y(value) + 4, class: "axis", "text-anchor": "end" }, app.formats.number(value)),
  ]);
  const xLabels = labels.map((label, index) =>
    label && index % labelEvery === 0
      ? svg("text", { x: x(index + 0.5), y: height - 8, class: "axis", "text-anchor": "middle" }, label)
      : null,
  );
  return { x, y, slot: plotWidth / labels.length, parts: [grid, xLabels], width };
}

function chartSvg(testId, label, frame, marks) {
  return svg(
    "svg",
    {
      viewBox: `0 0 ${frame.width} ${CHART.height}`,
      class: "chart",
      role: "img",
      "aria-label": label,
      "data-testid": testId,
    },
    frame.parts,
    marks,
  );
}

/** Stacked bars: one stack per label, one colour per series. */
export function stackedBars(app, testId, label, { labels, series, labelEvery = 1, tooltip }) {
  const totals = labels.map((_, index) => series.reduce((sum, one) => sum + one.values[index], 0));
  const frame = chartFrame(app, { maximum: Math.max(0, ...totals), labels, labelEvery });
  const bars = [];
  labels.forEach((_, index) => {
    let base = 0;
    for (const one of series) {
      const value = one.values[index];
      if (!value) continue;
      bars.push(
        svg(
          "rect",
          {
            x: frame.x(index) + frame.slot * 0.12,
            width: Math.max(frame.slot * 0.76, 0.5),
            y: frame.y(base + value),
            height: frame.y(base) - frame.y(base + value),
            fill: one.color,
          },
          svg("title", {}, tooltip(index, one, value)),
        ),
      );
      base += value;
    }
  });
  return chartSvg(testId, label, frame, bars);
}

/** One line per series over the labels. */
export function lines(app, testId, label, { labels, series, labelEvery, tooltip, width }) {
  const maximum = Math.max(0, ...series.flatMap((one) => one.values));
  const frame = chartFrame(app, { maximum, labels, labelEvery, width });
  const paths = series.map((one) =>
    svg(
      "polyline",
      {
        class: "line",
        stroke: one.color,
        points: one.values.map((value, index) => `${frame.x(index + 0.5).toFixed(1)},${frame.y(value).toFixed(1)}`).join(" "),
      },
      svg("title", {}, tooltip(one)),
    ),
  );
  return chartSvg(testId, label, frame, paths);
}
