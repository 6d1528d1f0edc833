/*
 * Live updates: new messages, read receipts, "… is replying", inbox rows and badges appear
 * without a reload. Progressive enhancement: every page is complete without this script,
 * and a blocked or dropped socket only means the page waits for a reload.
 *
 * The socket (messagecenter/live) says only what changed, as ids; the page then fetches
 * what its viewer may see from the server (inbox/views/live.py), as a reload would.
 * After a dropped connection it reconnects with a growing delay and fetches everything
 * after the last message it shows.
 */
(function () {
  "use strict";

  if (!document.getElementById("live") || !window.WebSocket || !window.fetch) { return; }
  var data, conversation, messagesBox;
  // What the page follows; read again when the seller's workspace opens another
  // conversation without a reload (static/js/workspace.js swaps the #live element).
  function readConfig() {
    data = document.getElementById("live").dataset;
    conversation = data.conversation || "";
    messagesBox = document.querySelector("[data-live-messages]");
  }
  readConfig();
  var RETRY_FIRST_MS = 500;
  var RETRY_MAX_MS = 15000;
  var WRITING_EVERY_MS = 3000; // a "still writing" frame; the server forgets one after 8 s
  var socket = null;
  var retries = 0;
  var everOpen = false;

  // The state, for people using assistive technology and for the browser tests.
  function setState(state) { document.documentElement.setAttribute("data-live", state); }

  function lastMessageId() {
    var last = 0;
    if (!messagesBox) { return last; }
    messagesBox.querySelectorAll("article.message[id^='message-']").forEach(function (node) {
      var id = parseInt(node.id.slice(8), 10);
      if (id > last) { last = id; }
    });
    return last;
  }

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "live" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text().then(function (text) { return { response: response, text: text }; });
      });
  }

  function parse(html) { return new DOMParser().parseFromString(html, "text/html"); }

  // Each fetch of a kind waits for the one before it, and runs once more if asked meanwhile.
  function serial(run) {
    var running = false;
    var again = false;
    return function go() {
      if (running) { again = true; return; }
      running = true;
      again = false;
      run().catch(function () { /* the next event or reconnect fetches again */ })
        .then(function () {
          running = false;
          if (again) { go(); }
        });
    };
  }

  // Where the next fetch starts: after the last message shown, or before a message the
  // page has not shown though it is older (a held message a reviewer approved later).
  var fetchAfter = null;

  function wantMessages(messageId) {
    var after = lastMessageId();
    if (messageId && messageId <= after && !document.getElementById("message-" + messageId)) {
      after = messageId - 1;
    }
    fetchAfter = fetchAfter === null ? after : Math.min(fetchAfter, after);
    fetchMessages();
  }

  var fetchMessages = serial(function () {
    if (!data.messages || !messagesBox) { return Promise.resolve(); }
    var after = fetchAfter === null ? lastMessageId() : fetchAfter;
    fetchAfter = null;
    return (function more(from) {
      var unseen = document.hidden;
      if (unseen) { readWhenShown = true; }
      return get(data.messages + "?after=" + from + (unseen ? "&read=0" : "")).then(function (got) {
        var last = from;
        parse(got.text).querySelectorAll("article.message").forEach(function (node) {
          last = Math.max(last, parseInt(node.id.slice(8), 10));
          if (!document.getElementById(node.id)) {
            messagesBox.appendChild(document.importNode(node, true));
          }
        });
        if (got.response.headers.get("X-Live-More") === "1") { return more(last); }
        return undefined;
      });
    })(after);
  });

  // Messages fetched while the tab was in the background are not read yet: the server
  // marks them read (and the sender sees "Seen") only once the page is looked at.
  var readWhenShown = false;
  document.addEventListener("visibilitychange", function () {
    if (document.hidden || !readWhenShown) { return; }
    readWhenShown = false;
    wantMessages(0);
  });

  var statusTimer = null;
  var fetchStatus = serial(function () {
    var box = document.querySelector("[data-live-status]");
    if (!data.status || !box) { return Promise.resolve(); }
    return get(data.status).then(function (got) {
      var fresh = parse(got.text).querySelector("[data-live-status]");
      if (!fresh) { return; }
      box.innerHTML = fresh.innerHTML;
      // A writer who stops sending frames is forgotten by the server: look again soon.
      clearTimeout(statusTimer);
      if (box.querySelector(".live-status__replying")) {
        statusTimer = setTimeout(fetchStatus, 4000);
      }
    });
  });

  var fetchBadges = serial(function () {
    if (!data.badges) { return Promise.resolve(); }
    return get(data.badges).then(function (got) {
      var fresh = parse(got.text).querySelector("[data-live-badges]");
      if (!fresh) { return; }
      document.querySelectorAll("[data-live-badges]").forEach(function (box) {
        box.innerHTML = fresh.innerHTML;
      });
    });
  });

  // An inbox fetches itself again and takes its rows, filter tabs and badges from it.
  var fetchInbox = serial(function () {
    var region = document.querySelector("[data-live-region='inbox']");
    if (!region) { return Promise.resolve(); }
    // The workspace's list says its own address: the page's may be a conversation's.
    return get(region.getAttribute("data-live-url") || window.location.href).then(function (got) {
      var doc = parse(got.text);
      var fresh = doc.querySelector("[data-live-region='inbox']");
      if (fresh) { region.innerHTML = fresh.innerHTML; }
      var badges = doc.querySelector("[data-live-badges]");
      if (badges) {
        document.querySelectorAll("[data-live-badges]").forEach(function (box) {
          box.innerHTML = badges.innerHTML;
        });
      }
    });
  });

  function refreshLists() {
    if (document.querySelector("[data-live-region='inbox']")) { fetchInbox(); } else { fetchBadges(); }
  }

  function onEvent(event) {
    var here = conversation && String(event.conversation) === conversation;
    if (event.event === "message" && here) {
      wantMessages(event.message);
      fetchStatus();
    } else if ((event.event === "read" || event.event === "replying") && here) {
      fetchStatus();
    } else if (event.event === "inbox") {
      refreshLists();
    }
  }

  function catchUp() {
    wantMessages(0);
    fetchStatus();
    refreshLists();
  }

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var query = conversation
      ? "?conversation=" + encodeURIComponent(conversation) + "&side=" + encodeURIComponent(data.side)
      : "";
    return scheme + "//" + window.location.host + data.socket + query;
  }

  function connect() {
    setState("connecting");
    try {
      socket = new WebSocket(socketUrl());
    } catch (error) {
      retry();
      return;
    }
    socket.onopen = function () {
      setState("open");
      retries = 0;
      // Whatever happened while the socket was down is fetched now; on the first open,
      // what happened between the page's render and the socket's start.
      if (everOpen) {
        catchUp();
      } else if (conversation) {
        wantMessages(0);
        fetchStatus();
      }
      everOpen = true;
      if (writing) { sendWriting(true); }
    };
    socket.onmessage = function (message) {
      try { onEvent(JSON.parse(message.data)); } catch (error) { /* not ours: ignore */ }
    };
    // A refused socket (logged out, or no longer this person's conversation) fails its
    // handshake like a server that is down: the page keeps trying, at most every 15 s.
    socket.onclose = function () {
      socket = null;
      retry();
    };
  }

  var retryTimer = null;
  function retry() {
    setState("closed");
    var delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, retries));
    retries += 1;
    retryTimer = setTimeout(connect, delay / 2 + Math.random() * delay / 2);
  }

  // "… is replying": a seller's composer tells the team while it holds text.
  var writing = false;
  var lastWritingFrame = 0;

  function sendWriting(state) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "replying", writing: state }));
      if (state) { lastWritingFrame = Date.now(); }
    }
  }

  function composerHasText(form) {
    var editable = form.querySelector("[contenteditable='true']");
    var field = form.querySelector("textarea[name='body']");
    var text = (editable ? editable.textContent : "") + (field ? field.value : "");
    return text.trim().length > 0;
  }

  function watchComposer() {
    var form = document.querySelector(".reply-card form");
    if (!form || data.side !== "seller") { return; }
    function changed() {
      var hasText = composerHasText(form);
      if (hasText && (!writing || Date.now() - lastWritingFrame > WRITING_EVERY_MS)) {
        writing = true;
        sendWriting(true);
      } else if (!hasText && writing) {
        writing = false;
        sendWriting(false);
      }
    }
    function stopped() {
      if (writing) {
        writing = false;
        sendWriting(false);
      }
    }
    form.addEventListener("input", changed);
    form.addEventListener("keyup", changed);
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) { stopped(); }
    });
    form.addEventListener("submit", stopped);
  }

  // The workspace opened another conversation in its pane: follow that one instead, on a
  // new socket (the socket's address names the conversation it is authorized for).
  document.addEventListener("workspace:pane-loaded", function () {
    if (writing) {
      writing = false;
      sendWriting(false);
    }
    readConfig();
    fetchAfter = null;
    clearTimeout(retryTimer);
    if (socket) {
      socket.onclose = null;
      socket.close();
      socket = null;
    }
    retries = 0;
    watchComposer();
    connect();
  });

  setState("connecting");
  watchComposer();
  connect();
})();
