/* The portal chat, live (the client's page and staff's alike; no framework, no build step).

   Without this script the pages still work: the form posts and the page reloads with the thread. With it, the
   page keeps a websocket to the client's chat (comms/consumers.py describes the frames): messages are sent over
   it and arrive from both sides as they are written, the thread is marked read while the window has the focus,
   the other side's presence and "Seen" marks follow, and the header's unread badge is kept up to date. While the
   socket is down the form posts as without the script. Reconnects back off exponentially; after one, the page
   asks for the messages it missed. Text goes into the page as text (textContent), never as HTML. */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root || !("WebSocket" in window)) return;

  var STOP_CODES = { 4403: "Please log in again to chat.", 4404: "This conversation is no longer available." };
  var HEARTBEAT_MS = 25000;
  var side = root.dataset.side;
  var mine = root.dataset.mine;
  var thread = document.getElementById("chat-thread");
  var scroller = document.getElementById("chat-scroll");
  var empty = document.getElementById("chat-empty");
  var template = document.getElementById("chat-line-template");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-body");
  var errorBox = document.getElementById("chat-error");
  var statusLine = document.getElementById("chat-status");
  var presence = document.getElementById("chat-presence");
  var hint = statusLine.textContent;
  var badges = document.querySelectorAll("[data-chat-unread]");
  // The header counts every thread for staff: what it showed on load, less this thread (read by loading it).
  var badgeBase = badges.length ? Number(badges[0].querySelector("[data-chat-unread-count]").textContent) || 0 : 0;
  var unread = 0;
  var socket = null;
  var attempts = 0;
  var timer = null;
  var heartbeat = null;
  var stopped = false;
  var refs = 0;
  var pending = {};

  function lines() {
    return thread.querySelectorAll(".chat-line");
  }

  function lastId() {
    var all = lines();
    return all.length ? Number(all[all.length - 1].dataset.id) : 0;
  }

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }

  function toBottom() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function render(line) {
    if (thread.querySelector('.chat-line[data-id="' + line.id + '"]')) return false;
    var item = template.content.querySelector(".chat-line").cloneNode(true);
    var isMine = line.direction === mine;
    item.className = "chat-line chat-line--" + (isMine ? "mine" : "theirs") + (line.channel !== "chat" ? " chat-line--relayed" : "");
    item.dataset.id = line.id;
    item.dataset.direction = line.direction;
    var subject = item.querySelector(".chat-bubble__subject");
    subject.textContent = line.subject;
    subject.hidden = !line.subject;
    item.querySelector(".chat-bubble__body").textContent = line.body;
    item.querySelector(".chat-line__name").textContent = isMine && side === "client" ? "You" : line.name;
    item.querySelector(".chat-line__channel").textContent = line.channel_label;
    var time = item.querySelector("time");
    time.dateTime = line.at;
    time.textContent = line.time;
    item.querySelector(".chat-line__seen").hidden = !(isMine && line.read && line.channel === "chat");
    var next = null;
    var all = lines();
    for (var i = all.length - 1; i >= 0 && Number(all[i].dataset.id) > line.id; i--) next = all[i];
    thread.insertBefore(item, next);
    empty.hidden = true;
    return true;
  }

  function showLines(list, forceBottom) {
    var stick = forceBottom || nearBottom();
    list.forEach(render);
    if (stick) toBottom();
  }

  function setUnread(count) {
    unread = count;
    var shown = badgeBase + count;
    badges.forEach(function (badge) {
      badge.querySelector("[data-chat-unread-count]").textContent = shown;
      badge.hidden = shown === 0;
    });
    markRead();
  }

  function setPresence(online) {
    presence.querySelector(".presence-dot").classList.toggle("presence-dot--on", online);
    presence.querySelector(".chat__presence-text").textContent = online ? presence.dataset.onlineText : presence.dataset.offlineText;
  }

  function markSeen(upTo) {
    lines().forEach(function (item) {
      if (item.dataset.direction === mine && Number(item.dataset.id) <= upTo && !item.classList.contains("chat-line--relayed")) {
        item.querySelector(".chat-line__seen").hidden = false;
      }
    });
  }

  function showError(text) {
    errorBox.querySelector("p").textContent = text;
    errorBox.hidden = !text;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function setStatus(text, alert) {
    statusLine.textContent = text;
    statusLine.classList.toggle("chat-compose__hint--alert", !!alert);
  }

  function live() {
    return socket && socket.readyState === WebSocket.OPEN;
  }

  function send(frame) {
    if (live()) socket.send(JSON.stringify(frame));
  }

  /* Read while the person can see it: the window has the focus and the page is visible. */
  function markRead() {
    if (unread > 0 && live() && document.visibilityState === "visible" && document.hasFocus()) {
      send({ type: "read", up_to: lastId() });
    }
  }

  var handlers = {
    hello: function (frame) {
      setPresence(frame.other_online);
      send({ type: "sync", after: lastId() });
      setUnread(frame.unread);
    },
    message: function (frame) {
      showLines([frame.message], frame.message.direction === mine);
      setUnread(frame.unread[side]);
    },
    messages: function (frame) {
      showLines(frame.messages, false);
      markRead();
    },
    read: function (frame) {
      if (frame.side === side) setUnread(frame.unread);
      else markSeen(frame.up_to);
    },
    presence: function (frame) {
      if (frame.side !== side) setPresence(frame.online);
    },
    sent: function (frame) {
      if (frame.ref in pending && input.value === pending[frame.ref]) input.value = "";
      delete pending[frame.ref];
      showError("");
    },
    error: function (frame) {
      delete pending[frame.ref];
      showError(frame.message);
    },
  };

  function open() {
    setStatus(attempts ? "Reconnecting…" : "Connecting…", attempts > 0);
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.dataset.socket);
    socket = ws;
    ws.onopen = function () {
      attempts = 0;
      setStatus(hint, false);
      clearInterval(heartbeat);
      heartbeat = setInterval(function () { send({ type: "ping" }); }, HEARTBEAT_MS);
    };
    ws.onmessage = function (message) {
      var frame = JSON.parse(message.data);
      if (handlers[frame.type]) handlers[frame.type](frame);
    };
    ws.onclose = function (closing) {
      if (socket !== ws) return;
      clearInterval(heartbeat);
      if (STOP_CODES[closing.code]) {
        stopped = true;
        setStatus(STOP_CODES[closing.code], true);
        return;
      }
      setStatus("Offline: reconnecting. Send still works, by reloading the page.", true);
      var delay = Math.min(30000, 1000 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
      attempts += 1;
      timer = setTimeout(open, delay);
    };
  }

  form.addEventListener("submit", function (event) {
    if (!live()) return; // the plain POST
    event.preventDefault();
    if (!input.value.trim()) {
      showError("Write a message first.");
      return;
    }
    refs += 1;
    var ref = "m" + refs;
    pending[ref] = input.value;
    send({ type: "send", body: input.value, ref: ref });
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }
  });

  window.addEventListener("focus", markRead);
  document.addEventListener("visibilitychange", function () {
    markRead();
    // A phone that slept may hold a dead socket: reconnect now rather than after the backoff.
    if (document.visibilityState === "visible" && !stopped && (!socket || socket.readyState > 1)) {
      clearTimeout(timer);
      open();
    }
  });

  toBottom();
  open();
})();
