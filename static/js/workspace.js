/*
 * The seller's workspace: the conversation list beside the open conversation.
 *
 * Progressive enhancement: without this script every row is a plain link to the
 * conversation's page, which shows the same list beside it. With it, a row opens in the
 * right pane without a reload (the pane alone is fetched from the server, through the same
 * access check, and the address changes with history.pushState, so Back and a reload
 * work), and keys move through the list and act on the open conversation:
 *
 *   j / k   select the next / previous conversation     Enter  open the selected one
 *   r       write a reply     a  assign     n  no response needed     e  close
 *   ?       the list of keys
 *
 * An element of the open conversation answers a key when it carries data-shortcut="<key>":
 * a field is focused, anything else is clicked (other features add their buttons so).
 * Keys are ignored while typing in a field and with Ctrl, Alt or Meta held.
 */
(function () {
  "use strict";

  var workspace = document.querySelector("[data-workspace]");
  if (!workspace || !window.fetch || !window.history || !window.history.pushState) { return; }
  var pane = workspace.querySelector("[data-workspace-pane]");
  var dialog = document.getElementById("shortcuts-dialog");
  var emptyPane = pane.innerHTML.trim() && !pane.querySelector("[data-conversation-pane]") ? pane.innerHTML : null;
  var selectedId = null;

  function listRegion() { return workspace.querySelector("[data-live-region='inbox']"); }
  function links() { return Array.prototype.slice.call(workspace.querySelectorAll("a[data-pane-link]")); }
  function rowOf(link) { return link.closest("[data-conversation-row]"); }
  function openConversation() { return pane.querySelector("[data-conversation-pane]"); }

  // The buttons that only work with this script: shown now.
  function showScriptButtons(root) {
    root.querySelectorAll("[data-workspace-keys], [data-workspace-action='help']").forEach(function (node) {
      node.hidden = false;
    });
  }

  // --- The list: which row is open, which is selected -------------------------------------

  function markOpen(id) {
    links().forEach(function (link) {
      var row = rowOf(link);
      var open = id !== null && row.getAttribute("data-conversation-row") === String(id);
      row.classList.toggle("inbox__row--open", open);
      if (open) {
        link.setAttribute("aria-current", "page");
        // Opening it read it: the row stops saying unread (the next list refresh agrees).
        row.classList.remove("inbox__row--unread");
        row.querySelectorAll(".inbox__who .dot, .inbox__who .visually-hidden").forEach(function (node) {
          node.remove();
        });
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function selectedLink() {
    var all = links();
    for (var i = 0; i < all.length; i += 1) {
      if (rowOf(all[i]).getAttribute("data-conversation-row") === selectedId) { return all[i]; }
    }
    return null;
  }

  function select(link) {
    selectedId = rowOf(link).getAttribute("data-conversation-row");
    links().forEach(function (other) {
      rowOf(other).classList.toggle("inbox__row--selected", other === link);
    });
    link.focus();
    link.scrollIntoView({ block: "nearest" });
  }

  // The selection starts from the selected row, else the open one, else an end of the list.
  function move(step) {
    var all = links();
    if (!all.length) { return null; }
    var from = selectedLink() || workspace.querySelector("a[data-pane-link][aria-current]");
    var index = all.indexOf(from);
    var next = index === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[next]);
    return all[next];
  }

  // A live refresh of the list (static/js/live.js) replaced its rows: keep the selection.
  var region = listRegion();
  if (region && window.MutationObserver) {
    new MutationObserver(function () {
      var link = selectedLink();
      if (link) { rowOf(link).classList.add("inbox__row--selected"); }
      var open = openConversation();
      markOpen(open ? open.getAttribute("data-conversation-pane") : null);
      showScriptButtons(workspace);
    }).observe(region, { childList: true });
  }

  // --- The pane: open a conversation, or go back to the list alone ------------------------

  function swapLive(fresh) {
    var current = document.getElementById("live");
    if (!current || !fresh) { return; }
    current.replaceWith(document.importNode(fresh, true));
  }

  function paneLoaded(listUrl, conversationId) {
    var live = listRegion();
    if (live && listUrl) {
      live.setAttribute(
        "data-live-url",
        listUrl + (conversationId ? (listUrl.indexOf("?") === -1 ? "?" : "&") + "open=" + conversationId : "")
      );
    }
    markOpen(conversationId);
    showScriptButtons(pane);
    pane.dispatchEvent(new CustomEvent("workspace:pane-loaded", { bubbles: true }));
  }

  function show(address, paneUrl, push) {
    workspace.setAttribute("aria-busy", "true");
    return fetch(paneUrl, { credentials: "same-origin", headers: { "X-Requested-With": "workspace" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fragment = doc.querySelector("[data-pane-fragment]");
        if (!fragment) { throw new Error("not a pane"); }
        pane.innerHTML = fragment.innerHTML;
        document.title = fragment.getAttribute("data-pane-title");
        swapLive(doc.getElementById("live"));
        if (push) { window.history.pushState({ pane: paneUrl }, "", address); }
        workspace.classList.add("workspace--open");
        var article = openConversation();
        var back = pane.querySelector("[data-pane-back]");
        paneLoaded(back ? back.getAttribute("href") : null, article.getAttribute("data-conversation-pane"));
        var title = pane.querySelector("#conversation-title");
        if (title) { title.focus({ preventScroll: true }); }
        window.scrollTo(0, 0);
      })
      .catch(function () {
        // Whatever went wrong (logged out, no longer this team's), the page says it.
        window.location.assign(address);
      })
      .then(function () { workspace.removeAttribute("aria-busy"); });
  }

  function showList(address, push) {
    if (emptyPane === null) {
      window.location.assign(address); // the page opened on a conversation: load the list
      return;
    }
    pane.innerHTML = emptyPane;
    workspace.classList.remove("workspace--open");
    var live = document.getElementById("live");
    if (live) {
      var plain = live.cloneNode(false);
      ["data-conversation", "data-side", "data-messages", "data-status"].forEach(function (name) {
        plain.removeAttribute(name);
      });
      live.replaceWith(plain);
    }
    if (push) { window.history.pushState({ pane: null }, "", address); }
    document.title = workspace.getAttribute("data-list-title");
    paneLoaded(address, null);
    var link = selectedLink() || workspace.querySelector("a[data-pane-link]");
    if (link) { link.focus(); }
  }

  function plainClick(event) {
    return event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
  }

  function focusReply() {
    var card = pane.querySelector(".reply-card");
    var box = card && (card.querySelector("[contenteditable='true']") || card.querySelector("textarea"));
    if (!box) { return false; }
    box.scrollIntoView({ block: "nearest" });
    box.focus();
    return true;
  }

  function showHelp() {
    if (dialog && !dialog.open) { dialog.showModal(); }
  }

  workspace.addEventListener("click", function (event) {
    var target = event.target.closest("a, button");
    if (!target) { return; }
    if (target.matches("a[data-pane-link]") && plainClick(event)) {
      event.preventDefault();
      select(target);
      show(target.href, target.getAttribute("data-pane-link"), true);
    } else if (target.matches("a[data-pane-back]") && plainClick(event)) {
      event.preventDefault();
      showList(target.href, true);
    } else if (target.matches("[data-focus-reply]")) {
      if (focusReply()) { event.preventDefault(); }
    } else if (target.matches("[data-workspace-action]")) {
      var action = target.getAttribute("data-workspace-action");
      if (action === "help") {
        showHelp();
      } else {
        var link = move(action === "next" ? 1 : -1);
        if (link) { link.click(); }
      }
    }
  });

  window.addEventListener("popstate", function (event) {
    var state = event.state || {};
    if (state.pane) {
      show(window.location.href, state.pane, false);
    } else if ("pane" in state) {
      showList(window.location.href, false);
    } else {
      window.location.reload();
    }
  });

  // --- Keys -----------------------------------------------------------------------------

  function typing(node) {
    return node && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));
  }

  function activate(element) {
    if (typing(element)) {
      element.focus();
    } else {
      element.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target) || (dialog && dialog.open)) { return; }
    var key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
    } else if (key === "Enter") {
      // On a link or a button Enter does what it always does; elsewhere it opens the selection.
      if (event.target.closest && event.target.closest("a, button, summary")) { return; }
      var link = selectedLink();
      if (link) {
        event.preventDefault();
        link.click();
      }
    } else if (key === "?") {
      event.preventDefault();
      showHelp();
    } else if (key.length === 1 && /^[a-z]$/.test(key)) {
      var conversation = openConversation();
      var element = conversation && conversation.querySelector("[data-shortcut='" + key + "']");
      if (element) {
        event.preventDefault();
        activate(element);
      }
    }
  });

  // --- Start ----------------------------------------------------------------------------

  showScriptButtons(workspace);
  var article = openConversation();
  window.history.replaceState(
    { pane: article ? article.getAttribute("data-pane-url") : null },
    "",
    window.location.href
  );
})();
