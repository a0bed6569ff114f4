/* Survey builder: small enhancements over plain forms (everything works without them).
   - lets HTMX swap the editor when the server answers 400 with the form and its errors;
   - shows only the settings of the chosen question kind;
   - copies the public link;
   - brings the part just changed into view after a swap;
   - on a new survey, proposes the link name from the name (until the link name is typed). */
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function showKindParts(form) {
    var select = form.querySelector("select[name=kind]");
    if (select) {
      form.querySelectorAll("[data-kinds]").forEach(function (part) {
        var kinds = part.getAttribute("data-kinds").split(" ");
        part.hidden = kinds.indexOf(select.value) === -1;
      });
    }
    // The attribute name only matters for a condition on a customer attribute.
    var subject = form.querySelector("select[name$=cond_subject]");
    var attribute = form.querySelector("input[name$=cond_attribute]");
    if (subject && attribute) {
      attribute.closest(".field").hidden = subject.value !== "c:attributes" && !attribute.value;
    }
  }

  function enhance(swapped) {
    document.querySelectorAll("form.qform, form.skipform").forEach(showKindParts);
    // Messages of the full page load are stale once the editor has been swapped.
    if (swapped) {
      document.querySelectorAll("#main > .messages").forEach(function (old) { old.remove(); });
    }
    var editor = document.getElementById("editor");
    var focus = editor && editor.getAttribute("data-focus");
    var target = focus && document.getElementById(focus);
    if (target) {
      target.scrollIntoView({ block: "start" });
      var heading = target.querySelector("h2, .q-head, h3");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
    var firstError = document.querySelector(".has-error input, .has-error select, .has-error textarea");
    if (firstError) firstError.focus();
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("form.qform select[name=kind], select[name$=cond_subject]")) {
      showKindParts(event.target.form);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-copy"));
    var status = button.parentElement.querySelector(".copy-status");
    var done = function () { if (status) status.textContent = button.getAttribute("data-copied"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else {
      input.select();
      document.execCommand("copy");
      done();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) htmx.config.scrollIntoViewOnBoost = false;
    enhance(false);
  });
  document.addEventListener("htmx:afterSettle", function () {
    enhance(true);
  });

  function slugify(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var name = document.getElementById("id_name");
    var slug = document.getElementById("id_slug");
    if (!name || !slug || slug.value) {
      return;  // editing an existing survey: its link must not change by itself
    }
    var typed = false;
    slug.addEventListener("input", function () { typed = true; });
    name.addEventListener("input", function () {
      if (!typed) {
        slug.value = slugify(name.value);
      }
    });
  });
})();
