/*
 * A small formatting editor for message bodies: bold, italic, lists and links.
 * It enhances a <textarea data-rich-editor>; without JavaScript the textarea works as
 * plain text. The server sanitizes everything again: this only helps people write.
 */
(function () {
  "use strict";

  // The page's language from Django's catalogue (includes/js_catalog.html); English when
  // the catalogue did not load, so the editor never breaks for want of a translation.
  var gettext = typeof window.gettext === "function" ? window.gettext : function (text) { return text; };

  var ALLOWED = { P: 1, BR: 1, STRONG: 1, B: 1, EM: 1, I: 1, U: 1, UL: 1, OL: 1, LI: 1, A: 1, DIV: 1 };

  // Rebuild a draft from the textarea with only harmless elements; nothing in a draft runs.
  function cleanInto(target, html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    function copy(from, to) {
      from.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE) {
          to.appendChild(document.createTextNode(node.textContent));
        } else if (node.nodeType === Node.ELEMENT_NODE) {
          if (ALLOWED[node.tagName]) {
            var el = document.createElement(node.tagName);
            var href = node.getAttribute("href");
            if (node.tagName === "A" && href && /^(https?:|mailto:)/i.test(href)) {
              el.setAttribute("href", href);
            }
            copy(node, el);
            to.appendChild(el);
          } else if (["SCRIPT", "STYLE", "IFRAME", "OBJECT", "TEMPLATE"].indexOf(node.tagName) === -1) {
            copy(node, to);
          }
        }
      });
    }
    copy(doc.body, target);
  }

  function looksLikeHtml(text) { return /<\s*[a-z\/!]/i.test(text); }

  function textToNodes(target, text) {
    text.split(/\n\s*\n/).forEach(function (para) {
      if (!para.trim()) { return; }
      var p = document.createElement("p");
      para.split("\n").forEach(function (line, index) {
        if (index) { p.appendChild(document.createElement("br")); }
        p.appendChild(document.createTextNode(line));
      });
      target.appendChild(p);
    });
  }

  function button(label, title, onPress) {
    var b = document.createElement("button");
    b.type = "button";
    b.innerHTML = label;
    b.title = title;
    // A one-letter face (B, I, U) says nothing: name it in words. A button whose face is
    // words ("1. List") keeps them as its name, so speech control can say what people
    // see; the title describes it further.
    if (b.textContent.trim().length <= 1) { b.setAttribute("aria-label", title); }
    b.addEventListener("mousedown", function (e) { e.preventDefault(); });
    b.addEventListener("click", onPress);
    return b;
  }

  function enhance(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "editor";
    var toolbar = document.createElement("div");
    toolbar.className = "editor__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", gettext("Formatting"));
    var area = document.createElement("div");
    area.className = "editor__area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-labelledby", textarea.id + "_label");
    area.id = textarea.id + "_editor";
    area.dataset.editorFor = textarea.name;
    // Help text and errors that describe the textarea describe the editor instead.
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) { area.setAttribute(name, textarea.getAttribute(name)); }
    });

    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = textarea.id + "_label";
      label.setAttribute("for", area.id);
      label.addEventListener("click", function () { area.focus(); });
    }

    if (textarea.value) {
      if (looksLikeHtml(textarea.value)) { cleanInto(area, textarea.value); }
      else { textToNodes(area, textarea.value); }
    }

    function sync() {
      var markup = area.innerHTML;
      // Always send markup: without a tag the server reads the body as plain text, and
      // the editor's entities (&amp; &lt; &nbsp;) would reach the reader literally.
      if (!/<[a-z]/i.test(markup)) { markup = "<p>" + markup + "</p>"; }
      textarea.value = area.innerText.trim() ? markup : "";
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function run(command, value) {
      area.focus();
      document.execCommand(command, false, value || null);
      sync();
    }

    toolbar.appendChild(button("<strong>B</strong>", gettext("Bold"), function () { run("bold"); }));
    toolbar.appendChild(button("<em>I</em>", gettext("Italic"), function () { run("italic"); }));
    toolbar.appendChild(button("<u>U</u>", gettext("Underline"), function () { run("underline"); }));
    toolbar.appendChild(button("• " + gettext("List"), gettext("Bulleted list"), function () { run("insertUnorderedList"); }));
    toolbar.appendChild(button("1. " + gettext("List"), gettext("Numbered list"), function () { run("insertOrderedList"); }));
    toolbar.appendChild(button(gettext("Link"), gettext("Add a link"), function () {
      var url = window.prompt(gettext("Link address (https://…)"));
      if (url && /^(https?:\/\/|mailto:)/i.test(url.trim())) { run("createLink", url.trim()); }
    }));

    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    area.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && textarea.form) {
        sync();
        textarea.form.requestSubmit();
      }
    });
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }

    textarea.hidden = true;
    textarea.removeAttribute("required");
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.parentNode.insertBefore(wrapper, textarea);
  }

  document.querySelectorAll("textarea[data-rich-editor]").forEach(enhance);
  // A conversation opened in the seller's workspace pane (static/js/workspace.js).
  document.addEventListener("workspace:pane-loaded", function (event) {
    event.target.querySelectorAll("textarea[data-rich-editor]").forEach(enhance);
  });
})();
