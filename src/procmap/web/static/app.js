/* procmap workshop: small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  // Copy buttons (invite links).
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.dataset.copy);
      input.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(input.value); }
      button.textContent = "Copied";
    });
  });
  var textarea = document.getElementById("yaml");
  var form = document.getElementById("yaml-form");
  // Ctrl+S (Cmd+S) saves the YAML editor; Tab indents by two spaces.
  if (form && textarea) {
    textarea.addEventListener("keydown", function (ev) {
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") { ev.preventDefault(); form.requestSubmit(); }
      if (ev.key === "Tab" && !ev.shiftKey && !ev.ctrlKey) {
        ev.preventDefault();
        textarea.setRangeText("  ", textarea.selectionStart, textarea.selectionEnd, "end");
      }
    });
  }
  // A located error's link selects its line in the editor.
  document.querySelectorAll("a.goto-line").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      if (!textarea) { return; }
      ev.preventDefault();
      var line = parseInt(link.dataset.line, 10), lines = textarea.value.split("\n"), start = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
      textarea.focus();
      textarea.setSelectionRange(start, start + (lines[line - 1] || "").length);
      var lineHeight = textarea.scrollHeight / Math.max(lines.length, 1);
      textarea.scrollTop = Math.max(0, (line - 5) * lineHeight);
    });
  });
  // Clicking a step in the diagram picks it for a new comment; a comment's step link shows the step.
  var select = document.getElementById("comment-step");
  document.querySelectorAll("svg.procmap-diagram .node[id]").forEach(function (node) {
    node.addEventListener("click", function () {
      var id = node.id.replace(/^.*:step-/, "");
      if (select && select.querySelector('option[value="' + CSS.escape(id) + '"]')) {
        select.value = id;
        document.getElementById("comment-body").focus();
      }
    });
  });
  document.querySelectorAll("a.step-link").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      ev.preventDefault();
      document.querySelectorAll(".node.highlight").forEach(function (n) { n.classList.remove("highlight"); });
      var node = document.querySelector('svg.procmap-diagram [id$=":step-' + CSS.escape(link.dataset.step) + '"]');
      if (node) { node.classList.add("highlight"); node.scrollIntoView({block: "center", inline: "center"}); }
    });
  });
})();
