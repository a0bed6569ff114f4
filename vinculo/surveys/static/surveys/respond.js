/* Niceties for the respondent's pages. Everything works without this file: forms are plain
   POSTs and the server decides what is shown. Here we only
   - stop a second submit while the first is on its way (the server would store one anyway);
   - show or hide questions whose display depends on an answer on the same page;
   - move focus to the error summary;
   - on a kiosk, go back to an empty first page after the thank-you screen or when idle. */
(function () {
  "use strict";

  var NUMERIC = ["nps", "enps", "csat", "ces", "rating", "yes_no", "consent"];

  function valueOf(form, key) {
    var box = form.querySelector('fieldset[data-key="' + key + '"]');
    if (!box || box.hidden) return null;
    var kind = box.getAttribute("data-kind");
    var inputs = box.querySelectorAll("[name]");
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value !== "") values.push(input.value);
    });
    if (kind === "consent") return values.length ? 1 : null;
    if (!values.length) return null;
    if (kind === "multiple_choice" || kind === "ranking") return values;
    if (NUMERIC.indexOf(kind) >= 0) return Number(values[0]);
    return values[0];
  }

  function holds(cond, form) {
    if (!cond) return true;
    if ("const" in cond) return cond["const"];
    if (cond.all) return cond.all.every(function (c) { return holds(c, form); });
    if (cond.any) return cond.any.some(function (c) { return holds(c, form); });
    if (cond.not) return !holds(cond.not, form);
    var a = valueOf(form, cond.question), b = cond.value;
    var first = Array.isArray(a) && a.length === 1 ? a[0] : a;
    switch (cond.op) {
      case "answered": return a !== null;
      case "not_answered": return a === null;
    }
    if (a === null) return false;
    switch (cond.op) {
      case "eq": return first === b;
      case "ne": return first !== b;
      case "lt": return typeof a === "number" && a < b;
      case "lte": return typeof a === "number" && a <= b;
      case "gt": return typeof a === "number" && a > b;
      case "gte": return typeof a === "number" && a >= b;
      case "in": return b.indexOf(first) >= 0;
      case "not_in": return b.indexOf(first) < 0;
      case "contains": return (Array.isArray(a) || typeof a === "string") && a.indexOf(b) >= 0;
    }
    return true;
  }

  function applyDisplayLogic(form) {
    form.querySelectorAll("fieldset[data-show-if]").forEach(function (box) {
      var cond;
      try { cond = JSON.parse(box.getAttribute("data-show-if")); } catch (e) { return; }
      box.hidden = !holds(cond, form);
    });
  }

  function guardDoubleSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending")) { event.preventDefault(); return; }
      form.setAttribute("data-sending", "1");
      form.setAttribute("aria-busy", "true");
    });
    // Coming back through the browser's history must allow sending again.
    window.addEventListener("pageshow", function () { form.removeAttribute("data-sending"); });
  }

  function resetAfter(url, seconds) {
    window.setTimeout(function () { window.location.replace(url); }, seconds * 1000);
  }

  function idleReset(form, url) {
    var IDLE_SECONDS = 120, timer = null;
    function restart() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { window.location.replace(url); }, IDLE_SECONDS * 1000);
    }
    ["input", "change", "keydown", "pointerdown"].forEach(function (name) {
      document.addEventListener(name, restart, true);
    });
    restart();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey-form");
    if (form) {
      guardDoubleSubmit(form);
      applyDisplayLogic(form);
      form.addEventListener("change", function () { applyDisplayLogic(form); });
      form.addEventListener("input", function () { applyDisplayLogic(form); });
      if (form.getAttribute("data-idle-reset")) idleReset(form, form.getAttribute("data-idle-reset"));
    }
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    var thanks = document.querySelector("[data-reset-url]");
    if (thanks) {
      resetAfter(thanks.getAttribute("data-reset-url"),
                 Number(thanks.getAttribute("data-reset-seconds")) || 8);
    }
  });
})();
