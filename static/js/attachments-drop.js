/*
 * Files dragged onto a message form, or pasted into it, join the form's file input.
 *
 * Every compose form has a plain <input type="file" multiple data-drop-files>; this script
 * only fills it. Files dropped anywhere on the form, pasted (a screenshot from the
 * clipboard) or picked with the file dialog are gathered in a DataTransfer whose list
 * becomes the input's files, shown with their names, sizes and a Remove button. The form
 * is still sent as an ordinary multipart POST, and the server's checks decide about each
 * file exactly as they do without this script.
 */
(function () {
  "use strict";

  // The page's language from Django's catalogue (includes/js_catalog.html); English when
  // it did not load.
  var gettext = typeof window.gettext === "function" ? window.gettext : function (text) { return text; };
  var interpolate = typeof window.interpolate === "function" ? window.interpolate : function (format, values) {
    return format.replace(/%\(([a-z]+)\)s/g, function (_, name) { return values[name]; });
  };

  function sizeText(bytes) {
    if (bytes < 1024) { return interpolate(gettext("%(size)s bytes"), { size: bytes }, true); }
    if (bytes < 1024 * 1024) {
      return interpolate(gettext("%(size)s KB"), { size: (bytes / 1024).toFixed(1) }, true);
    }
    return interpolate(gettext("%(size)s MB"), { size: (bytes / (1024 * 1024)).toFixed(1) }, true);
  }

  function hasFiles(transfer) {
    return !!transfer && Array.prototype.indexOf.call(transfer.types || [], "Files") !== -1;
  }

  function enhance(input) {
    // Once per element: the script may be on the page twice (the compose form's include and
    // the workspace's scripts), and the workspace announces each conversation it opens.
    if (input.dataset.dropReady) { return; }
    input.dataset.dropReady = "1";
    var form = input.form;
    if (!form || typeof DataTransfer !== "function") { return; }
    var chosen = new DataTransfer();
    // The input's own list is replaced by each dialog pick; what was there is kept.
    Array.prototype.forEach.call(input.files, function (file) { chosen.items.add(file); });

    var hint = document.createElement("p");
    hint.className = "drop-files__hint";
    hint.id = input.id + "_drop_hint";
    hint.textContent = gettext("Drag files here or paste");
    var list = document.createElement("ul");
    list.className = "drop-files__list";
    list.setAttribute("aria-label", gettext("Files to send"));
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", hint);
    hint.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    form.classList.add("drop-files");

    function render() {
      input.files = chosen.files;
      list.textContent = "";
      Array.prototype.forEach.call(chosen.files, function (file, index) {
        var item = document.createElement("li");
        item.className = "drop-files__item";
        var name = document.createElement("span");
        name.className = "drop-files__name";
        name.textContent = file.name;
        var size = document.createElement("span");
        size.className = "drop-files__size";
        size.textContent = sizeText(file.size);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button button--quiet drop-files__remove";
        remove.textContent = gettext("Remove");
        remove.setAttribute("aria-label", interpolate(gettext("Remove %(name)s"), { name: file.name }, true));
        remove.addEventListener("click", function () {
          chosen.items.remove(index);
          render();
          status.textContent = interpolate(gettext("%(name)s removed."), { name: file.name }, true);
          input.focus();
        });
        item.appendChild(name);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(size);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(remove);
        list.appendChild(item);
      });
      list.hidden = chosen.files.length === 0;
    }

    function add(files) {
      var names = [];
      Array.prototype.forEach.call(files, function (file) {
        chosen.items.add(file);
        names.push(file.name);
      });
      if (names.length) {
        render();
        status.textContent = interpolate(gettext("Added: %(names)s."), { names: names.join(", ") }, true);
      }
    }

    input.addEventListener("change", function () {
      // A pick from the dialog: its files join those already gathered.
      var picked = Array.prototype.slice.call(input.files);
      add(picked.filter(function (file) {
        return !Array.prototype.some.call(chosen.files, function (kept) { return kept === file; });
      }));
      render();
    });

    var depth = 0;
    form.addEventListener("dragenter", function (event) {
      if (!hasFiles(event.dataTransfer)) { return; }
      depth += 1;
      form.classList.add("drop-files--over");
    });
    form.addEventListener("dragleave", function (event) {
      if (!hasFiles(event.dataTransfer)) { return; }
      depth = Math.max(0, depth - 1);
      if (!depth) { form.classList.remove("drop-files--over"); }
    });
    form.addEventListener("dragover", function (event) {
      if (!hasFiles(event.dataTransfer)) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    });
    // Capture: a file dropped or pasted into the message editor goes with the message as
    // a file, not into the text.
    form.addEventListener("drop", function (event) {
      if (!hasFiles(event.dataTransfer)) { return; }
      event.preventDefault();
      event.stopPropagation();
      depth = 0;
      form.classList.remove("drop-files--over");
      add(event.dataTransfer.files);
    }, true);
    form.addEventListener("paste", function (event) {
      var files = event.clipboardData ? event.clipboardData.files : null;
      if (!files || !files.length) { return; }
      event.preventDefault();
      event.stopPropagation();
      add(files);
    }, true);

    render();
  }

  function start() {
    var inputs = document.querySelectorAll("input[type=file][data-drop-files]");
    inputs.forEach(enhance);
    if (!inputs.length) { return; }
    // A file let go of just beside the form would otherwise make the browser open it in
    // place of the page, and the draft would be lost.
    ["dragover", "drop"].forEach(function (type) {
      window.addEventListener(type, function (event) {
        if (hasFiles(event.dataTransfer) && !event.defaultPrevented) { event.preventDefault(); }
      });
    });
  }
  // A conversation opened in the seller's workspace pane (static/js/workspace.js).
  document.addEventListener("workspace:pane-loaded", function (event) {
    event.target.querySelectorAll("input[type=file][data-drop-files]").forEach(enhance);
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
