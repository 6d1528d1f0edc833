/*
 * The seller's reply templates in a compose form (templates/includes/reply_templates.html):
 * a "Templates" button opening a searchable list, and suggestions while "/" and a name are
 * typed in the message. A chosen template is inserted as the server filled it for this
 * conversation or order; a placeholder with no value here is left in the text and named
 * in a note, to be replaced before sending (the policy checks the message again on Send).
 * Only the templates allowed for the chosen message type are offered (a reply on a
 * conversation page).
 */
(function () {
  "use strict";

  var SLASH = /(^|\s)\/([\p{L}\p{N}_-]{0,40})$/u;

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Plain text as the editor writes it: paragraphs at blank lines, line breaks within.
  function textToHtml(text) {
    return text.split(/\n\s*\n/).filter(function (p) { return p.trim(); }).map(function (p) {
      return "<p>" + p.split("\n").map(escapeHtml).join("<br>") + "</p>";
    }).join("");
  }

  function setUp(box) {
    // Once per element: the script may be on the page twice (the compose form's include and
    // the workspace's scripts), and the workspace announces each conversation it opens.
    if (box.dataset.templatesReady) { return; }
    box.dataset.templatesReady = "1";
    var form = box.closest("form");
    if (!form || !form.elements.body) { return; }
    var textarea = form.elements.body;
    var area = form.querySelector('[data-editor-for="body"]');
    var toggle = box.querySelector("[data-reply-templates-toggle]");
    var panel = box.querySelector(".reply-templates__panel");
    var filter = box.querySelector(".reply-templates__filter");
    var panelList = box.querySelector("#reply-templates-list");
    var suggestions = box.querySelector("#reply-templates-suggestions");
    var empty = box.querySelector("[data-reply-templates-empty]");
    var note = box.querySelector("[data-reply-templates-note]");
    var editable = area || textarea;
    var loading = null;
    var savedRange = null;
    var slash = null; // {node, start, end} of the "/name" being typed

    // Under the message box, wherever the form put the include.
    var field = textarea.closest(".field") || textarea.parentNode;
    field.parentNode.insertBefore(box, field.nextSibling);
    editable.parentNode.insertBefore(suggestions, editable.nextSibling);
    box.hidden = false;

    editable.setAttribute("aria-autocomplete", "list");
    editable.setAttribute("aria-controls", suggestions.id);
    var describedBy = editable.getAttribute("aria-describedby");
    editable.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + "reply-templates-hint");

    function load() {
      if (!loading) {
        loading = fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { templates: [], empty: "" }; })
          .catch(function () { return { templates: [], empty: "" }; });
      }
      return loading;
    }

    function messageType() {
      var chosen = form.elements.message_type;
      return chosen ? chosen.value : "reply";
    }

    function offered(data, query) {
      var type = messageType();
      var q = (query || "").toLowerCase();
      return data.templates.filter(function (t) {
        var allowed = t.types.length === 0 || (type !== "" && t.types.indexOf(type) !== -1);
        return allowed && (!q || t.name.toLowerCase().indexOf(q) !== -1);
      });
    }

    function fillList(list, templates, idPrefix) {
      list.textContent = "";
      templates.forEach(function (t, index) {
        var item = document.createElement("li");
        item.id = idPrefix + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.className = "reply-templates__option";
        var name = document.createElement("strong");
        name.textContent = "/" + t.name;
        var text = document.createElement("span");
        text.className = "reply-templates__preview";
        text.textContent = t.text.length > 90 ? t.text.slice(0, 90) + "…" : t.text;
        item.appendChild(name);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(text);
        item.addEventListener("mousedown", function (e) { e.preventDefault(); });
        item.addEventListener("click", function () { choose(list, t); });
        item.template = t;
        list.appendChild(item);
      });
    }

    function options(list) { return Array.prototype.slice.call(list.querySelectorAll('[role="option"]')); }

    function activate(list, owner, index) {
      var items = options(list);
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      if (items[index]) {
        owner.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        owner.removeAttribute("aria-activedescendant");
      }
    }

    function activeIndex(list) {
      return options(list).findIndex(function (item) { return item.getAttribute("aria-selected") === "true"; });
    }

    function move(list, owner, step) {
      var count = options(list).length;
      if (!count) { return; }
      activate(list, owner, (activeIndex(list) + step + count) % count);
    }

    // --- inserting ---------------------------------------------------------------------

    function rememberSelection() {
      if (!area) { return; }
      var selection = window.getSelection();
      if (selection.rangeCount && area.contains(selection.anchorNode)) {
        savedRange = selection.getRangeAt(0).cloneRange();
      }
    }

    function insert(template, replaceRange) {
      if (area) {
        area.focus();
        var selection = window.getSelection();
        var range = replaceRange || savedRange;
        if (!range || !area.contains(range.startContainer)) {
          range = document.createRange();
          range.selectNodeContents(area);
          range.collapse(false);
        }
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand("insertHTML", false, textToHtml(template.text));
        area.dispatchEvent(new Event("input", { bubbles: true }));
      } else {
        var start = replaceRange ? replaceRange.start : textarea.selectionStart;
        var end = replaceRange ? replaceRange.end : textarea.selectionEnd;
        textarea.value = textarea.value.slice(0, start) + template.text + textarea.value.slice(end);
        textarea.focus();
        textarea.selectionStart = textarea.selectionEnd = start + template.text.length;
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }
      note.textContent = template.note || "";
      note.classList.toggle("reply-templates__note--missing", Boolean(template.note));
    }

    function choose(list, template) {
      if (list === suggestions) {
        var range = slashRange();
        closeSuggestions();
        insert(template, range);
      } else {
        closePanel(false);
        insert(template, null);
      }
    }

    // --- the Templates button and its list ----------------------------------------------

    function showPanelList() {
      load().then(function (data) {
        var templates = offered(data, filter.value.trim());
        fillList(panelList, templates, "reply-template-option-");
        filter.setAttribute("aria-expanded", templates.length ? "true" : "false");
        activate(panelList, filter, templates.length ? 0 : -1);
        empty.textContent = data.templates.length ? empty.dataset.noMatch : data.empty;
        empty.hidden = templates.length > 0;
      });
    }

    function openPanel() {
      rememberSelection();
      panel.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      filter.value = "";
      showPanelList();
      filter.focus();
    }

    function closePanel(returnFocus) {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      filter.setAttribute("aria-expanded", "false");
      filter.removeAttribute("aria-activedescendant");
      if (returnFocus) { toggle.focus(); }
    }

    toggle.addEventListener("click", function () {
      if (panel.hidden) { openPanel(); } else { closePanel(true); }
    });
    filter.addEventListener("input", showPanelList);
    filter.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        move(panelList, filter, e.key === "ArrowDown" ? 1 : -1);
      } else if (e.key === "Enter") {
        e.preventDefault();
        var item = options(panelList)[activeIndex(panelList)];
        if (item) { choose(panelList, item.template); }
      } else if (e.key === "Escape") {
        e.preventDefault();
        closePanel(true);
      }
    });

    // --- "/" and a name in the message --------------------------------------------------

    function slashRange() {
      if (!slash) { return null; }
      if (area) {
        var range = document.createRange();
        range.setStart(slash.node, slash.start);
        range.setEnd(slash.node, slash.end);
        return range;
      }
      return { start: slash.start, end: slash.end };
    }

    function typedSlash() {
      if (area) {
        var selection = window.getSelection();
        if (!selection.rangeCount || !selection.isCollapsed) { return null; }
        var node = selection.anchorNode;
        if (!node || node.nodeType !== Node.TEXT_NODE || !area.contains(node)) { return null; }
        var before = node.textContent.slice(0, selection.anchorOffset);
        var match = SLASH.exec(before);
        if (!match) { return null; }
        return { node: node, start: selection.anchorOffset - match[2].length - 1, end: selection.anchorOffset, query: match[2] };
      }
      var caret = textarea.selectionStart;
      var found = SLASH.exec(textarea.value.slice(0, caret));
      return found ? { start: caret - found[2].length - 1, end: caret, query: found[2] } : null;
    }

    function closeSuggestions() {
      slash = null;
      suggestions.hidden = true;
      editable.removeAttribute("aria-activedescendant");
    }

    function suggest() {
      var typed = typedSlash();
      if (!typed) { closeSuggestions(); return; }
      slash = typed;
      load().then(function (data) {
        if (!slash) { return; }
        var templates = offered(data, slash.query);
        fillList(suggestions, templates, "reply-template-suggestion-");
        suggestions.hidden = templates.length === 0;
        activate(suggestions, editable, templates.length ? 0 : -1);
      });
    }

    editable.addEventListener("input", suggest);
    editable.addEventListener("keydown", function (e) {
      if (suggestions.hidden) { return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        move(suggestions, editable, e.key === "ArrowDown" ? 1 : -1);
      } else if ((e.key === "Enter" && !e.ctrlKey && !e.metaKey) || e.key === "Tab") {
        var item = options(suggestions)[activeIndex(suggestions)];
        if (item) {
          e.preventDefault();
          choose(suggestions, item.template);
        }
      } else if (e.key === "Escape") {
        e.preventDefault();
        closeSuggestions();
      }
    });
    editable.addEventListener("blur", function () { rememberSelection(); closeSuggestions(); });
    editable.addEventListener("keyup", rememberSelection);
    editable.addEventListener("mouseup", rememberSelection);
  }

  // After editor.js has replaced the textarea: it is a deferred script later on the page,
  // and deferred scripts all run before DOMContentLoaded (readyState is "interactive" by
  // then, so that cannot tell whether they have run).
  function start() { document.querySelectorAll("[data-reply-templates]").forEach(setUp); }
  // A conversation opened in the seller's workspace pane (static/js/workspace.js): this
  // listener runs after editor.js's, which is earlier on the page and enhances the box first.
  document.addEventListener("workspace:pane-loaded", function (event) {
    event.target.querySelectorAll("[data-reply-templates]").forEach(setUp);
  });
  if (document.readyState === "complete") { start(); }
  else { document.addEventListener("DOMContentLoaded", start); }
})();
