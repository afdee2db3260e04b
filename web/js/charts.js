// Charts where people would rather look than read: the headcount by group, the largest
// functions, and the total as one chosen field sweeps its range (engine.sweep through the
// bridge, row edges marked). Plain SVG built as nodes; each chart has a table alternative
// holding the same numbers (data-value). Titles and labels from the page's catalog.

import { call, ready } from "./bridge.js";
import { catalog, fieldLabel, fillIn, format, styles } from "./catalog.js";
import { formValues } from "./form.js";

const texts = catalog.charts;
const SVG = "http://www.w3.org/2000/svg";
const LARGEST = 8; // functions shown by name; the rest as one bar
const SWEEP_DELAY = 700; // ms after the last change before a drawn sweep is recomputed

function svgNode(tag, attributes = {}, text = "") {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text) node.textContent = text;
  return node;
}

function cell(tag, text, className, value) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  if (value !== undefined) node.dataset.value = String(value);
  return node;
}

// --- Bars: [{label, name, value}] → a horizontal bar chart and its table -----------------

function barChart(figure, bars, withClause) {
  const rowHeight = 26;
  const width = 640;
  const labelWidth = withClause ? 100 : 250; // clause ids, or group names
  const valueWidth = 80;
  const top = Math.max(...bars.map((bar) => bar.value), 1e-9);
  const svg = svgNode("svg", { viewBox: `0 0 ${width} ${bars.length * rowHeight + 4}`, role: "img",
    "aria-labelledby": figure.querySelector("figcaption").id, class: "bars" });
  bars.forEach((bar, i) => {
    const y = i * rowHeight + 2;
    const length = ((width - labelWidth - valueWidth) * bar.value) / top;
    const group = svgNode("g", { class: "bar" });
    group.append(svgNode("title", {}, `${bar.name}: ${format(bar.value)}`),
      svgNode("text", { x: labelWidth - 8, y: y + 17, "text-anchor": "end", class: "label" }, bar.label),
      svgNode("rect", { x: labelWidth, y: y + 3, width: Math.max(length, 0), height: rowHeight - 8, "data-value": bar.value }),
      svgNode("text", { x: labelWidth + length + 6, y: y + 17, class: "value" }, format(bar.value)));
    svg.append(group);
  });
  figure.querySelector(".chart-image").replaceChildren(svg);
  figure.querySelector("tbody").replaceChildren(...bars.map((bar) => {
    const row = document.createElement("tr");
    if (withClause) row.append(cell("td", bar.label));
    const name = cell("th", bar.name);
    name.scope = "row";
    row.append(name, cell("td", format(bar.value), "num", bar.value));
    return row;
  }));
}

function groupBars(result) {
  return Object.entries(result.groups).map(([group, value]) => {
    const name = catalog.groups[group] ?? group;
    return { label: name.length > 30 ? `${name.slice(0, 29)}…` : name, name, value };
  });
}

function functionBars(result) {
  const sorted = [...result.functions].sort((a, b) => b.value - a.value);
  const bars = sorted.slice(0, LARGEST).filter((fn) => fn.value > 0).map((fn) => ({
    label: fn.id, name: catalog.functions?.[fn.id] ?? fn.title, value: fn.value }));
  const rest = sorted.slice(LARGEST).reduce((sum, fn) => sum + fn.value, 0);
  if (rest > 0) bars.push({ label: "…", name: texts.others, value: rest });
  return bars;
}

// --- The sweep (engine.sweep) ----------------------------------------------------------------

const sweepFigure = document.getElementById("chart-sweep");
const fieldSelect = document.getElementById("sweep-field");
const uptoInput = document.getElementById("sweep-upto");
let drawn = false; // once drawn, a sweep follows the form (debounced)
let timer = 0;

function fillFieldChoice() {
  const numeric = [...document.querySelectorAll("#scenario input[data-kind]")]
    .filter((input) => ["count", "amount", "percent"].includes(input.dataset.kind) && !input.name.startsWith("actual."));
  fieldSelect.replaceChildren(...numeric.map((input) => Object.assign(document.createElement("option"),
    { value: input.name, textContent: fieldLabel(input.name) })));
  fieldSelect.value = "sales_sites";
}

function sweepProblem(text) {
  const note = document.getElementById("sweep-problem");
  note.textContent = text;
  note.hidden = !text;
  uptoInput.toggleAttribute("aria-invalid", Boolean(text));
}

function drawSweep() {
  if (!ready()) return;
  const answer = call("sweep", { values: formValues(), field: fieldSelect.value, upto: uptoInput.value });
  if (!answer) return;
  if (answer.problems.some((problem) => problem.field === "sweep.upto")) return sweepProblem(texts.bad_upto);
  if (answer.problems.length > 0) return undefined; // the form has a problem: said at its field
  sweepProblem("");
  drawn = true;
  showSweep(answer.sweep);
}

function sweepLater() {
  clearTimeout(timer);
  if (drawn) timer = setTimeout(drawSweep, SWEEP_DELAY);
}

function edgeText(edge) {
  return fillIn(texts.edge_of, { factor: catalog.readings.factors[edge.factor] ?? edge.factor, edge: format(edge.edge, styles.upToTwo) });
}

