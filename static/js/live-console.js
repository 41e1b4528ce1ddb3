/* The DJ's live console: the queue with its actions, now playing, the switches and announcements. Every change
   goes through the staff API and comes back through the feed, so several consoles show the same state. */
(function () {
  "use strict";
  var L = window.DjbizLive;
  var root = document.getElementById("live-console");
  if (!root) return;
  var apiBase = root.dataset.api;
  var state = JSON.parse(document.getElementById("live-snapshot").textContent);
  var sortBy = "votes";

  function $(id) { return document.getElementById(id); }

  // The moves the console offers from each status (events.status.REQUEST_TRANSITIONS decides on the server).
  var ACTIONS = {
    requested: [["accepted", "Accept"], ["up_next", "Up next"], ["playing", "Playing"], ["declined", "Decline"]],
    accepted: [["up_next", "Up next"], ["playing", "Playing"], ["skipped", "Skip"], ["declined", "Decline"]],
    up_next: [["playing", "Playing"], ["accepted", "Not next"], ["skipped", "Skip"]],
    playing: [["played", "Played"], ["skipped", "Skip"]],
  };
  var LABELS = { requested: "New", accepted: "Accepted", up_next: "Up next", playing: "Playing" };

  function sorted() {
    var queue = state.queue.slice();
    if (sortBy === "time") return queue.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
    if (sortBy === "bids") return queue.sort(function (a, b) { return (b.top_bid_cents || 0) - (a.top_bid_cents || 0) || b.votes - a.votes; });
    return queue.sort(function (a, b) { return b.votes - a.votes || (a.created_at < b.created_at ? -1 : 1); });
  }

  function actions(request) {
    return L.el("div", { class: "actions" }, (ACTIONS[request.status] || []).map(function (action) {
      return L.el("button", {
        type: "button", class: "action action--" + action[0], "data-request": request.id, "data-status": action[0],
        "aria-label": action[1] + ": " + request.title, text: action[1],
      });
    }));
  }

  function queueItem(request) {
    var meta = request.votes + " vote" + (request.votes === 1 ? "" : "s");
    if (request.top_bid_cents) meta += " · top bid " + L.money(request.top_bid_cents, state.round ? state.round.currency : undefined);
    if (request.guest_name) meta += " · for " + request.guest_name;
    var time = new Date(request.created_at);
    return L.el("li", { class: "queue__item queue__item--" + request.status }, [
      L.el("div", { class: "queue__song" }, [
        L.el("p", { class: "badge badge--" + request.status, text: LABELS[request.status] }),
        L.el("p", { class: "queue__title", text: request.title }),
        request.artist ? L.el("p", { class: "queue__artist", text: request.artist }) : null,
        L.el("p", { class: "queue__meta", text: meta + " · " + time.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" }) }),
        request.message ? L.el("p", { class: "queue__by", text: "“" + request.message + "”" }) : null,
      ]),
      actions(request),
    ]);
  }

  function render() {
    var playing = state.now_playing;
    $("now-playing").replaceChildren.apply($("now-playing"), playing ? [
      L.el("p", { class: "now-playing__title", text: playing.title }),
      playing.artist ? L.el("p", { class: "now-playing__artist", text: playing.artist }) : null,
      actions(Object.assign({}, playing, { status: "playing" })),
    ].filter(Boolean) : [L.el("p", { class: "muted", text: "Nothing marked as playing." })]);

    [["toggle-requests", "Requests", state.requests_open], ["toggle-bidding", "Bidding", state.bidding_open]].forEach(function (t) {
      var button = $(t[0]);
      button.setAttribute("aria-pressed", t[2] ? "true" : "false");
      button.replaceChildren(document.createTextNode(t[1] + " "), L.el("strong", { text: t[2] ? "open" : "closed" }));
    });

    var round = state.round;
    $("round").hidden = !round;
    if (round) {
      var leader = round.leader && state.queue.filter(function (r) { return r.id === round.leader.request_id; })[0];
      $("round-state").replaceChildren(
        L.el("p", { class: "round__clock" }, [
          document.createTextNode("Round " + round.number + " ends in "),
          L.el("strong", { class: "round__countdown", "data-ends-at": round.ends_at, text: L.countdown(round.ends_at) }),
          document.createTextNode(" · " + round.bids_count + " bid" + (round.bids_count === 1 ? "" : "s")),
        ]),
        L.el("p", { class: "round__leader" }, round.leader ? [
          document.createTextNode("Leading: "),
          L.el("strong", { text: leader ? L.song(leader) : "a request" }),
          document.createTextNode(" with " + L.money(round.leader.amount_cents, round.currency)),
        ] : [document.createTextNode("No bids yet.")])
      );
    }

    var items = sorted().map(queueItem);
    if (!items.length) items = [L.el("li", { class: "queue__empty", text: "No requests yet." })];
    $("queue").replaceChildren.apply($("queue"), items);
    document.querySelectorAll("[data-sort]").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.sort === sortBy ? "true" : "false"); });

    var played = state.played.map(function (r) { return L.el("li", { text: L.song(r) }); });
    if (!played.length) played = [L.el("li", { class: "muted", text: "Nothing yet." })];
    $("played").replaceChildren.apply($("played"), played);
  }

  var handlers = {
    request: function (data) { if (!L.mergeRequest(state, data)) feed.resync(); },
    now_playing: function (data) {
      state.now_playing = data.request || null;
      if (data.request) L.mergeRequest(state, data.request);
    },
    settings: function (data) { Object.assign(state, data); },
    announcement: function (data) { state.announcement = data && data.text ? data : null; },
    round: function (data) { state.round = data.open; },
    bid: function (data) {
      state.round = data.round;
      state.queue.forEach(function (r) { if (r.id === data.request.id) r.top_bid_cents = data.request.top_bid_cents; });
    },
  };

  var feed = new L.Feed({
    socketPath: "/ws/events/" + root.dataset.slug + "/console/",
    snapshotUrl: apiBase + "queue/",
    seq: state.seq,
    onSnapshot: function (snapshot) { state = snapshot; render(); },
    onMessage: L.dispatchTo(handlers, render),
    onStatus: L.showStatus,
  });

  function report(result) {
    var error = $("console-error");
    error.hidden = result.ok;
    if (!result.ok) {
      error.textContent = L.errorText(result);
      error.scrollIntoView({ block: "nearest" });
    }
    return result;
  }

  root.addEventListener("click", function (clicked) {
    var action = clicked.target.closest("[data-status]");
    var sort = clicked.target.closest("[data-sort]");
    if (action) {
      action.disabled = true;
      L.api("POST", apiBase + "requests/" + action.dataset.request + "/status/", { status: action.dataset.status }).then(function (result) {
        action.disabled = false;
        // A 409 means another console acted first: say why, and show the state the database has now.
        if (!report(result).ok && result.status === 409) feed.resync();
      });
    } else if (sort) {
      sortBy = sort.dataset.sort;
      render();
    }
  });

  $("toggle-requests").addEventListener("click", function () {
    L.api("PATCH", apiBase + "live/", { requests_open: !state.requests_open }).then(report);
  });
  $("toggle-bidding").addEventListener("click", function () {
    L.api("POST", apiBase + "bidding/", { open: !state.bidding_open }).then(report);
  });
  $("announce-form").addEventListener("submit", function (submitted) {
    submitted.preventDefault();
    L.api("POST", apiBase + "announcements/", { text: $("announce-text").value.trim() }).then(report);
  });

  setInterval(function () {
    document.querySelectorAll(".round__countdown").forEach(function (clock) { clock.textContent = L.countdown(clock.dataset.endsAt); });
  }, 1000);

  render();
  feed.start();
})();
