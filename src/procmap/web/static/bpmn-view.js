/* procmap workshop: the editor's BPMN view — the same map in bpmn-js (vanilla JS, no build step).
 *
 * "BPMN view" asks the server for procmap's BPMN export of the map the editor holds
 * (POST …/to-bpmn, saved or not) and shows it in bpmn-js's Modeler, vendored in
 * /static/vendor/bpmn-js and loaded on first use (nothing from the network; its bpmn.io
 * watermark kept, as its licence asks). "Bring the changes into the map" sends the
 * Modeler's XML to …/from-bpmn with the revision the editor is at: procmap reads it
 * (its extension elements keep lanes as actors, owners, outcomes and the step fields),
 * the map is saved with the stale-save rule, and the answer's warnings — what could not
 * come back, located — are listed here. The editor then reloads the saved map
 * (window.procmapEditor.reload). Texts from the server reach the page as text only.
 */
(function () {
  "use strict";
  var button = document.getElementById("ed-bpmn");
  var dataNode = document.getElementById("editor-data");
  if (!button || !dataNode) { return; }
  var CONFIG = JSON.parse(dataNode.textContent);
  var VENDOR = "/static/vendor/bpmn-js/";
  var TO_URL = CONFIG.preview_url.replace(/\/preview$/, "/to-bpmn");
  var FROM_URL = CONFIG.save_url + "/from-bpmn";
  var modeler = null, loading = null, shown = false, importWarnings = [], lastAnswer = null;
  var changedSinceImport = false;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )procmap_csrf=([^;]*)/);
    if (m) { return decodeURIComponent(m[1]); }
    var field = document.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }
  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
      body: JSON.stringify(body)})
      .then(function (r) {
        return r.json().catch(function () { return {error: "error " + r.status}; })
          .then(function (b) { return {status: r.status, body: b}; });
      });
  }

  // --- the panel -------------------------------------------------------------------------------
  var panel = el("section", {id: "bpmn-view", "class": "bpmn-view", "aria-labelledby": "bpmn-title"});
  panel.hidden = true;
  panel.appendChild(el("h2", {id: "bpmn-title"}, "BPMN view"));
  panel.appendChild(el("p", {"class": "hint"}, "The same map drawn in BPMN with bpmn-js. Change it here, then bring " +
    "the changes into the map: lanes, owners and outcomes are kept; what cannot come back is listed below."));
  var bar = el("div", {"class": "row bpmn-bar"});
  var applyButton = el("button", {type: "button", id: "bpmn-apply"}, "Bring the changes into the map");
  var reloadButton = el("button", {type: "button", id: "bpmn-reload", "class": "secondary"}, "Draw it again from the map");
  var backButton = el("button", {type: "button", id: "bpmn-back", "class": "secondary"}, "Back to the editor");
  var statusLine = el("span", {id: "bpmn-status", role: "status", "aria-live": "polite"});
  [applyButton, reloadButton, backButton, statusLine].forEach(function (n) { bar.appendChild(n); });
  panel.appendChild(bar);
  var problems = el("section", {id: "bpmn-problems", "class": "load-errors", role: "alert", "aria-labelledby": "bpmn-problems-title"});
  problems.hidden = true;
  var problemsTitle = el("h3", {id: "bpmn-problems-title"}, "");
  var problemsList = el("ul", {id: "bpmn-problems-list"});
  problems.appendChild(problemsTitle); problems.appendChild(problemsList);
  panel.appendChild(problems);
  var canvas = el("div", {id: "bpmn-canvas", "class": "bpmn-canvas", role: "application",
    "aria-label": "BPMN diagram (bpmn-js)"});
  panel.appendChild(canvas);
  var toolbar = document.querySelector(".ed-toolbar");
  (toolbar && toolbar.parentNode ? toolbar.parentNode : document.getElementById("editor-page"))
    .insertBefore(panel, toolbar ? toolbar.nextSibling : null);
  button.setAttribute("aria-controls", "bpmn-view");

  function status(text) { statusLine.textContent = text; }
  function where(item) {
    return item.line ? "line " + item.line + (item.column ? ":" + item.column : "") + ": " : "";
  }
  function listProblems(title, items) {
    problemsList.textContent = "";
    if (!items || !items.length) { problems.hidden = true; return; }
    problemsTitle.textContent = title;
    items.forEach(function (item) {
      problemsList.appendChild(el("li", {}, typeof item === "string" ? item :
        where(item) + (item.element ? item.element + ": " : "") + (item.message || item.text || "")));
    });
    problems.hidden = false;
  }

  // --- bpmn-js, loaded on first use from the package ---------------------------------------------
  function stylesheet(href) {
    if (document.querySelector('link[href="' + href + '"]')) { return; }
    document.head.appendChild(el("link", {rel: "stylesheet", href: href}));
  }
  function loadModeler() {
    if (loading) { return loading; }
    ["assets/diagram-js.css", "assets/bpmn-js.css", "assets/bpmn-font/css/bpmn.css"].forEach(function (f) { stylesheet(VENDOR + f); });
    stylesheet("/static/bpmn-view.css");
    loading = new Promise(function (done, fail) {
      if (window.BpmnJS) { return done(); }
      var script = el("script", {src: VENDOR + "bpmn-modeler.production.min.js"});
      script.onload = function () { done(); };
      script.onerror = function () { loading = null; fail(new Error("bpmn-js could not be loaded")); };
      document.head.appendChild(script);
    }).then(function () {
      modeler = new window.BpmnJS({container: canvas});
      modeler.on("commandStack.changed", function () {
        changedSinceImport = true;
        status("Changed in BPMN · not brought into the map yet");
      });
      return modeler;
    });
    return loading;
  }

  function draw() {
    var editor = window.procmapEditor;
    var text = editor ? editor.yaml() : CONFIG.yaml;
    status("Drawing the map in BPMN…");
    listProblems("", []);
    return Promise.all([loadModeler(), post(TO_URL, {yaml: text})]).then(function (got) {
      var answer = got[1];
      if (answer.status !== 200) {
        status("The map cannot be drawn in BPMN yet.");
        listProblems(answer.body.error || "The map cannot be drawn in BPMN", answer.body.errors || []);
        return null;
      }
      return modeler.importXML(answer.body.xml).then(function (result) {
        importWarnings = (result && result.warnings) || [];
        changedSinceImport = false;
        modeler.get("canvas").zoom("fit-viewport");
        status("Drawn from the map at revision " + (editor ? editor.revision() : CONFIG.revision) +
          (importWarnings.length ? " · bpmn-js: " + importWarnings.length + " warnings" : ""));
        if (importWarnings.length) {
          listProblems("bpmn-js could not draw everything", importWarnings.map(function (w) { return String(w.message || w); }));
        }
        return modeler;
      });
    }).catch(function (err) {
      status("The BPMN view is not available: " + (err && err.message ? err.message : err));
      return null;
    });
  }

  // A lane or pool renamed in bpmn-js: procmap's extension element keeps the actor's name as
  // exported, and procmap's reader takes the extension's; it takes the name typed here instead.
  function syncActorNames() {
    var moddle = modeler.get("moddle");
    modeler.get("elementRegistry").filter(function (e) {
      return e.type === "bpmn:Lane" || e.type === "bpmn:Participant";
    }).forEach(function (e) {
      var bo = e.businessObject, name = (bo.name || "").trim();
      if (!name || !bo.extensionElements) { return; }
      (bo.extensionElements.values || []).forEach(function (v) {
        if (v.$type !== "procmap:actor") { return; }
        var kids = v.$children = v.$children || [];
        var named = kids.filter(function (c) { return c.$type === "procmap:name"; });
        if (named.length) { named.forEach(function (c) { c.$body = name; }); }
        else { kids.unshift(moddle.createAny("procmap:name", "urn:procmap:bpmn:1", {$body: name})); }
      });
    });
  }

  function apply() {
    if (!modeler) { return Promise.resolve(null); }
    var editor = window.procmapEditor;
    var base = editor ? editor.revision() : CONFIG.revision;
    status("Bringing the changes into the map…");
    syncActorNames();
    return modeler.saveXML({format: true}).then(function (saved) {
      return post(FROM_URL, {xml: saved.xml, base_revision: base});
    }).then(function (answer) {
      lastAnswer = answer;
      var body = answer.body;
      if (answer.status === 200) {
        changedSinceImport = false;
        if (editor && editor.reload && body.map) { editor.reload(body.map, body.revision); }
        status("Brought into the map: revision " + body.revision +
          (body.loads ? "" : " (it does not load yet: see the editor's errors)"));
        listProblems("What could not come back from BPMN", body.warnings || []);
      } else if (answer.status === 409) {
        status("Not brought in: the map changed since revision " + base + ".");
        listProblems("The map was saved elsewhere after revision " + base, [
          "Revision " + (body.current ? body.current.revision : "?") + " is saved; nothing was overwritten. " +
          "Reload the page to get the saved map, then make your BPMN change again."]);
      } else {
        status("Not brought in: " + (body.error || "error " + answer.status));
        listProblems(body.error || "The BPMN could not be read", body.errors || []);
      }
      return answer;
    }).catch(function () { status("Not brought in: the server did not answer."); return null; });
  }

  function show(on) {
    shown = on;
    panel.hidden = !on;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    var columns = document.querySelector(".ed-columns");
    if (columns) { columns.hidden = on; }
    if (on) { return draw(); }
    return Promise.resolve(null);
  }

  button.addEventListener("click", function () {
    if (shown && changedSinceImport && !window.confirm("Leave the BPMN view? Your BPMN changes are not in the map yet.")) { return; }
    show(!shown);
  });
  backButton.addEventListener("click", function () {
    if (changedSinceImport && !window.confirm("Leave the BPMN view? Your BPMN changes are not in the map yet.")) { return; }
    show(false); button.focus();
  });
  // the editor's shortcuts (Ctrl+Z, Ctrl+S …) are the editor's: in the BPMN view they stay bpmn-js's
  panel.addEventListener("keydown", function (ev) { if (ev.ctrlKey || ev.metaKey) { ev.stopPropagation(); } });
  reloadButton.addEventListener("click", function () { draw(); });
  applyButton.addEventListener("click", function () { apply(); });

  window.procmapBpmn = {
    show: function () { return show(true); }, hide: function () { return show(false); },
    modeler: function () { return modeler; }, importWarnings: function () { return importWarnings; },
    apply: apply, lastAnswer: function () { return lastAnswer; }
  };
})();
