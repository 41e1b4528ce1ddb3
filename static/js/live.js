/* The live feed client shared by the guest page and the DJ console (no framework, no build step).

   Feed.start() opens the event's websocket. Messages carry the event's sequence number; they are applied in
   order, and a gap, a reconnect or a hello whose number differs from ours fetches a snapshot instead
   (ARCHITECTURE.md: the feed is a hint, the database the truth). Reconnects back off exponentially, with
   jitter so that a room full of phones does not come back in the same second. */
(function () {
  "use strict";

  var STOP_CODES = { 4403: "Please log in again.", 4404: "This event is no longer live." };

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* fetch() with JSON both ways and Django's CSRF header; resolves to {ok, status, data}, never rejects. */
  function api(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["X-CSRFToken"] = cookie("csrftoken");
      options.headers["Content-Type"] = "application/json";
      if (body !== undefined) options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(
      function (response) {
        return response.json().then(
          function (data) { return { ok: response.ok, status: response.status, data: data }; },
          function () { return { ok: response.ok, status: response.status, data: null }; }
        );
      },
      function () { return { ok: false, status: 0, data: null }; }
    );
  }

  /* A readable sentence from an API refusal: {"detail"} or {"field": ["message"]}. */
  function errorText(result) {
    if (result.status === 0) return "No connection. Check your signal and try again.";
    if (result.status === 429) return "Too many tries. Wait a moment and try again.";
    var data = result.data;
    if (data && typeof data.detail === "string") return data.detail;
    if (data && typeof data === "object") {
      for (var key in data) {
        var value = data[key];
        if (Array.isArray(value) && value.length) return value[0];
      }
    }
    return "Something went wrong. Try again.";
  }

  function Feed(options) {
    this.socketUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + options.socketPath;
    this.snapshotUrl = options.snapshotUrl;
    this.onSnapshot = options.onSnapshot;
    this.onMessage = options.onMessage;
    this.onStatus = options.onStatus || function () {};
    this.seq = options.seq;
    this.attempts = 0;
    this.syncing = false;
    this.buffer = [];
    this.timer = null;
    this.stopped = false;
  }

  Feed.prototype.start = function () {
    var feed = this;
    this.open();
    document.addEventListener("visibilitychange", function () {
      // A phone that slept may hold a dead socket: reconnect now rather than after the backoff.
      if (document.visibilityState === "visible" && !feed.stopped && (!feed.socket || feed.socket.readyState > 1)) {
        clearTimeout(feed.timer);
        feed.open();
      }
    });
  };

  Feed.prototype.open = function () {
    var feed = this;
    this.onStatus("connecting");
    var socket = new WebSocket(this.socketUrl);
    this.socket = socket;
    socket.onopen = function () { feed.attempts = 0; feed.onStatus("live"); };
    socket.onmessage = function (message) { feed.receive(JSON.parse(message.data)); };
    socket.onclose = function (closing) {
      if (feed.socket !== socket) return;
      if (STOP_CODES[closing.code]) {
        feed.stopped = true;
        feed.onStatus("stopped", STOP_CODES[closing.code]);
        return;
      }
      feed.onStatus("reconnecting");
      var delay = Math.min(30000, 1000 * Math.pow(2, feed.attempts)) * (0.5 + Math.random() / 2);
      feed.attempts += 1;
      feed.timer = setTimeout(function () { feed.open(); }, delay);
    };
  };

  Feed.prototype.receive = function (message) {
    if (message.kind === "hello") {
      if (message.seq !== this.seq) this.resync();
      return;
    }
    if (this.syncing) {
      this.buffer.push(message);
      return;
    }
    this.apply(message);
  };

  Feed.prototype.apply = function (message) {
    if (message.seq <= this.seq) return; // already in the snapshot
    if (message.seq > this.seq + 1) {
      this.buffer.push(message);
      this.resync();
      return;
    }
    this.seq = message.seq;
    this.onMessage(message);
  };

  Feed.prototype.resync = function () {
    var feed = this;
    if (this.syncing) return Promise.resolve();
    this.syncing = true;
    return api("GET", this.snapshotUrl).then(function (result) {
      feed.syncing = false;
      if (result.ok) {
        feed.seq = result.data.seq;
        feed.onSnapshot(result.data);
      }
      var buffered = feed.buffer.sort(function (a, b) { return a.seq - b.seq; });
      feed.buffer = [];
      if (!result.ok) {
        // Try again shortly; keep what arrived meanwhile.
        feed.buffer = buffered;
        setTimeout(function () { feed.resync(); }, 2000 + Math.random() * 2000);
        return;
      }
      buffered.forEach(function (message) { if (message.seq > feed.seq) feed.apply(message); });
    });
  };

  /* Small DOM helpers: build elements with text only (guests' words never become markup). */
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    for (var name in attributes || {}) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function money(cents, currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "USD" }).format(cents / 100);
    } catch (error) {
      return (cents / 100).toFixed(2) + " " + currency;
    }
  }

  function song(request) {
    return request.artist ? request.title + " — " + request.artist : request.title;
  }

  /* Keep `queue` in the order guests see it (events.live_selectors.queue_for): playing, up next, votes, age. */
  var RANK = { playing: 0, up_next: 1 };
  var OPEN = { requested: true, accepted: true, up_next: true, playing: true };
  function sortQueue(queue) {
    return queue.sort(function (a, b) {
      var rank = (RANK[a.status] === undefined ? 2 : RANK[a.status]) - (RANK[b.status] === undefined ? 2 : RANK[b.status]);
      if (rank) return rank;
      if (b.votes !== a.votes) return b.votes - a.votes;
      return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;
    });
  }

  /* Apply a "request" message (a whole row, or {id, status, …} changes) to a state holding `queue` and
     `played`. Returns false when the request is unknown and the message too partial to show it. */
  function mergeRequest(state, data) {
    var known = state.queue.filter(function (r) { return r.id === data.id; })[0];
    var merged = Object.assign({ voted: false, mine: false }, known || {}, data);
    if (!known && !merged.title) return false;
    state.queue = state.queue.filter(function (r) { return r.id !== data.id; });
    if (OPEN[merged.status]) state.queue.push(merged);
    sortQueue(state.queue);
    if (merged.status === "played" && !state.played.some(function (r) { return r.id === merged.id; })) {
      state.played.unshift(merged);
    }
    if (state.now_playing && state.now_playing.id === merged.id) {
      state.now_playing = merged.status === "playing" ? merged : null;
    }
    return true;
  }

  function countdown(endsAt) {
    var seconds = Math.max(0, Math.round((new Date(endsAt).getTime() - Date.now()) / 1000));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  /** What a page's feed does with a message: the handler of its kind changes the state, then the page redraws. */
  function dispatchTo(handlers, render) {
    return function (message) {
      var handler = handlers[message.kind];
      if (handler) handler(message.data);
      render();
    };
  }

  /** Shows the connection state in the header's status pill. */
  function showStatus(status, reason) {
    var box = document.getElementById("live-status");
    box.dataset.state = status;
    box.querySelector(".live-status__text").textContent =
      { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" }[status] || reason || "Offline";
  }

  window.DjbizLive = {
    api: api,
    dispatchTo: dispatchTo,
    showStatus: showStatus,
    errorText: errorText,
    Feed: Feed,
    el: el,
    money: money,
    song: song,
    mergeRequest: mergeRequest,
    sortQueue: sortQueue,
    countdown: countdown,
  };
})();
