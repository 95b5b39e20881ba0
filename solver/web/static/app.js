// Redline explorer: sliders -> POST /api/state (debounced) -> the equilibrium table; the moved
// slider's thresholds (POST /api/thresholds) as ticks; the phase diagram of two parameters
// (POST /api/phase) drawn with Vega-Lite.  Everything shown comes from the server's JSON.
"use strict";

const ui = {
  model: null, values: {}, moved: null, seq: {}, phaseView: null, phaseDoc: null,
  timers: {},
};
const STATE_DELAY = 40, THRESHOLD_DELAY = 250, PHASE_DELAY = 400;
const TOP_OUTCOMES = 4;
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function later(kind, delay, fn) {
  clearTimeout(ui.timers[kind]);
  ui.timers[kind] = setTimeout(fn, delay);
}

// one request per kind at a time matters: an answer older than the latest request is dropped
async function post(kind, path, body) {
  const n = (ui.seq[kind] = (ui.seq[kind] || 0) + 1);
  const r = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const text = await r.text();
  if (n !== ui.seq[kind]) return null;
  if (!r.ok) {
    let msg = text;
    try { msg = JSON.parse(text).error; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return path === "/api/tree" ? text : JSON.parse(text);
}

function showError(err) {
  const box = $("error");
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = String(err.message || err);
}

function rounded(p, raw) {
  return Number(Number(raw).toFixed(p.decimals));
}

// -- sliders ---------------------------------------------------------------------------------
function buildSliders() {
  const box = $("sliders");
  for (const p of ui.model.parameters) {
    ui.values[p.name] = p.value;
    const input = el("input", {
      type: "range", id: "slider-" + p.name, name: p.name, min: p.low, max: p.high, step: p.step,
      "aria-label": p.name,
    });
    input.value = p.value;
    const value = el("span", { class: "value", id: "value-" + p.name }, p.value_text);
    const unit = p.unit ? " (" + p.unit + ")" : "";
    const row = el("div", { class: "slider", id: "row-" + p.name },
      el("div", { class: "head" }, el("label", { class: "name", for: input.id }, p.name + unit), value),
      input,
      el("div", { class: "ticks", id: "ticks-" + p.name }),
      el("div", { class: "range-ends" }, el("span", {}, p.low), el("span", {}, p.high)),
      el("div", { class: "doc" }, p.doc));
    box.append(row);
    const moved = () => {
      const v = rounded(p, input.value);
      ui.values[p.name] = v;
      value.textContent = String(v);
      if (ui.moved !== p.name) {
        if (ui.moved) $("row-" + ui.moved).classList.remove("moved");
        ui.moved = p.name;
        row.classList.add("moved");
      }
      later("state", STATE_DELAY, refreshState);
      later("thresholds", THRESHOLD_DELAY, refreshThresholds);
      const ph = ui.model.phase;
      if (ph && ($("phase-x").value === p.name || $("phase-y").value === p.name)) moveMarker();
      else later("phase", PHASE_DELAY, refreshPhase);
    };
    input.addEventListener("input", moved);
    input.addEventListener("change", moved);
  }
}

// -- the equilibrium table -------------------------------------------------------------------
function mix(profile, exact) {
  const shown = exact || profile;
  return Object.entries(shown)
    .filter(([, v]) => Number(v) !== 0 && v !== "0")
    .map(([s, v]) => (String(v) === "1" ? s : s + " " + v));
}

function renderState(doc) {
  const solve = doc.solve, tree = ui.model.tree;
  $("regime").textContent = "equilibrium set: " + doc.regime;
  const head = ["#", "equilibrium"];
  if (!tree) head.push(...solve.players.map((p) => p + " plays"));
  else head.push("moves (credible equilibrium)");
  head.push("payoffs", "most likely outcomes");
  const thead = $("equilibria").tHead, tbody = $("equilibria").tBodies[0];
  thead.replaceChildren(el("tr", {}, ...head.map((h) => el("th", {}, h))));
  const rows = solve.equilibria.map((e, k) => {
    const cells = [el("td", {}, k + 1), el("td", { class: "description" }, e.description)];
    if (!tree) {
      for (const p of solve.players) {
        const exact = e.profile_exact ? e.profile_exact[p] : null;
        cells.push(el("td", {}, mix(e.profile[p], exact).join(", ")));
      }
    } else {
      const lines = (doc.paths && doc.paths[k]) || [];
      cells.push(el("td", { class: "moves" }, ...lines.map((l) => el("div", {}, l))));
    }
    const pays = solve.players.map((p) => p + " " + (e.payoffs_exact ? e.payoffs_exact[p] : e.payoffs[p]));
    cells.push(el("td", {}, pays.join(", ")));
    const odds = (e.outcomes || []).slice(0, TOP_OUTCOMES).map((o) =>
      el("div", {}, o.outcome + ": " + (o.probability_exact || o.probability.toPrecision(4))));
    const more = (e.outcomes || []).length - TOP_OUTCOMES + (e.outcomes_not_listed || 0);
    if (more > 0) odds.push(el("div", { class: "muted" }, "and " + more + " more"));
    cells.push(el("td", { class: "odds" }, ...odds));
    return el("tr", {}, ...cells);
  });
  tbody.replaceChildren(...rows);
  const notes = [...(solve.notes || []), ...(solve.limits || [])];
  if (tree && solve.nash_equilibria !== undefined)
    notes.unshift(solve.equilibria.length + " credible of " + solve.nash_equilibria + " Nash equilibria found");
  if (solve.complete === false) notes.unshift("NOT known to be complete");
  $("notes").textContent = notes.join("; ");
  $("equilibria").dataset.values = JSON.stringify(doc.values);
  $("equilibria").dataset.regime = doc.regime;
  if (tree) {
    $("tree-section").hidden = false;
    const words = (doc.paths || []).map((lines, k) => el("li", {}, "#" + (k + 1) + "\n" + lines.join("\n")));
    $("path-words").replaceChildren(...words);
    $("path-words").hidden = ui.model.tree_svg;  // the table and the drawing say it already
  }
}

async function refreshState() {
  try {
    const doc = await post("state", "/api/state", { values: ui.values });
    if (doc) { renderState(doc); showError(null); }
    if (doc && ui.model.tree_svg) {
      const svg = await post("tree", "/api/tree", { values: ui.values });
      if (svg !== null) $("tree").innerHTML = svg;  // the server's SVG: every label escaped
    }
  } catch (err) { showError(err); }
}

// -- thresholds as ticks on the moved slider -------------------------------------------------
async function refreshThresholds() {
  const name = ui.moved;
  if (!name) return;
  try {
    const doc = await post("thresholds", "/api/thresholds", { values: ui.values, parameter: name });
    if (doc) renderThresholds(doc);
  } catch (err) { showError(err); }
}

function renderThresholds(doc) {
  for (const p of ui.model.parameters) $("ticks-" + p.name).replaceChildren();
  const p = ui.model.parameters.find((q) => q.name === doc.parameter);
  const box = $("ticks-" + doc.parameter);
  const span = p.high - p.low || 1;
  for (const t of doc.thresholds) {
    const f = (t.value - p.low) / span;
    const tick = el("span", { class: "tick", "data-value": t.exact, title: t.before + " | " + t.after }, t.exact);
    tick.style.left = "calc(var(--thumb) / 2 + (100% - var(--thumb)) * " + f + ")";
    box.append(tick);
  }
  const items = doc.thresholds.map((t) =>
    el("li", {}, doc.parameter + " = " + t.exact + ": " + t.before + " \u2192 " + t.after));
  const head = doc.thresholds.length ? "Thresholds of " + doc.parameter + " (others fixed)"
    : "No threshold of " + doc.parameter + " on its range (others fixed)";
  const limits = (doc.limits || []).map((l) => el("li", { class: "muted" }, l));
  $("thresholds").replaceChildren(el("h2", {}, head), el("ul", {}, ...items, ...limits));
  $("thresholds").dataset.parameter = doc.parameter;
}

// -- the phase diagram -----------------------------------------------------------------------
const PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d",
  "#ff9da6", "#bab0ac"];

function buildPhaseControls() {
  const ph = ui.model.phase;
  if (!ph) {
    $("phase-controls").hidden = true;
    $("phase").textContent = "A phase diagram needs two parameters; this model has one.";
    return;
  }
  for (const id of ["phase-x", "phase-y"]) {
    const sel = $(id);
    for (const p of ui.model.parameters) sel.append(el("option", { value: p.name }, p.name));
    sel.value = id === "phase-x" ? ph.x : ph.y;
    sel.addEventListener("change", () => later("phase", 0, refreshPhase));
  }
}

async function refreshPhase() {
  if (!ui.model.phase) return;
  const x = $("phase-x").value, y = $("phase-y").value;
  if (x === y) { $("phase-status").textContent = "choose two different parameters"; return; }
  $("phase-status").textContent = "computing...";
  try {
    const doc = await post("phase", "/api/phase", { values: ui.values, x, y });
    if (doc) await drawPhase(doc);
  } catch (err) { showError(err); $("phase-status").textContent = ""; }
}

async function drawPhase(doc) {
  ui.phaseDoc = doc;
  const names = doc.regimes;
  const colours = names.map((r, k) => (r === doc.unsolved_label ? "#dddddd" : PALETTE[k % PALETTE.length]));
  const cells = doc.cells.map((c) => ({ ...c, regime: names[c.regime] }));
  const legend = { orient: "bottom", direction: "vertical", labelLimit: 700 };
  const axis = (a) => ({ title: a.title, scale: { domain: [a.low, a.high], nice: false, zero: false } });
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: 460, height: 340,
    layer: [
      { data: { values: cells }, mark: { type: "rect", strokeWidth: 0.6 },
        encoding: {
          x: { field: "x", type: "quantitative", ...axis(doc.x) }, x2: { field: "x2" },
          y: { field: "y", type: "quantitative", ...axis(doc.y) }, y2: { field: "y2" },
          color: { field: "regime", type: "nominal", title: "regime (equilibrium set)",
            scale: { domain: names, range: colours }, legend },
          // the same colour as the fill: no hairlines between the cells (merged into one legend)
          stroke: { field: "regime", type: "nominal", title: "regime (equilibrium set)",
            scale: { domain: names, range: colours }, legend },
          tooltip: [{ field: "regime", title: "regime" }],
        } },
      { data: { name: "current", values: [doc.current] },
        mark: { type: "point", shape: "cross", size: 260, filled: true, color: "#000", strokeWidth: 1 },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" },
          tooltip: [{ field: "x", title: doc.x.name }, { field: "y", title: doc.y.name }] } },
    ],
  };
  const result = await vegaEmbed("#phase", spec, { actions: false, renderer: "svg" });
  ui.phaseView = result.view;
  const status = doc.grid + "\u00d7" + doc.grid + " grid, others at their slider values; + marks the current point";
  $("phase-status").textContent = status + (doc.limits.length ? "; " + doc.limits.join("; ") : "");
  $("phase").dataset.x = doc.x.name;
  $("phase").dataset.y = doc.y.name;
  moveMarker();
}

function moveMarker() {
  if (!ui.phaseView || !ui.phaseDoc) return;
  const pt = { x: ui.values[ui.phaseDoc.x.name], y: ui.values[ui.phaseDoc.y.name] };
  ui.phaseView.change("current", vega.changeset().remove(() => true).insert([pt])).run();
}

// -- start -----------------------------------------------------------------------------------
async function start() {
  try {
    const r = await fetch("/api/model");
    ui.model = await r.json();
    document.title = "Redline explorer: " + ui.model.model;
    $("title").textContent = ui.model.title || ui.model.model;
    $("subtitle").textContent = ui.model.model + ": " + ui.model.players.join(", ") +
      (ui.model.tree ? " (game tree)" : "");
    buildSliders();
    buildPhaseControls();
    ui.moved = ui.model.parameters.length ? ui.model.parameters[0].name : null;
    if (ui.moved) $("row-" + ui.moved).classList.add("moved");
    await refreshState();
    refreshThresholds();
    refreshPhase();
  } catch (err) { showError(err); }
}

start();
