/* Mrezha's forms, on top of htmx: nothing typed is lost, focus goes where the answer is, a busy button
   says so, a limit is shown before it is reached, and a step that is hard to take back asks first.
   Written by hand because it is glue between htmx's events and our own markup; no inline script
   anywhere (the CSP forbids it), every text it shows comes translated in the page. */
(function () {
  "use strict";

  var DRAFT = "mrezha-draft";
  var lastPost = null; // the form of the last POST htmx sent: where the answer's focus belongs

  function formOf(elt) {
    if (!elt) return null;
    return elt.tagName === "FORM" ? elt : elt.closest("form");
  }

  function focusOn(elt) {
    if (!elt) return false;
    if (!elt.matches("input, select, textarea, button, a[href], [tabindex]")) elt.setAttribute("tabindex", "-1");
    elt.focus();
    return true;
  }

  function isTyped(field) {
    return field.name && !field.name.startsWith("_") && field.type !== "hidden" && field.type !== "password"
      && field.type !== "submit" && field.type !== "button" && field.type !== "file";
  }

  // Character counters ----------------------------------------------------------------------------

  function count(field) {
    var counter = document.getElementById(field.id + "-count");
    if (!counter) return;
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    var length = field.value.length;
    counter.querySelector(".count").textContent = String(length);
    var over = counter.querySelector(".over");
    var tooLong = length > max;
    counter.classList.toggle("too-long", tooLong);
    if (over) over.hidden = !tooLong;
  }

  function countAll(root) {
    root.querySelectorAll("[data-maxlength]").forEach(count);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-maxlength]")) count(event.target);
  });

  // Drafts: a form sent after the session ended comes back, filled in, after signing in again --------

  function saveDraft(form) {
    if (!form || !form.id) return;
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (isTyped(field)) fields[field.name] = field.value;
    });
    try {
      sessionStorage.setItem(DRAFT, JSON.stringify({ path: location.pathname, form: form.id, fields: fields }));
    } catch (e) { /* storage full or refused: the sign-in still happens, only the draft is not kept */ }
  }

  function restoreDraft() {
    var raw;
    try { raw = sessionStorage.getItem(DRAFT); } catch (e) { return; }
    if (!raw) return;
    var draft = JSON.parse(raw);
    if (draft.path !== location.pathname) return; // kept until its page is shown again
    sessionStorage.removeItem(DRAFT);
    var form = document.getElementById(draft.form);
    if (!form) return;
    Object.keys(draft.fields).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && isTyped(field)) field.value = draft.fields[name];
    });
    for (var open = form.closest("details"); open; open = open.parentElement.closest("details")) open.open = true;
    var template = document.getElementById("draft-restored");
    if (template) {
      var notice = template.content.firstElementChild.cloneNode(true);
      form.insertBefore(notice, form.firstElementChild);
      focusOn(notice);
    }
    countAll(form);
  }

  // Busy state, errors and focus after each answer -------------------------------------------------

  function submitButtons(form) {
    return form ? form.querySelectorAll("button[type=submit], button:not([type])") : [];
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event.detail.elt);
    if (!form || (event.detail.requestConfig && event.detail.requestConfig.verb !== "post")) return;
    lastPost = form;
    form.setAttribute("aria-busy", "true");
    submitButtons(form).forEach(function (button) { button.setAttribute("aria-busy", "true"); });
    var old = form.querySelector(".request-error");
    if (old) old.remove();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = formOf(event.detail.elt);
    if (!form) return;
    form.removeAttribute("aria-busy");
    submitButtons(form).forEach(function (button) { button.removeAttribute("aria-busy"); });
    if (event.detail.xhr && event.detail.xhr.status < 400) { // sent and taken: no draft to bring back
      try { sessionStorage.removeItem(DRAFT); } catch (e) { /* nothing kept, nothing to forget */ }
    }
  });

  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 401 && lastPost) saveDraft(lastPost); // htmx follows HX-Redirect to sign in next
  });

  /* An answer that is not the form's own (a bare error page: 403, 405, 413, 5xx, a lost connection) is
     shown inside the form, which stays as it was typed; the form's own answers (422, 409, the panel's
     403) are swapped in as usual. */
  function errorInForm(form, message) {
    if (!form) return;
    var p = document.createElement("p");
    p.className = "form-error request-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    form.insertBefore(p, form.firstElementChild);
    focusOn(p);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var form = formOf(event.detail.requestConfig && event.detail.requestConfig.elt);
    if (!form || xhr.status < 400 || xhr.status === 401) return;
    if (xhr.responseText.indexOf('class="error-page"') === -1) return;
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var text = page.querySelector(".error-page p");
    event.detail.shouldSwap = false;
    event.detail.isError = false;
    if (xhr.status === 403) saveDraft(form); // "reload and try again": the reloaded page gets it back
    errorInForm(form, text ? text.textContent.trim() : String(xhr.status));
    lastPost = null;
  });

  // Rows sent out of band (a planned activity's, added to the calendar's table as it is) take the place of
  // their own older copy, when a live update brought them first, and of the table's "nothing yet" row.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var fragment = event.detail.fragment;
    if (!target || !fragment || !fragment.children) return;
    Array.prototype.forEach.call(fragment.children, function (row) {
      var older = row.id && document.getElementById(row.id);
      if (older && older !== target && target.contains(older)) older.remove();  // not the element an outerHTML swap replaces
    });
    Array.prototype.forEach.call(target.querySelectorAll(".none-yet"), function (row) { row.remove(); });
  });

  document.addEventListener("htmx:sendError", function (event) {
    var form = formOf(event.detail.elt);
    var template = document.getElementById("connection-lost");
    if (form && template) errorInForm(form, template.content.textContent.trim());
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var form = lastPost;
    if (!form) return;
    lastPost = null;
    var target = event.detail.target;
    var root = (target && target.id && document.getElementById(target.id)) || document;
    countAll(root);
    var same = form.id && document.getElementById(form.id);
    var scope = same || root;
    focusOn(scope.querySelector("[aria-invalid=true]"))
      || focusOn(scope.querySelector(".form-error"))
      || focusOn(root.querySelector("[aria-invalid=true]"))
      || focusOn(root.querySelector(".form-error"))
      || focusOn(root.querySelector(".notice[role=status]"))
      || focusOn(root.querySelector("h1, h2"));
  });

  /* A question may name what the form holds: {field} becomes the chosen option's text or the typed value
     (a date the way the page's language writes it). */
  function shown(field) {
    if (!field) return "";
    if (field.tagName === "SELECT") return field.selectedIndex >= 0 ? field.options[field.selectedIndex].text : "";
    var value = field.value;
    var iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (iso) {
      var lang = document.documentElement.lang || "bg";
      var written = new Intl.DateTimeFormat(lang, { day: lang === "bg" ? "2-digit" : "numeric", month: lang === "bg" ? "2-digit" : "long", year: "numeric", timeZone: "UTC" });
      return written.format(new Date(Date.UTC(+iso[1], +iso[2] - 1, +iso[3])));
    }
    return value;
  }

  function filledIn(question, form) {
    return question.replace(/\{(\w+)\}/g, function (all, name) {
      var field = form && form.elements.namedItem(name);
      return field ? shown(field) : all;
    });
  }

  /* Confirmation of a step that is hard to take back: htmx asks (hx-confirm), our <dialog> answers, and
     the form's hidden "_confirmed" says so to the server (which, without it, asks on a page of its own:
     web/confirmation.py). */

  function answeredYes(form, detail) {
    var answer = form && form.elements.namedItem("_confirmed");
    if (answer) answer.value = "yes";
    detail.issueRequest(true); // htmx reads the form's fields now, the answer with them
  }

  document.addEventListener("htmx:confirm", function (event) {
    var question = event.detail.question;
    if (!question) return;
    var form = formOf(event.detail.elt);
    var dialog = document.getElementById("confirm-dialog");
    event.preventDefault();
    if (!dialog || typeof dialog.showModal !== "function") { // no <dialog>: the browser's own question
      if (window.confirm(filledIn(question, form))) answeredYes(form, event.detail);
      return;
    }
    dialog.querySelector(".question").textContent = filledIn(question, form);
    var opener = document.activeElement;
    dialog.returnValue = "";
    dialog.addEventListener("close", function onClose() {
      dialog.removeEventListener("close", onClose);
      if (dialog.returnValue === "yes") answeredYes(form, event.detail);
      else if (opener && opener.focus) opener.focus();
    });
    dialog.showModal();
    var back = dialog.querySelector("button[value=no]");
    if (back) back.focus(); // the safe answer first
  });

  function ready() {
    countAll(document);
    restoreDraft();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
