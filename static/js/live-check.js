/*
 * Live policy check while a seller writes: sends the draft to the server (the same engine
 * that decides on Send) and lists what it would block, flag, redact or fix, next to the text.
 */
(function () {
  "use strict";

  // The page's language from Django's catalogue (includes/js_catalog.html); English when
  // the catalogue did not load.
  var pgettext = typeof window.pgettext === "function" ? window.pgettext : function (context, text) { return text; };
  // What the policy would do, named in the reader's language; the rule's id stays as it is.
  var ACTIONS = {
    block: pgettext("policy action", "block"),
    redact: pgettext("policy action", "redact"),
    flag: pgettext("policy action", "flag"),
    fix: pgettext("policy action", "fix")
  };

  function csrfToken(form) {
    var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  function render(box, violations) {
    var list = box.querySelector(".live-check__list");
    list.textContent = "";
    violations.forEach(function (v) {
      var item = document.createElement("li");
      item.className = "live-check__item live-check__item--" + v.action;
      var head = document.createElement("strong");
      head.textContent = v.title + " (" + v.rule + ", " + (ACTIONS[v.action] || v.action) + "): ";
      item.appendChild(head);
      item.appendChild(document.createTextNode(v.message));
      if (v.excerpt) {
        var quote = document.createElement("q");
        quote.className = "live-check__excerpt";
        quote.textContent = v.excerpt;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(quote);
      }
      list.appendChild(item);
    });
    box.hidden = violations.length === 0;
  }

  function watch(box) {
    var form = box.closest("form");
    if (!form) { return; }
    var timer = null;
    var latest = 0;
    function check() {
      var data = new FormData();
      ["message_type", "subject", "body"].forEach(function (name) {
        var field = form.elements[name];
        if (field) { data.append(name, field.value); }
      });
      if (box.dataset.conversation) { data.append("conversation", box.dataset.conversation); }
      if (box.dataset.order) { data.append("order", box.dataset.order); }
      var ticket = ++latest;
      fetch(box.dataset.liveCheckUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (result) {
        if (result && ticket === latest) { render(box, result.violations); }
      }).catch(function () { /* the server checks again on Send */ });
    }
    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 350);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    if (form.elements.body && form.elements.body.value) { schedule(); }
  }

  document.querySelectorAll(".live-check[data-live-check-url]").forEach(watch);
  // A conversation opened in the seller's workspace pane (static/js/workspace.js).
  document.addEventListener("workspace:pane-loaded", function (event) {
    event.target.querySelectorAll(".live-check[data-live-check-url]").forEach(watch);
  });
})();