function showSweep(sweep) {
  const label = fieldLabel(sweep.field);
  const title = document.getElementById("sweep-title");
  title.textContent = fillIn(texts.sweep_title, { factor: label, upto: format(sweep.upto, styles.upToTwo) });
  title.hidden = false;
  sweepFigure.querySelector(".chart-image").replaceChildren(sweepSvg(sweep));
  const steps = sweepFigure.querySelector(".sweep-steps");
  steps.replaceChildren(...(sweep.edges.length ? sweep.edges.map((edge) => {
    const item = cell("li", fillIn(texts.step, {
      x: format(edge.x, styles.upToTwo), before: format(edge.before), after: format(edge.after),
      factor: catalog.readings.factors[edge.factor] ?? edge.factor, edge: format(edge.edge, styles.upToTwo) }));
    item.dataset.testid = "sweep-step";
    item.dataset.value = String(edge.past);
    return item;
  }) : [cell("li", texts.no_steps)]));
  steps.hidden = false;
  document.getElementById("sweep-col-x").textContent = label;
  const marks = new Map(sweep.edges.flatMap((edge) => [[edge.x, edge], [edge.past, edge]]));
  const table = sweepFigure.querySelector(".chart-table");
  table.querySelector("tbody").replaceChildren(...sweep.points.map((point) => {
    const row = document.createElement("tr");
    const x = cell("th", format(point.x, styles.upToTwo), "num", point.x);
    x.scope = "row";
    const edge = marks.get(point.x);
    row.append(x, cell("td", format(point.total_exact), "num", point.total_exact),
      cell("td", format(point.total, styles.whole), "num", point.total), cell("td", edge ? edgeText(edge) : ""));
    return row;
  }));
  table.hidden = false;
}

function sweepSvg(sweep) {
  const [width, height] = [640, 260];
  const [left, right, top, bottom] = [56, 16, 12, 34];
  const totals = sweep.points.map((point) => point.total_exact);
  const low = Math.min(...totals);
  const high = Math.max(...totals, low + 1);
  const x = (value) => left + ((width - left - right) * value) / sweep.upto;
  const y = (value) => height - bottom - ((height - top - bottom) * (value - low)) / (high - low);
  const svg = svgNode("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "sweep-title", class: "sweep" });
  svg.append(
    svgNode("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" }),
    svgNode("line", { x1: left, y1: top, x2: left, y2: height - bottom, class: "axis" }),
    svgNode("text", { x: left - 6, y: y(high) + 4, "text-anchor": "end", class: "tick" }, format(high, styles.upToTwo)),
    svgNode("text", { x: left - 6, y: y(low) + 4, "text-anchor": "end", class: "tick" }, format(low, styles.upToTwo)),
    svgNode("text", { x: left, y: height - 12, "text-anchor": "middle", class: "tick" }, "0"),
    svgNode("text", { x: width - right, y: height - 12, "text-anchor": "end", class: "tick" }, format(sweep.upto, styles.upToTwo)),
    svgNode("text", { x: (left + width) / 2, y: height - 2, "text-anchor": "middle", class: "axis-label" }, fieldLabel(sweep.field)),
  );
  const corners = sweepCorners(sweep).map(([at, total]) => `${x(at).toFixed(2)},${y(total).toFixed(2)}`);
  svg.append(svgNode("polyline", { class: "line", points: corners.join(" ") }));
  for (const edge of sweep.edges) {
    const at = x((edge.x + edge.past) / 2);
    const mark = svgNode("line", { x1: at, y1: top, x2: at, y2: height - bottom, class: "edge", "data-value": edge.past });
    mark.append(svgNode("title", {}, edgeText(edge)));
    svg.append(mark);
  }
  const current = sweep.points.find((point) => point.x === sweep.value);
  if (current) {
    const dot = svgNode("circle", { cx: x(current.x), cy: y(current.total_exact), r: 4.5, class: "current" });
    dot.append(svgNode("title", {}, `${texts.current}: ${format(current.x, styles.upToTwo)} → ${format(current.total_exact)}`));
    svg.append(dot);
  }
  return svg;
}

// The line through the points, a step drawn upright at the middle of each edge (between the
// last value on a row and the first beyond it: a count has nothing in between).
function sweepCorners(sweep) {
  const past = new Map(sweep.edges.map((edge) => [edge.past, edge]));
  return sweep.points.flatMap((point, i) => {
    const edge = past.get(point.x);
    const before = sweep.points[i - 1];
    if (!edge || before?.x !== edge.x) return [[point.x, point.total_exact]];
    const middle = (edge.x + edge.past) / 2;
    return [[middle, before.total_exact], [middle, point.total_exact], [point.x, point.total_exact]];
  });
}

// After each calculation (page.js).
export function showCharts(result) {
  barChart(document.getElementById("chart-groups"), groupBars(result), false);
  barChart(document.getElementById("chart-functions"), functionBars(result), true);
  sweepLater();
}

fillFieldChoice();
document.getElementById("sweep-draw").addEventListener("click", drawSweep);
fieldSelect.addEventListener("change", () => {
  uptoInput.value = "";
  drawSweep();
});
uptoInput.addEventListener("keydown", (event) => event.key === "Enter" && drawSweep());
