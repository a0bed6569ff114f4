/* Vínculo's survey widget: a company pastes
     <script src="https://VINCULO/s/w/SLUG.js" async data-lang="es" data-trigger="load"></script>
   into its site. Options (all optional): data-lang (wanted language), data-trigger ("load":
   open once the page is ready; "exit": when the pointer leaves through the top of the window;
   "manual": only through VinculoWidget.open("SLUG") or a click on [data-vinculo-open=SLUG]),
   data-identity (a signed identity token the site's server got from Vínculo), data-unit (a
   signed unit token, as on QR codes).

   The panel lives in a shadow root, so the host page's CSS cannot break it nor ours leak
   out. The server is the authority: display and skip logic run here only to show the right
   questions (mirroring vinculo/surveys/logic.py); the server checks everything again and
   its errors are shown next to their questions. Requests carry no cookies (credentials
   "omit"); a retry reuses the idempotency key, so an answer is never stored twice.
   ES2017, no dependencies. The server fills the three constants below. */
(function () {
  "use strict";
  var CSS = "__VINCULO_CSS__";
  var SURVEY_PATH = "__VINCULO_SURVEY_PATH__";
  var RESPONSES_PATH = "__VINCULO_RESPONSES_PATH__";
  var SCALES = ["nps", "enps", "csat", "ces", "rating"];
  var TEXTS = ["short_text", "long_text", "email", "phone", "date"];
  var FOCUSABLE = "button, input, select, textarea, a[href], [tabindex]:not([tabindex='-1'])";

  var script = document.currentScript;
  if (!script) return;
  var source = new URL(script.src, location.href);
  var found = source.pathname.match(/\/w\/([A-Za-z0-9_-]+)\.js$/);
  if (!found) return;
  var data = script.dataset;
  var widgets = (window.VinculoWidget && window.VinculoWidget.widgets) || {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function store(kind, key, value) {
    try {
      if (value === undefined) return window[kind].getItem(key);
      window[kind].setItem(key, value);
    } catch (e) { /* storage disabled: the widget may just show again */ }
    return null;
  }

  // --- logic, as in vinculo/surveys/logic.py --------------------------------------------
  function num(a) { return typeof a === "number" ? a : null; }
  var OPS = {
    eq: function (a, b) { return a === b || (Array.isArray(a) && a.length === 1 && a[0] === b); },
    ne: function (a, b) { return !OPS.eq(a, b); },
    lt: function (a, b) { return num(a) !== null && a < b; },
    lte: function (a, b) { return num(a) !== null && a <= b; },
    gt: function (a, b) { return num(a) !== null && a > b; },
    gte: function (a, b) { return num(a) !== null && a >= b; },
    "in": function (a, b) { return b.indexOf(Array.isArray(a) && a.length === 1 ? a[0] : a) >= 0; },
    not_in: function (a, b) { return !OPS["in"](a, b); },
    contains: function (a, b) { return (Array.isArray(a) || typeof a === "string") && a.indexOf(b) >= 0; },
    answered: function (a) { return a !== null; },
    not_answered: function (a) { return a === null; }
  };

  function holds(cond, answers) {
    if (!cond) return true;
    if ("const" in cond) return cond["const"];
    if (cond.all) return cond.all.every(function (c) { return holds(c, answers); });
    if (cond.any) return cond.any.some(function (c) { return holds(c, answers); });
    if (cond.not) return !holds(cond.not, answers);
    var actual = answers[cond.question];
    if (actual === undefined) actual = null;
    if (actual === null && cond.op !== "answered" && cond.op !== "not_answered") return false;
    return OPS[cond.op] ? OPS[cond.op](actual, cond.value) : false;
  }

  function Widget(slug) {
    this.slug = slug;
    this.def = null;
    this.answers = {};
    this.errors = {};
    this.trail = [];
    this.host = null;
  }

  Widget.prototype.visible = function (q) { return holds(q.show_if, this.answers); };

  Widget.prototype.onPage = function (page) {
    var self = this;
    return this.def.questions.filter(function (q) { return q.page === page && self.visible(q); });
  };

  Widget.prototype.nextPage = function (after) {
    var target = null, rules = this.def.skip_rules, pages = this.def.pages;
    for (var i = 0; i < rules.length; i++) {
      if (rules[i].after_page === after && holds(rules[i].when, this.answers)) {
        if (rules[i].goto === "end") return null;
        target = rules[i].goto;
        break;
      }
    }
    for (var j = 0; j < pages.length; j++) {
      if (pages[j] <= after || (target !== null && pages[j] < target)) continue;
      if (this.onPage(pages[j]).length) return pages[j];
    }
    return null;
  };

  Widget.prototype.path = function () {
    var seen = [], page = this.nextPage(0);
    while (page !== null && seen.indexOf(page) < 0) { seen.push(page); page = this.nextPage(page); }
    return seen;
  };

  Widget.prototype.pipe = function (text) {
    var self = this;
    return String(text || "").replace(/\{\{\s*([a-z_][a-z0-9_.]*)\s*\}\}/g, function (_m, key) {
      var value = self.answers[key], q = self.question(key);
      if (value === null || value === undefined || typeof value === "object" && !Array.isArray(value)) return "";
      var labels = (Array.isArray(value) ? value : [value]).map(function (v) {
        var choice = q && q.choices.filter(function (c) { return c.value === String(v); })[0];
        return choice && SCALES.indexOf(q.kind) < 0 ? choice.label : String(v);
      });
      return labels.join(", ");
    });
  };

  Widget.prototype.question = function (key) {
    return this.def.questions.filter(function (q) { return q.key === key; })[0];
  };

  // --- reading answers from the form ----------------------------------------------------
  Widget.prototype.read = function (q) {
    var box = this.root.getElementById(this.id(q.key));
    if (!box) return this.answers[q.key] === undefined ? null : this.answers[q.key];
    var checked = [].slice.call(box.querySelectorAll("input:checked")).map(function (i) { return i.value; });
    if (SCALES.indexOf(q.kind) >= 0 || q.kind === "yes_no") return checked.length ? Number(checked[0]) : null;
    if (q.kind === "single_choice") return checked[0] || null;
    if (q.kind === "multiple_choice") return checked.length ? checked : null;
    if (q.kind === "consent") return checked.length ? true : null;
    if (q.kind === "dropdown") return box.querySelector("select").value || null;
    if (q.kind === "ranking") {
      var order = [].slice.call(box.querySelectorAll("select")).map(function (s) { return s.value; }).filter(Boolean);
      return order.length ? order : null;
    }
    if (q.kind === "matrix") {
      var cells = {};
      box.querySelectorAll("input:checked").forEach(function (i) { cells[i.getAttribute("data-row")] = i.value; });
      return Object.keys(cells).length ? cells : null;
    }
    var text = box.querySelector("input, textarea").value.trim();
    return text === "" ? null : text;
  };

  Widget.prototype.readPage = function () {
    var self = this;
    this.def.questions.forEach(function (q) {
      if (q.page === self.page) self.answers[q.key] = self.read(q);
    });
  };

  // --- drawing --------------------------------------------------------------------------
  Widget.prototype.id = function (key, suffix) { return "vw-" + key + (suffix ? "-" + suffix : ""); };

  Widget.prototype.controls = function (q) {
    var self = this, id = this.id(q.key), value = this.answers[q.key];
    function picked(v) { return value !== null && value !== undefined && [].concat(value).map(String).indexOf(v) >= 0; }
    function choice(type, name, c, extra) {
      var input = el("input", Object.assign({ type: type, name: name, value: c.value, id: id + "-" + name + "-" + c.value,
        checked: picked(c.value) }, extra || {}));
      return el("label", { "class": "option" }, [input, el("span", { text: c.label })]);
    }
    if (SCALES.indexOf(q.kind) >= 0) {
      var points = q.choices.map(function (c, i) {
        var label = q.style === "stars" ? "★" : c.label, end = i === 0 ? q.low_label : i === q.choices.length - 1 ? q.high_label : "";
        return [el("input", { type: "radio", "class": "scale-input", name: q.key, value: c.value, id: id + "-" + c.value, checked: picked(c.value) }),
          el("label", { "class": "scale-point", "for": id + "-" + c.value, "aria-label": c.label + (end ? " (" + end + ")" : "") , text: label })];
      });
      var scale = el("div", { "class": "scale scale-" + (q.style || "numbers"), style: "--points:" + q.choices.length }, [].concat.apply([], points));
      var ends = q.low_label || q.high_label ? el("div", { "class": "scale-ends", "aria-hidden": "true" },
        [el("span", { text: q.low_label }), el("span", { text: q.high_label })]) : null;
      return [scale, ends];
    }
    if (q.kind === "single_choice" || q.kind === "yes_no" || q.kind === "multiple_choice") {
      var type = q.kind === "multiple_choice" ? "checkbox" : "radio";
      return [el("div", { "class": "options" }, q.choices.map(function (c) { return choice(type, q.key, c); }))];
    }
    if (q.kind === "consent") {
      return [choice("checkbox", q.key, { value: "1", label: this.def.labels.agree })];
    }
    if (q.kind === "dropdown" || q.kind === "ranking") {
      var places = q.kind === "ranking" ? q.choices.length : 1;
      var selects = [];
      for (var p = 1; p <= places; p++) {
        var current = q.kind === "ranking" ? (value || [])[p - 1] : value;
        var options = [el("option", { value: "", text: this.def.labels.choose })].concat(q.choices.map(function (c) {
          return el("option", { value: c.value, selected: current === c.value, text: c.label });
        }));
        var select = el("select", { id: id + "-" + p, "aria-labelledby": q.kind === "dropdown" ? id + "-legend" : null }, options);
        selects.push(q.kind === "ranking" ? el("label", { "class": "place" }, [el("span", { text: this.def.labels.place.replace("%(place)s", p) }), select]) : select);
      }
      return selects;
    }
    if (q.kind === "matrix") {
      return q.rows.map(function (row) {
        return el("fieldset", { "class": "matrix-row" }, [el("legend", { text: row.label }), el("div", { "class": "options options-inline" },
          q.choices.map(function (c) {
            var cell = choice("radio", q.key + "." + row.code, c, { "data-row": row.code });
            cell.querySelector("input").checked = !!value && value[row.code] === c.value;
            return cell;
          }))]);
      });
    }
    var attrs = { id: id + "-input", "aria-labelledby": id + "-legend", maxlength: q.max_length, type: q.input_type };
    var field = q.kind === "long_text" ? el("textarea", Object.assign(attrs, { rows: 4, type: null })) : el("input", attrs);
    field.value = value === null || value === undefined ? "" : value;
    return [field];
  };

  Widget.prototype.fieldset = function (q) {
    var id = this.id(q.key), error = this.errors[q.key], labels = this.def.labels;
    var legend = el("legend", { id: id + "-legend" }, [document.createTextNode(this.pipe(q.text))]);
    if (q.required) {
      legend.appendChild(el("span", { "class": "req", "aria-hidden": "true", text: " *" }));
      legend.appendChild(el("span", { "class": "visually-hidden", text: " " + labels.required }));
    }
    var described = [error ? id + "-error" : "", q.help_text ? id + "-help" : ""].filter(Boolean).join(" ");
    var box = el("fieldset", { id: id, "class": "question" + (error ? " has-error" : ""), "data-key": q.key,
      "aria-describedby": described || null, "aria-invalid": error ? "true" : null }, [legend,
      q.help_text ? el("p", { "class": "help", id: id + "-help", text: this.pipe(q.help_text) }) : null,
      error ? el("p", { "class": "field-error", id: id + "-error", text: error }) : null]);
    this.controls(q).forEach(function (node) { if (node) box.appendChild(node); });
    return box;
  };

  // Whether a condition names a question not answered yet (its page may still come).
  function pending(cond, answers) {
    if (!cond || "const" in cond) return false;
    var parts = cond.all || cond.any || (cond.not ? [cond.not] : null);
    if (parts) return parts.some(function (c) { return pending(c, answers); });
    return answers[cond.question] === null || answers[cond.question] === undefined;
  }

  // "Page 2 of 3": the pages the answers so far lead to, plus later ones still undecided.
  Widget.prototype.where = function () {
    var self = this, trail = this.path();
    this.def.pages.forEach(function (p) {
      if (p <= self.page || trail.indexOf(p) >= 0) return;
      if (self.def.questions.some(function (q) { return q.page === p && pending(q.show_if, self.answers); })) trail.push(p);
    });
    var position = trail.indexOf(this.page) + 1 || this.trail.length + 1;
    return { position: position, total: Math.max(trail.length, position) };
  };

  Widget.prototype.render = function (focusFirst) {
    var self = this, def = this.def, labels = def.labels;
    this.form.textContent = "";
    def.questions.forEach(function (q) { if (q.page === self.page) self.form.appendChild(self.fieldset(q)); });
    this.refresh();
    this.back.hidden = !this.trail.length;
    this.intro.hidden = !!this.trail.length;
    var messages = Object.keys(this.errors).map(function (k) { return self.errors[k]; }).concat(this.problem ? [this.problem] : []);
    this.summary.hidden = !messages.length;
    this.summary.textContent = "";
    if (messages.length) {
      this.summary.appendChild(el("p", { text: labels.invalid }));
      this.summary.appendChild(el("ul", {}, messages.map(function (m) { return el("li", { text: m }); })));
    }
    if (focusFirst) this.focusFirst();
  };

  // Shows or hides same-page questions and updates the button as answers change.
  Widget.prototype.refresh = function () {
    var self = this;
    this.readPage();
    this.def.questions.forEach(function (q) {
      var box = q.page === self.page && self.root.getElementById(self.id(q.key));
      if (box) box.hidden = !self.visible(q);
    });
    var where = this.where(), labels = this.def.labels;
    var progress = labels.page.replace("%(position)s", where.position).replace("%(total)s", where.total);
    if (this.progress.textContent !== progress) this.progress.textContent = progress;
    this.next.textContent = where.position >= where.total ? labels.send : labels.next;
  };

  Widget.prototype.focusFirst = function () {
    var box = this.form.querySelector("fieldset.question:not([hidden])");
    var target = this.summary.hidden ? box && box.querySelector("input, select, textarea") : this.summary;
    (target || this.title).focus();
  };

  Widget.prototype.build = function () {
    var self = this, labels = this.def.labels;
    this.host = el("div", { "data-vinculo-widget": this.slug });
    this.root = this.host.attachShadow({ mode: "open" });
    this.root.appendChild(el("style", { text: CSS }));
    this.title = el("h2", { id: "vw-title", tabindex: "-1", text: this.def.title });
    var close = el("button", { type: "button", "class": "close", "aria-label": labels.close, text: "×" });
    this.progress = el("p", { "class": "progress", "aria-live": "polite" });
    this.summary = el("div", { "class": "summary", role: "alert", tabindex: "-1", hidden: true });
    this.form = el("form", { novalidate: true, lang: this.def.language });
    this.back = el("button", { type: "button", "class": "back", text: labels.back });
    this.next = el("button", { type: "button", "class": "primary" });
    this.intro = el("div", {}, [this.def.intro ? el("p", { "class": "intro", text: this.def.intro }) : null,
      el("p", { "class": "note", text: labels.required_note })]);
    this.body = el("div", { "class": "body" }, [this.intro, this.progress, this.summary, this.form,
      el("div", { "class": "actions" }, [this.next, this.back])]);
    this.panel = el("section", { "class": "panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "vw-title",
      lang: this.def.language }, [el("header", {}, [this.title, close]), this.body]);
    this.root.appendChild(el("div", { "class": "backdrop" }));
    this.root.appendChild(this.panel);
    close.addEventListener("click", function () { self.close(); });
    this.back.addEventListener("click", function () { self.readPage(); self.errors = {}; self.problem = ""; self.page = self.trail.pop(); self.render(true); });
    this.form.addEventListener("change", function () { self.refresh(); });
    this.form.addEventListener("input", function () { self.refresh(); });
    this.next.addEventListener("click", function () { self.advance(); });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.advance(); });
    this.panel.addEventListener("keydown", function (event) { self.keydown(event); });
    document.body.appendChild(this.host);
  };

  Widget.prototype.keydown = function (event) {
    if (event.key === "Escape") { event.preventDefault(); this.close(); return; }
    if (event.key !== "Tab") return;
    var items = [].slice.call(this.panel.querySelectorAll(FOCUSABLE)).filter(function (n) {
      return !n.disabled && n.getClientRects().length;
    });
    if (!items.length) return;
    var first = items[0], last = items[items.length - 1], active = this.root.activeElement;
    if (event.shiftKey && (active === first || !this.panel.contains(active))) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && (active === last || !this.panel.contains(active))) { event.preventDefault(); first.focus(); }
  };

  Widget.prototype.advance = function () {
    var self = this;
    this.refresh();
    this.errors = {};
    this.problem = "";
    this.onPage(this.page).forEach(function (q) {
      var value = self.answers[q.key];
      if (q.required && (value === null || value === undefined)) self.errors[q.key] = self.pipe(q.required_message);
    });
    if (Object.keys(this.errors).length) { this.render(true); return; }
    var next = this.nextPage(this.page);
    if (next !== null) { this.trail.push(this.page); this.page = next; this.render(true); return; }
    this.send();
  };

  Widget.prototype.send = function () {
    var self = this, answers = {}, trail = this.path();
    this.def.questions.forEach(function (q) {
      var value = self.answers[q.key];
      if (trail.indexOf(q.page) >= 0 && self.visible(q) && value !== null && value !== undefined) answers[q.key] = value;
    });
    this.next.disabled = true;
    this.next.textContent = this.def.labels.sending;
    var body = { idempotency_key: this.def.idempotency_key, answers: answers, language: this.def.language,
      identity: data.identity || null, unit: data.unit || null, page_url: location.href.slice(0, 2000) };
    fetch(source.origin + RESPONSES_PATH.replace("__slug__", this.slug), { method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) })
      .then(function (response) { return response.json().then(function (json) { return [response.status, json]; }); })
      .then(function (result) { self.received(result[0], result[1]); })
      .catch(function () { self.received(0, { detail: self.def.labels.failed }); });
  };

  Widget.prototype.received = function (status, json) {
    var self = this;
    this.next.disabled = false;
    if (status === 200 || status === 201) { this.thank(json); return; }
    this.problem = "";
    this.errors = {};
    if (status === 422 && json.errors) {
      var pages = [];
      json.errors.forEach(function (e) {
        var q = self.question(e.question);
        if (q) { self.errors[e.question] = e.message; pages.push(q.page); } else self.problem = e.message;
      });
      var first = Math.min.apply(null, pages.length ? pages : [this.page]);
      while (this.trail.length && first < this.page) this.page = this.trail.pop();
    } else {
      this.problem = json.detail || this.def.labels.failed;
    }
    this.render(true);
  };

  Widget.prototype.thank = function (json) {
    store("localStorage", "vinculo-widget-done:" + this.slug, "1");
    this.body.textContent = "";
    this.body.appendChild(el("p", { "class": "thanks", role: "status", tabindex: "-1", text: this.pipe(json.thank_you || this.def.thank_you) }));
    var done = el("button", { type: "button", "class": "primary", text: this.def.labels.close });
    var self = this;
    done.addEventListener("click", function () { self.close(); });
    this.body.appendChild(el("div", { "class": "actions" }, [done]));
    done.focus();
    document.dispatchEvent(new CustomEvent("vinculo:submitted", { detail: { survey: this.slug, response: json.id } }));
  };

  Widget.prototype.open = function () {
    var self = this;
    if (this.host) { this.focusFirst(); return Promise.resolve(true); }
    if (this.loading) return this.loading;
    var query = new URLSearchParams();
    query.set("lang", data.lang || navigator.language || "");
    if (data.identity) query.set("identity", data.identity);
    if (data.unit) query.set("unit", data.unit);
    var url = source.origin + SURVEY_PATH.replace("__slug__", this.slug) + "?" + query;
    this.loading = fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json().then(function (json) { return [response.ok, json]; }); })
      .then(function (result) {
        self.loading = null;
        if (!result[0]) { console.warn("Vínculo widget:", result[1].detail); return false; }
        self.def = result[1];
        self.answers = {};
        self.trail = [];
        self.page = self.nextPage(0);
        if (self.page === null) return false;
        self.opener = document.activeElement;
        self.build();
        self.render(false);
        self.title.focus();
        return true;
      })
      .catch(function (error) { self.loading = null; console.warn("Vínculo widget:", error); return false; });
    return this.loading;
  };

  Widget.prototype.close = function () {
    if (!this.host) return;
    this.host.remove();
    this.host = null;
    store("sessionStorage", "vinculo-widget-closed:" + this.slug, "1");
    if (this.opener && this.opener.focus) this.opener.focus();
  };

  function widget(slug) {
    widgets[slug] = widgets[slug] || new Widget(slug);
    return widgets[slug];
  }

  var slug = found[1], trigger = data.trigger || "load";
  function automatic() {
    return !store("localStorage", "vinculo-widget-done:" + slug) && !store("sessionStorage", "vinculo-widget-closed:" + slug);
  }
  window.VinculoWidget = {
    widgets: widgets,
    open: function (name) { return widget(name || slug).open(); },
    close: function (name) { widget(name || slug).close(); }
  };
  if (!window.VinculoWidgetListening) {
    window.VinculoWidgetListening = true;
    document.addEventListener("click", function (event) {
      var opener = event.target.closest && event.target.closest("[data-vinculo-open]");
      if (opener) { event.preventDefault(); widget(opener.getAttribute("data-vinculo-open")).open(); }
    });
  }
  if (trigger === "load" && automatic()) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { widget(slug).open(); });
    else widget(slug).open();
  } else if (trigger === "exit" && automatic()) {
    var onExit = function (event) {
      if (event.clientY > 0 || event.relatedTarget) return;
      document.removeEventListener("mouseout", onExit);
      widget(slug).open();
    };
    document.addEventListener("mouseout", onExit);
  }
  widget(slug);
  document.dispatchEvent(new CustomEvent("vinculo:ready", { detail: { survey: slug } }));
})();
