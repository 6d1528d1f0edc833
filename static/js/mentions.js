/*
 * Suggests teammates after "@" in the internal note box (textarea[data-mention-names]).
 * Typing "@" and the start of a name lists the team members whose name (or a word of it)
 * starts so, ignoring case and accents; the up and down arrows move through the list,
 * Enter or Tab inserts "@Full Name", Escape closes it. Without JavaScript the box is a
 * plain textarea and "@Name" works just the same: the server finds the mentions.
 */
(function () {
  "use strict";

  var gettext = typeof window.gettext === "function" ? window.gettext : function (text) { return text; };
  var SHOWN = 6;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The "@fragment" just before the caret, or null: "@" must start a word.
  function fragmentAt(box) {
    var before = box.value.slice(0, box.selectionStart);
    var found = /(^|[^\w@])@([^\s@]{0,30}(?: [^\s@]{0,30})?)$/.exec(before);
    if (!found) { return null; }
    return { start: before.length - found[2].length - 1, end: before.length, text: found[2] };
  }

  function matching(names, typed) {
    var wanted = fold(typed);
    return names.filter(function (name) {
      var folded = fold(name);
      return folded.indexOf(wanted) === 0 || folded.split(/\s+/).some(function (word) {
        return word.indexOf(wanted) === 0;
      });
    }).slice(0, SHOWN);
  }

  function enhance(box) {
    // Once per element: the script may be on the page twice (the compose form's include and
    // the workspace's scripts), and the workspace announces each conversation it opens.
    if (box.dataset.mentionsReady) { return; }
    box.dataset.mentionsReady = "1";
    var names;
    try { names = JSON.parse(box.getAttribute("data-mention-names")); } catch (error) { return; }
    if (!Array.isArray(names) || !names.length) { return; }

    var list = document.createElement("ul");
    list.className = "mention-suggestions";
    list.id = box.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", gettext("Teammates to mention"));
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.insertAdjacentElement("afterend", status);
    box.insertAdjacentElement("afterend", list);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);

    var fragment = null;
    var options = [];
    var active = -1;

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      box.removeAttribute("aria-activedescendant");
      status.textContent = "";
    }

    function highlight(index) {
      active = index;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) { box.setAttribute("aria-activedescendant", options[index].id); }
    }

    function choose(index) {
      var name = options[index].getAttribute("data-name");
      var value = box.value;
      var inserted = "@" + name + " ";
      box.value = value.slice(0, fragment.start) + inserted + value.slice(fragment.end);
      var caret = fragment.start + inserted.length;
      box.setSelectionRange(caret, caret);
      close();
      box.focus();
    }

    function show() {
      fragment = fragmentAt(box);
      var found = fragment ? matching(names, fragment.text) : [];
      if (!found.length) { close(); return; }
      list.textContent = "";
      options = found.map(function (name, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("data-name", name);
        option.textContent = "@" + name;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
          choose(index);
        });
        list.appendChild(option);
        return option;
      });
      list.hidden = false;
      highlight(0);
      status.textContent = gettext("Teammates you can mention are listed: use the up and down arrows, then Enter.");
    }

    box.addEventListener("input", show);
    box.addEventListener("blur", close);
    box.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
  }

  document.querySelectorAll("textarea[data-mention-names]").forEach(enhance);
  // A conversation opened in the seller's workspace pane (static/js/workspace.js).
  document.addEventListener("workspace:pane-loaded", function (event) {
    event.target.querySelectorAll("textarea[data-mention-names]").forEach(enhance);
  });
})();
