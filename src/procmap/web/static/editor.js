/* procmap workshop: the visual map editor — typing, not drawing (vanilla JS, no build step).
 *
 * The map is kept as data (the fields procmap reads: actors, outcomes, steps with then,
 * needs, branches, delivers, duration, wait, rule …), written as YAML (toYaml) for the
 * server. On every change the YAML goes to POST …/preview and procmap answers the
 * diagram (its swimlane SVG with overlays), the scorecard's counts and the findings;
 * the page never computes the method itself. Saving goes through the map API with the
 * revision the editor started from: a stale save is refused (409) and the difference shown.
 * Names typed by people only ever reach the page as text (textContent, never innerHTML);
 * the SVG comes from procmap, which escapes them.
 */
(function () {
  "use strict";
  var dataNode = document.getElementById("editor-data");
  if (!dataNode) { return; }
  var CONFIG = JSON.parse(dataNode.textContent);
  var M = CONFIG.map;                       // the map being edited
  var revision = CONFIG.revision;           // the revision the next save is based on
  var savedYaml = null;                     // the YAML last saved (or loaded)
  var sel = null;                           // the selected step: new steps follow it
  var undoStack = [], redoStack = [], lastKey = null, lastAt = 0;
  var picking = false;
  var overlays = {mot: true, bp: true, rules: true, findings: true};
  var KINDS = ["customer", "team", "system", "partner"];
  var $ = function (id) { return document.getElementById(id); };

  // --- words ------------------------------------------------------------------------------
  function slug(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  var ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
  /* "id: Name" → [id, Name]; "Name" → [its slug, Name]; "id" → [id, null] (as procmap's builder). */
  function splitAnswer(answer) {
    answer = answer.trim();
    var colon = answer.indexOf(":");
    if (colon >= 0) {
      var key = answer.slice(0, colon).trim(), name = answer.slice(colon + 1).trim();
      return [key, name || null];
    }
    if (ID.test(answer)) { return [answer, null]; }
    return [slug(answer) || "step", answer];
  }
  function freeId(base, taken) {
    base = base || "step";
    if (!(base in taken)) { return base; }
    for (var i = 2; ; i++) { if (!((base + "-" + i) in taken)) { return base + "-" + i; } }
  }
  var UNITS = {s: 1, m: 60, h: 3600, d: 86400, w: 604800};
  var WORDS = {sec: "s", secs: "s", second: "s", seconds: "s", min: "m", mins: "m", minute: "m",
    minutes: "m", hr: "h", hrs: "h", hour: "h", hours: "h", day: "d", days: "d", wk: "w",
    wks: "w", week: "w", weeks: "w", s: "s", m: "m", h: "h", d: "d", w: "w"};
  /* "2 days" → "2d", "1 hour 30 min" → "1h30m", "" → "", words procmap cannot read → null. */
  function duration(text) {
    var rest = String(text || "").trim().toLowerCase().replace(/\band\b/g, " ").trim();
    if (!rest) { return ""; }
    var part = /^(\d+(?:\.\d+)?)\s*([a-z]+)[\s,]*/, seconds = 0, m;
    while (rest.length) {
      m = part.exec(rest);
      if (!m || !(m[2] in WORDS)) { return null; }
      seconds += parseFloat(m[1]) * UNITS[WORDS[m[2]]];
      rest = rest.slice(m[0].length);
    }
    seconds = Math.round(seconds);
    if (seconds === 0) { return "0m"; }
    var out = "";
    ["w", "d", "h", "m", "s"].forEach(function (u) {
      var n = Math.floor(seconds / UNITS[u]);
      if (n) { out += n + u; seconds -= n * UNITS[u]; }
    });
    return out;
  }

  // --- YAML (the subset a map needs; strings quoted as JSON where plain would change them) -----
  var RESERVED = /^(y|n|yes|no|on|off|true|false|null|~)$/i;
  function scalar(v) {
    if (typeof v === "number" || typeof v === "boolean") { return String(v); }
    if (v === null || v === undefined) { return "null"; }
    var s = String(v);
    if (/^[A-Za-z_][A-Za-z0-9 _.,'()\/?!-]*$/.test(s) && !RESERVED.test(s) && !/[ ]$/.test(s)) { return s; }
    return JSON.stringify(s);
  }
  function key(k) { return (ID.test(k) && !RESERVED.test(k)) ? k : JSON.stringify(k); }
  function isPlain(v) { return v === null || typeof v !== "object"; }
  function emit(v, indent, out) {
    var pad = "  ".repeat(indent);
    Object.keys(v).forEach(function (k) {
      var x = v[k];
      if (x === undefined) { return; }
      if (isPlain(x)) { out.push(pad + key(k) + ": " + scalar(x)); }
      else if (Array.isArray(x)) {
        if (x.every(isPlain)) { out.push(pad + key(k) + ": [" + x.map(scalar).join(", ") + "]"); }
        else {
          out.push(pad + key(k) + ":");
          x.forEach(function (item) {
            if (isPlain(item)) { out.push(pad + "  - " + scalar(item)); return; }
            var sub = []; emit(item, indent + 2, sub);
            out.push(pad + "  - " + sub.join("\n").trimStart());
          });
        }
      } else if (Object.keys(x).length === 0) { out.push(pad + key(k) + ": {}"); }
      else { out.push(pad + key(k) + ":"); emit(x, indent + 1, out); }
    });
    return out;
  }
  function toYaml(map) { return emit(map, 0, []).join("\n") + "\n"; }
  /* The map's YAML, written once per change: every change to M goes through change() (undo and
   * redo too), which counts it. */
  var edits = 0, yamlAt = -1, yamlText = null;
  function currentYaml() {
    if (yamlAt !== edits) { yamlText = toYaml(M); yamlAt = edits; }
    return yamlText;
  }

  // --- the map's structure -------------------------------------------------------------------
  function steps() { return M.steps; }
  function stepTitle(id) { var s = M.steps[id]; return (s && s.name) || id; }
  function targetOf(branch) { return typeof branch === "string" ? branch : (branch && branch.to); }
  /* The flows out of a step: its then, its branches, and the steps that name it in needs. */
  var needIndex = null;   // step → the steps naming it in needs (built per drawing)
  function buildIndex() {
    needIndex = {};
    Object.keys(M.steps).forEach(function (other) {
      (M.steps[other].needs || []).forEach(function (n) { (needIndex[n] = needIndex[n] || []).push(other); });
    });
  }
  function flowsOut(id) {
    var s = M.steps[id], out = [];
    (s.then || []).forEach(function (to) { out.push({to: to, via: "then"}); });
    Object.keys(s.branches || {}).forEach(function (label) {
      var b = s.branches[label];
      out.push({to: targetOf(b), via: "branch", label: label,
                probability: typeof b === "object" ? b.probability : undefined});
    });
    var needing = needIndex ? (needIndex[id] || []) : Object.keys(M.steps).filter(function (other) {
      return (M.steps[other].needs || []).indexOf(id) >= 0;
    });
    needing.forEach(function (other) {
      if (!out.some(function (f) { return f.to === other; })) { out.push({to: other, via: "needs"}); }
    });
    return out;
  }
  function linked(from, to) { return flowsOut(from).some(function (f) { return f.to === to; }); }
  function addFlow(from, to, label) {
    var s = M.steps[from];
    if (!s || !M.steps[to] || from === to || linked(from, to)) { return; }
    if (s.kind === "decision") {
      s.branches = s.branches || {};
      var l = (label || "").trim() || freeId("option-" + (Object.keys(s.branches).length + 1), s.branches);
      s.branches[l] = {to: to};
    } else {
      s.then = (s.then || []).concat([to]);
    }
  }
  function removeFlow(from, flow) {
    var s = M.steps[from];
    if (flow.via === "then") { s.then = s.then.filter(function (t) { return t !== flow.to; }); if (!s.then.length) { delete s.then; } }
    if (flow.via === "branch") { delete s.branches[flow.label]; if (!Object.keys(s.branches).length) { delete s.branches; } }
    if (flow.via === "needs") {
      var t = M.steps[flow.to];
      t.needs = t.needs.filter(function (n) { return n !== from; });
      if (!t.needs.length) { delete t.needs; }
    }
  }
  function newStep(text, actor) {
    var parts = splitAnswer(text), id = parts[0], name = parts[1];
    if (id in M.steps) { return id; }
    var step = {};
    if (name) { step.name = name; }
    step.actor = actor;
    M.steps[id] = step;
    return id;
  }
  /* A step an answer names: exactly the name of a step drawn (case aside), or its id. */
  function findStep(text) {
    var t = text.trim().toLowerCase();
    if (!t) { return null; }
    var ids = Object.keys(M.steps);
    for (var i = 0; i < ids.length; i++) { if ((M.steps[ids[i]].name || "").toLowerCase() === t) { return ids[i]; } }
    if (text.trim() in M.steps) { return text.trim(); }
    var parts = splitAnswer(text);
    return parts[0] in M.steps && parts[1] !== null && text.indexOf(":") >= 0 ? parts[0] : null;
  }
  function setKind(id, kind) {
    var s = M.steps[id];
    var was = s.kind || "task";
    if (kind === was) { return; }
    if (kind === "decision" && s.then && s.then.length) {   // its next steps become branches
      s.branches = s.branches || {};
      var labels = ["yes", "no"];
      s.then.forEach(function (to, i) { s.branches[freeId(labels[i] || "option-" + (i + 1), s.branches)] = {to: to}; });
      delete s.then;
    }
    if (was === "decision" && kind !== "decision" && s.branches) {  // its branches become next steps
      s.then = (s.then || []).concat(Object.keys(s.branches).map(function (l) { return targetOf(s.branches[l]); }));
      delete s.branches;
    }
    if (kind === "task") { delete s.kind; } else { s.kind = kind; }
  }
  function removeStep(id) {
    delete M.steps[id];
    Object.keys(M.steps).forEach(function (other) {
      var s = M.steps[other];
      ["then", "needs"].forEach(function (f) {
        if (s[f]) { s[f] = s[f].filter(function (t) { return t !== id; }); if (!s[f].length) { delete s[f]; } }
      });
      Object.keys(s.branches || {}).forEach(function (l) { if (targetOf(s.branches[l]) === id) { delete s.branches[l]; } });
      if (s.branches && !Object.keys(s.branches).length) { delete s.branches; }
    });
  }
  /* Lanes in order with the customer's on top (their relative order kept). */
  function customerFirst(order) {
    var cust = order.filter(function (a) { return (M.actors[a] || {}).kind === "customer"; });
    return cust.concat(order.filter(function (a) { return cust.indexOf(a) < 0; }));
  }
  function setLaneOrder(order) {
    var next = {};
    customerFirst(order).forEach(function (a) { next[a] = M.actors[a]; });
    M.actors = next;
  }
  function laneName(a) { return (M.actors[a] && M.actors[a].name) || a; }
  function lanes() { return Object.keys(M.actors); }

  // --- changes, undo and redo ---------------------------------------------------------------
  function change(fn, coalesce) {
    var now = Date.now();
    if (!(coalesce && coalesce === lastKey && now - lastAt < 2000)) {
      undoStack.push(JSON.stringify({map: M, sel: sel}));
      if (undoStack.length > 500) { undoStack.shift(); }
      redoStack = [];
    }
    lastKey = coalesce || null; lastAt = now;
    fn();
    if (sel && !(sel in M.steps)) { sel = null; }
    changed();
  }
  function changed() {
    edits += 1;
    if (pendingSince === null) { pendingSince = performance.now(); }
    preview();     // asked first: procmap works on the server while the left pane is redrawn
    render();
    status();
  }
  function restore(from, to) {
    if (!from.length) { return; }
    to.push(JSON.stringify({map: M, sel: sel}));
    var state = JSON.parse(from.pop());
    M = state.map; sel = state.sel && state.sel in M.steps ? state.sel : null;
    lastKey = null;
    changed();
  }
  function undo() { restore(undoStack, redoStack); }
  function redo() { restore(redoStack, undoStack); }

  // --- drawing the editor (text only: textContent, never innerHTML) ----------------------------
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "dataset") { Object.keys(attrs.dataset).forEach(function (d) { e.dataset[d] = attrs.dataset[d]; }); }
      else if (k.slice(0, 2) === "on") { e.addEventListener(k.slice(2), attrs[k]); }
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { e.setAttribute(k, attrs[k] === true ? "" : attrs[k]); }
    });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function options(select, items, value) {
    select.textContent = "";
    items.forEach(function (it) { select.appendChild(el("option", {value: it[0]}, it[1])); });
    if (value !== undefined) { select.value = value; }
  }
  function render() {
    var active = document.activeElement, focusKey = active && active.dataset ? active.dataset.key : null;
    var start = null, end = null;
    try { start = active.selectionStart; end = active.selectionEnd; } catch (e) { /* not a text field */ }
    buildIndex();
    renderLanes(); renderOutcomes(); renderSteps(); renderInspector(); renderNames();
    needIndex = null;
    if (focusKey) {
      var again = document.querySelector('[data-key="' + CSS.escape(focusKey) + '"]');
      if (again && again !== document.activeElement) {
        again.focus();
        if (start !== null && again.setSelectionRange) { try { again.setSelectionRange(start, end); } catch (e) { /* ok */ } }
      }
    }
  }
  var drawn = {};   // what each part of the left pane was last drawn from: unchanged parts are kept
  function unchanged(part, sig) {
    if (drawn[part] === sig) { return true; }
    drawn[part] = sig;
    return false;
  }
  function renderLanes() {
    var order = lanes();
    if (unchanged("lanes", JSON.stringify([M.actors, order.map(function (a) {
      return Object.keys(M.steps).some(function (s) { return M.steps[s].actor === a || (M.steps[s]["with"] || []).indexOf(a) >= 0; });
    })]))) { return; }
    var list = $("ed-lanes"); list.textContent = "";
    order.forEach(function (a, i) {
      var actor = M.actors[a] || {};
      var li = el("li", {"class": "ed-lane-row" + (actor.kind === "customer" ? " customer" : "")});
      var name = el("input", {"aria-label": "Name of the lane " + a, value: actor.name || "",
        placeholder: a, dataset: {key: "lane-name:" + a}});
      name.value = actor.name || "";
      name.addEventListener("input", function () {
        change(function () { if (name.value) { M.actors[a].name = name.value; } else { delete M.actors[a].name; } }, "lane-name:" + a);
      });
      var kind = el("select", {"aria-label": "Kind of the lane " + a, dataset: {key: "lane-kind:" + a}});
      options(kind, KINDS.map(function (k) { return [k, k]; }), actor.kind || "team");
      kind.addEventListener("change", function () {
        change(function () { M.actors[a].kind = kind.value; setLaneOrder(lanes()); });
      });
      var up = el("button", {type: "button", "class": "secondary small", "aria-label": "Move the lane " + (actor.name || a) + " up",
        dataset: {key: "lane-up:" + a}, disabled: i === 0}, "↑");
      up.addEventListener("click", function () { move(a, -1); });
      var down = el("button", {type: "button", "class": "secondary small", "aria-label": "Move the lane " + (actor.name || a) + " down",
        dataset: {key: "lane-down:" + a}, disabled: i === order.length - 1}, "↓");
      down.addEventListener("click", function () { move(a, 1); });
      var used = Object.keys(M.steps).some(function (s) { return M.steps[s].actor === a || (M.steps[s]["with"] || []).indexOf(a) >= 0; });
      var remove = el("button", {type: "button", "class": "secondary small", "aria-label": "Remove the lane " + (actor.name || a),
        disabled: used, title: used ? "steps are in this lane" : null}, "✕");
      remove.addEventListener("click", function () { change(function () { delete M.actors[a]; }); });
      li.append(el("code", {}, a), name, kind, up, down, remove);
      list.appendChild(li);
    });
  }
  function move(a, by) {
    change(function () {
      var order = lanes(), i = order.indexOf(a), j = i + by;
      if (j < 0 || j >= order.length) { return; }
      order.splice(i, 1); order.splice(j, 0, a);
      setLaneOrder(order);
    });
  }
  function renderOutcomes() {
    if (unchanged("outcomes", JSON.stringify([M.outcomes || {}, Object.keys(M.outcomes || {}).map(function (o) {
      return Object.keys(M.steps).filter(function (s) { return (M.steps[s].delivers || []).indexOf(o) >= 0; }).map(stepTitle);
    })]))) { return; }
    var list = $("ed-outcomes"); list.textContent = "";
    Object.keys(M.outcomes || {}).forEach(function (o) {
      var outcome = M.outcomes[o];
      var li = el("li", {});
      var name = el("input", {"aria-label": "Name of the outcome " + o, dataset: {key: "outcome-name:" + o}});
      name.value = outcome.name || "";
      name.addEventListener("input", function () { change(function () { M.outcomes[o].name = name.value; }, "outcome-name:" + o); });
      var by = Object.keys(M.steps).filter(function (s) { return (M.steps[s].delivers || []).indexOf(o) >= 0; });
      var remove = el("button", {type: "button", "class": "secondary small", "aria-label": "Remove the outcome " + (outcome.name || o)}, "✕");
      remove.addEventListener("click", function () {
        change(function () {
          delete M.outcomes[o];
          by.forEach(function (s) { var d = M.steps[s].delivers.filter(function (x) { return x !== o; }); if (d.length) { M.steps[s].delivers = d; } else { delete M.steps[s].delivers; } });
        });
      });
      li.append(el("code", {}, o), name, el("span", {"class": "hint"}, (outcome["for"] || "customer") +
        (by.length ? " · delivered by " + by.map(stepTitle).join(", ") : " · no step delivers it yet")), remove);
      list.appendChild(li);
    });
  }
  /* The steps by lane, redrawn only where they changed: a lane's box and a step's row are kept
   * (keyed by the lane and the step) and rebuilt only when what they show differs. */
  var laneBoxes = {}, stepRows = {};
  function stepRow(id) {
    var s = M.steps[id];
    var next = flowsOut(id).map(function (f) { return (f.label ? f.label + ": " : "") + stepTitle(f.to); });
    var sig = JSON.stringify([s.name || id, s.kind || "task", id === sel, next]);
    var row = stepRows[id];
    if (row && row.sig === sig) { return row.li; }
    var li = el("li", {});
    var b = el("button", {type: "button", "class": "ed-step kind-" + (s.kind || "task") + (id === sel ? " selected" : ""),
      dataset: {key: "step:" + id, step: id}, "aria-pressed": id === sel ? "true" : "false"}, s.name || id);
    b.addEventListener("click", function () { stepClicked(id); });
    li.appendChild(b);
    if (s.kind && s.kind !== "task") { li.appendChild(el("span", {"class": "badge"}, s.kind)); }
    if (next.length) { li.appendChild(el("span", {"class": "hint"}, " → " + next.join(" · "))); }
    if (row && row.li.parentNode) { row.li.parentNode.replaceChild(li, row.li); }
    stepRows[id] = {li: li, sig: sig};
    return li;
  }
  function laneBox(a) {
    var sig = JSON.stringify([laneName(a), (M.actors[a] || {}).kind === "customer"]);
    var box = laneBoxes[a];
    if (box && box.sig === sig) { return box; }
    if (!box) {
      box = laneBoxes[a] = {section: el("section", {}), h3: el("h3", {}), ol: el("ol", {}),
        input: el("input", {"class": "ed-add-step", dataset: {key: "add:" + a, lane: a}})};
      var input = box.input;
      input.addEventListener("keydown", function (ev) {
        if (ev.key !== "Enter" || !input.value.trim()) { return; }
        ev.preventDefault();
        var text = input.value, link = !ev.shiftKey;
        input.value = "";
        change(function () {
          var existing = findStep(text);
          var id = existing || newStep(text, a);
          if (link && sel && sel !== id && (M.steps[sel].kind || "task") !== "decision" && M.steps[sel].kind !== "end") { addFlow(sel, id); }
          sel = id;
        });
      });
      box.section.append(box.h3, box.ol, box.input);
    }
    box.sig = sig;
    box.section.className = "ed-lane" + ((M.actors[a] || {}).kind === "customer" ? " customer" : "");
    box.section.setAttribute("aria-label", "Lane " + laneName(a));
    box.h3.textContent = laneName(a);
    box.input.setAttribute("aria-label", "Type a step in " + laneName(a));
    box.input.setAttribute("placeholder", "Type a step in " + laneName(a) + ", Enter");
    return box;
  }
  /* Make parent's children exactly nodes, in order, touching only what moved. */
  function place(parent, nodes) {
    var at = parent.firstChild;
    nodes.forEach(function (n) {
      if (n === at) { at = at.nextSibling; return; }
      parent.insertBefore(n, at);
    });
    while (at) { var gone = at; at = at.nextSibling; parent.removeChild(gone); }
  }
  function renderSteps() {
    var box = $("ed-steps"), order = lanes(), byLane = {};
    order.forEach(function (a) { byLane[a] = []; });
    var ids = Object.keys(M.steps);
    ids.forEach(function (id) { var a = M.steps[id].actor; if (a in byLane) { byLane[a].push(stepRow(id)); } });
    Object.keys(stepRows).forEach(function (id) { if (!(id in M.steps)) { delete stepRows[id]; } });
    Object.keys(laneBoxes).forEach(function (a) { if (!(a in byLane)) { delete laneBoxes[a]; } });
    var sections = order.map(function (a) { var lb = laneBox(a); place(lb.ol, byLane[a]); return lb.section; });
    if (!order.length) {
      sections = [box.querySelector("p.hint") || el("p", {"class": "hint"}, "Add a lane first (the customer's on top).")];
    }
    place(box, sections);
  }
  function stepClicked(id) {
    if (picking && sel && sel !== id) {
      var from = sel;
      change(function () { addFlow(from, id, $("ed-branch-label").value); $("ed-branch-label").value = ""; });
      setPicking(false);
      return;
    }
    sel = id; render();
    $("ed-step-name").focus();
  }
  function setPicking(on) {
    picking = on;
    $("ed-pick").setAttribute("aria-pressed", on ? "true" : "false");
    document.body.classList.toggle("ed-picking", on);
  }
  function setValue(input, value) { if (document.activeElement !== input) { input.value = value; } }
  function renderInspector() {
    var box = $("ed-inspector");
    if (!sel) { box.hidden = true; drawn.inspector = null; return; }
    box.hidden = false;
    var s = M.steps[sel];
    if (unchanged("inspector", JSON.stringify([sel, s, lanes().map(laneName), M.outcomes || {},
      flowsOut(sel).map(function (f) { return stepTitle(f.to); })]))) { return; }
    $("ed-step-id").textContent = sel;
    setValue($("ed-step-name"), s.name || "");
    options($("ed-step-lane"), lanes().map(function (a) { return [a, laneName(a)]; }), s.actor);
    $("ed-step-kind").value = s.kind || "task";
    setValue($("ed-step-duration"), s.duration || "");
    setValue($("ed-step-wait"), s.wait || "");
    setValue($("ed-step-rule"), s.rule || "");
    var decision = s.kind === "decision";
    $("ed-next-title").textContent = decision ? "Branches" : (s.kind === "parallel" ? "Ways out (all at once)" : "Next steps");
    $("ed-branch-label").hidden = !decision;
    $("ed-branch-label-l").hidden = true;
    var laneSelect = $("ed-next-lane"), keep = laneSelect.value;
    options(laneSelect, lanes().map(function (a) { return [a, laneName(a)]; }));
    laneSelect.value = document.activeElement === laneSelect && keep ? keep : s.actor;
    var list = $("ed-next"); list.textContent = "";
    flowsOut(sel).forEach(function (f) {
      var li = el("li", {});
      if (f.via === "branch") {
        li.appendChild(el("strong", {}, f.label + ": "));
      }
      var go = el("button", {type: "button", "class": "link", dataset: {key: "go:" + f.to}}, stepTitle(f.to));
      go.addEventListener("click", function () { sel = f.to; render(); });
      li.appendChild(go);
      if (f.via === "branch") {
        var p = el("input", {"aria-label": "Chance of the branch " + f.label, size: 5, placeholder: "chance",
          inputmode: "decimal", dataset: {key: "p:" + f.label}});
        p.value = f.probability === undefined ? "" : String(f.probability);
        p.addEventListener("input", function () {
          var v = p.value.trim().replace(/%$/, ""), n = parseFloat(v);
          if (p.value.trim().endsWith("%")) { n = n / 100; }
          var from = sel;
          change(function () {
            var b = M.steps[from].branches[f.label];
            if (typeof b === "string") { b = M.steps[from].branches[f.label] = {to: b}; }
            if (v === "" || isNaN(n)) { delete b.probability; } else { b.probability = n; }
          }, "p:" + from + f.label);
        });
        li.appendChild(p);
      }
      var x = el("button", {type: "button", "class": "secondary small", "aria-label": "Remove the flow to " + stepTitle(f.to)}, "✕");
      var from = sel;
      x.addEventListener("click", function () { change(function () { removeFlow(from, f); }); });
      li.appendChild(x);
      list.appendChild(li);
    });
    var delivers = $("ed-delivers"); delivers.textContent = "";
    Object.keys(M.outcomes || {}).forEach(function (o) {
      var id = "ed-delivers-" + o;
      var box2 = el("input", {type: "checkbox", id: id, dataset: {key: "delivers:" + o}});
      box2.checked = (s.delivers || []).indexOf(o) >= 0;
      box2.addEventListener("change", function () {
        var from = sel;
        change(function () {
          var d = (M.steps[from].delivers || []).filter(function (x) { return x !== o; });
          if (box2.checked) { d.push(o); }
          if (d.length) { M.steps[from].delivers = d; } else { delete M.steps[from].delivers; }
        });
      });
      var label = el("label", {"for": id});
      label.append(box2, document.createTextNode(" " + (M.outcomes[o].name || o)));
      delivers.appendChild(label);
    });
    if (!Object.keys(M.outcomes || {}).length) { delivers.appendChild(el("span", {"class": "hint"}, "Add an outcome above to mark a step as delivering it.")); }
  }
  function renderNames() {
    var list = $("ed-names"), ids = Object.keys(M.steps), have = list.children;
    ids.forEach(function (id, i) {
      var value = M.steps[id].name || id;
      if (i >= have.length) { list.appendChild(el("option", {value: value})); }
      else if (have[i].value !== value) { have[i].value = value; }
    });
    while (have.length > ids.length) { list.removeChild(list.lastChild); }
  }

  // --- the inspector's fields -----------------------------------------------------------------
  function field(inputId, apply, coalesce) {
    $(inputId).addEventListener("input", function () {
      if (!sel) { return; }
      var id = sel, value = $(inputId).value;
      change(function () { apply(M.steps[id], value); }, coalesce + id);
    });
  }
  field("ed-step-name", function (s, v) { if (v) { s.name = v; } else { delete s.name; } }, "name:");
  field("ed-step-rule", function (s, v) { if (v.trim()) { s.rule = v; } else { delete s.rule; } }, "rule:");
  ["duration", "wait"].forEach(function (which) {
    var input = $("ed-step-" + which), out = $("ed-step-" + which + "-out");
    input.addEventListener("input", function () {
      if (!sel) { return; }
      var id = sel, value = duration(input.value);
      out.textContent = value === null ? "write it like 15 min, 2 hours, 3 days" : (value ? "= " + value : "");
      out.className = value === null ? "bad" : "";
      if (value === null) { return; }
      change(function () { if (value) { M.steps[id][which] = value; } else { delete M.steps[id][which]; } }, which + ":" + id);
    });
  });
  $("ed-step-lane").addEventListener("change", function () {
    var id = sel, lane = $("ed-step-lane").value;
    change(function () { M.steps[id].actor = lane; });
  });
  $("ed-step-kind").addEventListener("change", function () {
    var id = sel, kind = $("ed-step-kind").value;
    change(function () { setKind(id, kind); });
  });
  $("ed-step-name").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); $(M.steps[sel] && M.steps[sel].kind === "decision" ? "ed-branch-label" : "ed-next-name").focus(); }
  });
  $("ed-step-remove").addEventListener("click", function () {
    var id = sel;
    change(function () { removeStep(id); sel = null; });
  });
  // The next step: a name drawn (linked), or new words (a new step in the chosen lane).
  $("ed-next-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = $("ed-next-name").value, label = $("ed-branch-label").value;
    if (!sel || !text.trim()) { return; }
    var from = sel, lane = $("ed-next-lane").value || M.steps[from].actor, decision = M.steps[from].kind === "decision";
    $("ed-next-name").value = ""; $("ed-branch-label").value = "";
    hideCompletion();
    change(function () {
      var id = findStep(text) || newStep(text, lane);
      addFlow(from, id, label);
      if (!decision) { sel = id; }
    });
    $(decision ? "ed-branch-label" : "ed-next-name").focus();
  });
  $("ed-pick").addEventListener("click", function () { setPicking(!picking); });
  [$("ed-next-lane"), $("ed-lane-kind"), $("ed-outcome-for")].forEach(function (select) {
    select.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); select.form.requestSubmit(); }
    });
  });
  // Name completion: the names drawn that begin with (or contain) the words typed; Tab or ↓ takes the first.
  var completion = el("ul", {id: "ed-complete", "class": "ed-complete", role: "listbox", hidden: true});
  $("ed-next-name").parentNode.appendChild(completion);
  function matches(text) {
    var t = text.trim().toLowerCase();
    if (!t) { return []; }
    var ids = Object.keys(M.steps), first = [], then = [];
    ids.forEach(function (id) {
      var name = (M.steps[id].name || id).toLowerCase();
      if (name.indexOf(t) === 0 || id.indexOf(t) === 0) { first.push(id); } else if (name.indexOf(t) > 0) { then.push(id); }
    });
    return first.concat(then).slice(0, 8);
  }
  function hideCompletion() { completion.hidden = true; completion.textContent = ""; }
  function take(id) { $("ed-next-name").value = M.steps[id].name || id; hideCompletion(); $("ed-next-name").focus(); }
  $("ed-next-name").addEventListener("input", function () {
    var found = matches($("ed-next-name").value);
    completion.textContent = "";
    found.forEach(function (id, i) {
      var li = el("li", {role: "option", "aria-selected": i === 0 ? "true" : "false", dataset: {step: id}}, stepTitle(id));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); take(id); });
      completion.appendChild(li);
    });
    completion.hidden = !found.length;
  });
  $("ed-next-name").addEventListener("keydown", function (ev) {
    var first = completion.querySelector("li");
    if ((ev.key === "Tab" && !ev.shiftKey || ev.key === "ArrowDown") && first && !completion.hidden) {
      ev.preventDefault(); take(first.dataset.step);
    }
    if (ev.key === "Escape") { hideCompletion(); setPicking(false); }
  });
  $("ed-next-name").addEventListener("blur", function () { setTimeout(hideCompletion, 150); });

  // --- lanes and outcomes -----------------------------------------------------------------------
  $("ed-lane-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = $("ed-lane-name").value.trim(), kind = $("ed-lane-kind").value;
    if (!text) { return; }
    var parts = splitAnswer(text);
    $("ed-lane-name").value = "";
    change(function () {
      var a = parts[0] in M.actors ? parts[0] : parts[0];
      M.actors[a] = Object.assign({kind: kind}, parts[1] ? {name: parts[1]} : {});
      setLaneOrder(lanes());
    });
    $("ed-lane-name").focus();
  });
  $("ed-outcome-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = $("ed-outcome-name").value.trim(), whose = $("ed-outcome-for").value;
    if (!text) { return; }
    var parts = splitAnswer(text);
    $("ed-outcome-name").value = "";
    change(function () {
      M.outcomes = M.outcomes || {};
      M.outcomes[parts[0]] = Object.assign({name: parts[1] || parts[0]}, whose === "business" ? {"for": "business"} : {});
    });
    $("ed-outcome-name").focus();
  });

  // --- the method live: procmap's answer on every change ------------------------------------------
  var inflight = false, dirty = false, pendingSince = null, updates = 0, timings = [], shown = null;
  var phases = [], patched = 0;   // answers drawn from their changed parts only
  var shownSvg = null;   // the id of the SVG in the page: the same diagram again is not drawn again
  /* procmap's new SVG put in the page in place of the one shown: parsed into an inert
   * template, then swapped in one step. (Walking the old document to change only the
   * attributes that differ costs more than the swap when a label rewraps and every lane below
   * moves, the one case that gets a whole SVG while one types; answers that change a few
   * parts come as a patch.) */
  function drawSvg(diagram, text) {
    var t = document.createElement("template");
    t.innerHTML = text;
    var old = diagram.querySelector("svg"), fresh = t.content.querySelector("svg");
    if (!old || !fresh) { diagram.textContent = ""; diagram.appendChild(t.content); return; }
    diagram.replaceChild(fresh, old);
  }
  /* Only the parts of the diagram that differ from the one shown (procmap's answer for a page
   * that sent the shown diagram's id as base): each lane, flow, step or badge written anew
   * takes the place of the old one, a group whose children are not as many is replaced whole.
   * The document is then the one procmap wrote, byte for byte. False if it cannot be applied. */
  function patchSvg(diagram, patch) {
    var svg = diagram.querySelector("svg");
    if (!svg || patch.base !== shownSvg) { return false; }
    var groups = svg.querySelectorAll(":scope > g");
    var olds = patch.parts.map(function (p) {
      var g = groups[p[0]];
      return g ? (p[1] < 0 ? g : g.children[p[1]]) : undefined;
    });
    if (olds.some(function (o) { return !o; })) { return false; }
    var t = document.createElement("template");
    t.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg">' + patch.parts.map(function (p) { return p[2]; }).join("") + "</svg>";
    var fresh = Array.prototype.slice.call(t.content.firstElementChild.children);
    if (fresh.length !== olds.length) { return false; }
    olds.forEach(function (o, k) { o.replaceWith(fresh[k]); });
    return true;
  }
  function csrf() {
    var field2 = document.querySelector('input[name="csrf_token"]');
    if (field2) { return field2.value; }
    var m = document.cookie.match(/(?:^|; )procmap_csrf=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function preview() {
    if (inflight) { dirty = true; return; }
    inflight = true; dirty = false;
    var since = pendingSince; pendingSince = null;
    var sent = currentYaml(), sentAt = performance.now(), server = null, cpu = null, bytes = null;
    var answeredAt = null, shownAt = null, drawnBefore = patched;
    fetch(CONFIG.preview_url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
      body: JSON.stringify({yaml: sent, base: shownSvg})})
      .then(function (r) {
        if (r.status === 429) {
          var wait = parseFloat(r.headers.get("Retry-After") || "1");
          return new Promise(function (done) { setTimeout(function () { dirty = true; done(null); }, wait * 1000); });
        }
        var st = /procmap;dur=([0-9.]+)/.exec(r.headers.get("Server-Timing") || "");
        server = st ? parseFloat(st[1]) : null;
        var used = /cpu;dur=([0-9.]+)/.exec(r.headers.get("Server-Timing") || "");
        cpu = used ? parseFloat(used[1]) : null;
        bytes = parseInt(r.headers.get("Content-Length") || "0", 10);
        return r.json().then(function (body) { return r.ok ? body : {problem: body.error || ("error " + r.status)}; });
      })
      .then(function (answer) {
        answeredAt = performance.now();
        var drawn = answer ? show(answer) !== false : false;
        if (drawn) { shown = sent; }
        else if (answer && since !== null && pendingSince === null) { pendingSince = since; }  // timed when shown
        shownAt = performance.now();
        var done = function () {
          updates += 1;
          if (drawn && since !== null) {
            var end = performance.now();
            timings.push(end - since);
            // where the time went: the page before sending, procmap on the server, the wire and
            // JSON, putting the answer in the page, the frame that shows it
            phases.push({total: end - since, page: sentAt - since, server: server, cpu: cpu,
              wire: answeredAt - sentAt - (server || 0), show: shownAt - answeredAt, frame: end - shownAt,
              bytes: bytes, patch: patched > drawnBefore});
          }
          inflight = false;
          if (dirty) { preview(); }
        };
        requestAnimationFrame(function () { setTimeout(done, 0); });
      })
      .catch(function () { inflight = false; $("ed-status").textContent = "The server did not answer the preview."; });
  }
  function show(answer) {
    if (answer.problem) { $("ed-status").textContent = answer.problem; return; }
    var c = answer.counts;
    $("ed-mot").textContent = c ? c.moments_of_truth : "–";
    $("ed-bp").textContent = c ? c.break_points : "–";
    $("ed-br").textContent = c ? c.business_rules : "–";
    $("ed-steps-count").textContent = c ? c.steps : "–";
    $("ed-findings-count").textContent = c ? c.findings : "–";
    var errors = $("ed-errors"), list = $("ed-errors-list");
    list.textContent = "";
    (answer.errors || []).forEach(function (e) {
      var li = el("li", {});
      var where = (e.line ? "line " + e.line + (e.column ? ", column " + e.column : "") : "");
      if (e.element) { where += (where ? " · " : "") + e.element; }
      if (where) { li.appendChild(el("span", {"class": "where"}, where + " ")); }
      li.appendChild(document.createTextNode(e.message || e.text || ""));
      var stepId = e.element && String(e.element).replace(/^steps\./, "").split(".")[0];
      if (stepId && stepId in M.steps) {
        var go = el("button", {type: "button", "class": "link"}, "select the step");
        go.addEventListener("click", function () { sel = stepId; render(); });
        li.append(" ", go);
      }
      list.appendChild(li);
    });
    errors.hidden = !(answer.errors || []).length;
    var diagram = $("ed-diagram");
    if (answer.patch) {                      // procmap's parts: every name in them is escaped by procmap
      if (patchSvg(diagram, answer.patch)) { shownSvg = answer.svg_id; patched += 1; highlight(); }
      else { shownSvg = null; dirty = true; return false; }   // not the diagram shown: ask for the whole one
    } else if (answer.svg && answer.svg_id !== shownSvg) {
      drawSvg(diagram, answer.svg);          // procmap's SVG: every name in it is escaped by procmap
      shownSvg = answer.svg_id;
      var svg = diagram.querySelector("svg");
      if (svg) { Object.keys(overlays).forEach(function (o) { svg.classList.toggle(o, overlays[o]); }); }
      highlight();
    } else if (answer.svg) {
      highlight();
    } else if (answer.loads === false) {
      diagram.classList.add("stale-diagram");
    } else {
      diagram.textContent = ""; shownSvg = null;
      diagram.appendChild(el("p", {"class": "hint"}, "The diagram appears with the first step."));
    }
    if (answer.svg || answer.patch) { diagram.classList.remove("stale-diagram"); }
    if (unchanged("findings", JSON.stringify([answer.loads, answer.findings || []]))) { return; }
    var findings = $("ed-findings"); findings.textContent = "";
    (answer.findings || []).forEach(function (f) {
      var target = (f.elements || []).filter(function (x) { return x in M.steps; })[0];
      var li = el("li", {"class": "finding " + (f.severity || "")});
      var b = el("button", {type: "button", "class": "link", dataset: {step: target || ""}}, f.message);
      b.addEventListener("click", function () { if (target && target in M.steps) { sel = target; render(); highlight(true); } });
      li.append(el("span", {"class": "rule"}, (f.rule || "") + " "), b);
      findings.appendChild(li);
    });
    if (!(answer.findings || []).length) { findings.appendChild(el("li", {"class": "hint"}, answer.loads ? "No findings." : "—")); }
  }
  function highlight(scroll) {
    document.querySelectorAll("#ed-diagram .node.highlight").forEach(function (n) { n.classList.remove("highlight"); });
    if (!sel) { return; }
    var node = document.querySelector('#ed-diagram .node[data-step="' + CSS.escape(sel) + '"]');
    if (node) { node.classList.add("highlight"); if (scroll) { node.scrollIntoView({block: "nearest", inline: "center"}); } }
  }
  $("ed-diagram").addEventListener("click", function (ev) {
    var node = ev.target.closest && ev.target.closest(".node[data-step]");
    if (!node) { return; }
    var id = node.dataset.step;
    if (id in M.steps) { stepClicked(id); highlight(); }
  });
  document.querySelectorAll("[data-ed-overlay]").forEach(function (box) {
    box.addEventListener("change", function () {
      overlays[box.dataset.edOverlay] = box.checked;
      var svg = document.querySelector("#ed-diagram svg");
      if (svg) { svg.classList.toggle(box.dataset.edOverlay, box.checked); }
    });
  });

  // --- saving with the revision it was based on -----------------------------------------------
  function status(text) {
    $("ed-status").textContent = text || ((currentYaml() === savedYaml ? "Saved · " : "Not saved yet · ") + "revision " + revision);
  }
  function save(base) {
    var text = currentYaml();
    $("ed-status").textContent = "Saving…";
    return fetch(CONFIG.save_url, {method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
      body: JSON.stringify({yaml: text, base_revision: base === undefined ? revision : base})})
      .then(function (r) { return r.json().then(function (body) { return [r.status, body]; }); })
      .then(function (pair) {
        var code = pair[0], body = pair[1];
        if (code === 200) {
          revision = body.revision; savedYaml = text; $("ed-stale").hidden = true;
          status("Saved: revision " + revision + ((body.errors || []).length ? " (it does not load yet: see the errors)" : ""));
        } else if (code === 409 && body.current) {
          stale(body);
        } else {
          status("Not saved: " + (body.error || "error " + code));
        }
      })
      .catch(function () { status("Not saved: the server did not answer."); });
  }
  var staleBody = null;
  function stale(body) {
    staleBody = body;
    $("ed-stale").hidden = false;
    $("ed-stale-text").textContent = "Revision " + body.current.revision + " was saved after revision " + revision +
      ", which you edited. Nothing was overwritten. How your map differs from the saved one:";
    var list = $("ed-stale-summary"); list.textContent = "";
    var s = body.summary;
    if (s) {
      (s.steps_added || []).forEach(function (x) { list.appendChild(el("li", {}, "yours adds " + x)); });
      (s.steps_removed || []).forEach(function (x) { list.appendChild(el("li", {}, "yours removes " + x)); });
      Object.keys(s.counts || {}).forEach(function (k) {
        var c = s.counts[k];
        if (c.before !== c.after) { list.appendChild(el("li", {}, k + ": " + c.before + " saved → " + c.after + " yours")); }
      });
    }
    $("ed-stale-diff").textContent = body.diff || "";
    status("Not saved: the map changed since revision " + revision);
  }
  $("ed-stale-keep").addEventListener("click", function () { if (staleBody) { save(staleBody.current.revision); } });
  $("ed-stale-take").addEventListener("click", function () { window.location.reload(); });
  $("ed-save").addEventListener("click", function () { save(); });
  $("ed-undo").addEventListener("click", undo);
  $("ed-redo").addEventListener("click", redo);
  document.addEventListener("keydown", function (ev) {
    if (!(ev.ctrlKey || ev.metaKey)) { return; }
    var k = ev.key.toLowerCase();
    if (k === "s") { ev.preventDefault(); save(); }
    else if (k === "z" && !ev.shiftKey) { ev.preventDefault(); undo(); }
    else if (k === "y" || (k === "z" && ev.shiftKey)) { ev.preventDefault(); redo(); }
  });

  // --- working backwards, guided: the questions of procmap's builder ----------------------------
  var NOTHING = ["", "nothing", "none", "-", "it starts here", "nothing, it starts here"];
  var G = null;   // {queue: [[kind, key]], endAsked, history: [], ask: {...}}
  function guideStart() {
    var queue = [];
    var fresh = !Object.keys(M.outcomes || {}).length;
    if (fresh) { queue.push(["customer-outcome", ""]); queue.push(["business-outcome", ""]); }
    Object.keys(M.outcomes || {}).forEach(function (o) {
      if (!Object.keys(M.steps).some(function (s) { return (M.steps[s].delivers || []).indexOf(o) >= 0; })) { queue.push(["outcome", o]); }
    });
    Object.keys(M.steps).forEach(function (s) {
      var preds = Object.keys(M.steps).filter(function (p) { return linked(p, s); });
      if (M.steps[s].kind !== "start" && !preds.length) { queue.push(["needs", s]); }
    });
    var ended = Object.keys(M.steps).some(function (s) { return M.steps[s].kind === "end"; });
    G = {queue: queue, endAsked: ended, history: [], pending: null, stage: null};
    $("ed-guide").hidden = false; $("ed-guided").setAttribute("aria-pressed", "true");
    next();
  }
  function guideStop(text) {
    G = null;
    $("ed-guide").hidden = true; $("ed-guided").setAttribute("aria-pressed", "false");
    status(text);
  }
  function ask(question) { $("ed-guide-question").textContent = question; $("ed-guide-answer").value = ""; $("ed-guide-answer").focus(); }
  /* The next question: the current group's, or the next open one. */
  function next() {
    if (!G) { return; }
    if (G.stage) { return ask(G.stage.question); }
    if (!G.queue.length) {
      if (G.endAsked) { return guideStop("Working backwards: every question is answered."); }
      G.endAsked = true; G.queue.push(["end", ""]);
    }
    G.history.push(JSON.stringify({map: M, queue: G.queue, endAsked: G.endAsked}));
    var q = G.queue.shift();
    var title;
    if (q[0] === "customer-outcome") { G.stage = {kind: q[0], question: "What should the customer have, know or feel at the end? (empty: no more)"}; }
    else if (q[0] === "business-outcome") { G.stage = {kind: q[0], question: "What should the business have at the end? (empty: no more)"}; }
    else if (q[0] === "outcome") {
      G.stage = {kind: "outcome", key: q[1], question: "What do you need to make '" + M.outcomes[q[1]].name + "' happen?"};
    } else if (q[0] === "needs") {
      title = stepTitle(q[1]);
      G.stage = {kind: "needs", key: q[1], first: true, question: "What do you need before '" + title + "'? (nothing: it starts here)"};
    } else {
      G.stage = {kind: "end", question: "How does the process end? (the result that closes a case, an event with no work in it, e.g. 'Customer onboarded'; empty: a case ends where its last steps end)"};
    }
    ask(G.stage.question);
  }
  /* The step an answer names; a new step asks who does it (and what kind of actor that is). */
  function guideStep(answer, then) {
    var found = findStep(answer);
    if (found) { return then(found); }
    var parts = splitAnswer(answer);
    if (parts[0] in M.steps) { return then(parts[0]); }
    G.sub = {question: "Who does '" + (parts[1] || parts[0]) + "'?", answer: function (who) {
      var actor = splitAnswer(who);
      var make = function (kind) {
        change(function () {
          if (!(actor[0] in M.actors)) { M.actors[actor[0]] = Object.assign({kind: kind}, actor[1] ? {name: actor[1]} : {}); setLaneOrder(lanes()); }
          M.steps[parts[0]] = Object.assign(parts[1] ? {name: parts[1]} : {}, {actor: actor[0]});
        });
        G.queue.push(["needs", parts[0]]);
        then(parts[0]);
      };
      if (actor[0] in M.actors) { return make(null); }
      var askKind = function () {
        G.sub = {question: "What kind of actor is '" + (actor[1] || actor[0]) + "'? (customer, team, system, partner)", answer: function (kind) {
          kind = kind.trim().toLowerCase();
          if (KINDS.indexOf(kind) < 0) { return askKind(); }
          G.sub = null; make(kind);
        }};
        ask(G.sub.question);
      };
      askKind();
    }};
    ask(G.sub.question);
  }
  function answered(raw) {
    if (!G) { return; }
    var answer = raw.trim();
    if (answer === "stop") { return guideStop("Working backwards stopped: start it again to go on."); }
    if (answer === "back") { return guideBack(); }
    if (G.sub) { var sub = G.sub; G.sub = null; return sub.answer(answer); }
    var st = G.stage, nothing = NOTHING.indexOf(answer.toLowerCase()) >= 0;
    if (st.kind === "customer-outcome" || st.kind === "business-outcome") {
      if (!answer) { G.stage = null; return next(); }
      var parts = splitAnswer(answer);
      change(function () {
        M.outcomes = M.outcomes || {};
        M.outcomes[parts[0]] = Object.assign({name: parts[1] || parts[0]}, st.kind === "business-outcome" ? {"for": "business"} : {});
      });
      var oq = ["outcome", parts[0]];
      // outcome questions come after the outcome lists, in the order named
      var at = G.queue.findIndex(function (q) { return q[0] !== "customer-outcome" && q[0] !== "business-outcome" && q[0] !== "outcome"; });
      if (at < 0) { G.queue.push(oq); } else { G.queue.splice(at, 0, oq); }
      return ask(st.question);
    }
    if (st.kind === "outcome") {
      if (nothing) { G.stage = null; return next(); }
      return guideStep(answer, function (sid) {
        change(function () {
          var d = M.steps[sid].delivers || [];
          if (d.indexOf(st.key) < 0) { M.steps[sid].delivers = d.concat([st.key]); }
          sel = sid;
        });
        st.question = "What else makes '" + M.outcomes[st.key].name + "' happen? (empty: nothing more)";
        ask(st.question);
      });
    }
    if (st.kind === "needs") {
      var step = M.steps[st.key], title = stepTitle(st.key);
      if (st.confirmStart) {
        if (["y", "yes"].indexOf(answer.toLowerCase()) >= 0) { change(function () { M.steps[st.key].kind = "start"; }); }
        G.stage = null; return next();
      }
      if (nothing) {
        if (st.first && !(step.needs || []).length) {
          st.confirmStart = true;
          st.question = "Is '" + title + "' the event that starts a case, with no work in it? (yes: a start event; no: the first work, a case begins with it)";
          return ask(st.question);
        }
        G.stage = null; return next();
      }
      return guideStep(answer, function (need) {
        if (need === st.key) { status("'" + title + "' cannot need itself"); }
        else {
          change(function () {
            var s = M.steps[st.key];
            if ((s.needs || []).indexOf(need) < 0) { s.needs = (s.needs || []).concat([need]); }
            sel = need;
          });
        }
        st.first = false;
        st.question = "What else do you need before '" + title + "'? (empty: nothing more)";
        ask(st.question);
      });
    }
    if (st.kind === "end") {
      if (nothing) { G.stage = null; return next(); }
      return guideStep(answer, function (sid) {
        change(function () { M.steps[sid].kind = "end"; sel = sid; });
        G.stage = null; next();
      });
    }
  }
  function guideBack() {
    if (!G.history.length) { return next(); }
    var state = JSON.parse(G.history.pop());
    change(function () { M = state.map; });
    G.queue = state.queue; G.endAsked = state.endAsked; G.stage = null; G.sub = null;
    next();
  }
  $("ed-guided").addEventListener("click", function () { if (G) { guideStop(); } else { guideStart(); } });
  $("ed-guide-form").addEventListener("submit", function (ev) { ev.preventDefault(); answered($("ed-guide-answer").value); });
  $("ed-guide-back").addEventListener("click", function () { if (G) { guideBack(); } });
  $("ed-guide-stop").addEventListener("click", function () { guideStop("Working backwards stopped."); });

  // --- start -------------------------------------------------------------------------------------
  setLaneOrder(lanes());
  savedYaml = currentYaml();
  window.procmapEditor = {
    // the map as saved elsewhere (the BPMN view): shown, undoable, and the next save's base
    reload: function (map, rev) { change(function () { M = map; sel = null; }); revision = rev; savedYaml = currentYaml(); status(); },
    model: function () { return M; }, yaml: function () { return currentYaml(); },
    duration: duration, updates: function () { return updates; }, timings: timings, phases: phases,
    patched: function () { return patched; },
    settled: function () { return !inflight && !dirty && shown === currentYaml(); },
    revision: function () { return revision; }, select: function (id) { sel = id; render(); }
  };
  render();
  pendingSince = performance.now();
  preview();
  status("Revision " + revision);
})();
