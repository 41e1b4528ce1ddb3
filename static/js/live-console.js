/* The DJ's live console: the queue with its actions, now playing, the switches and announcements. Every change
   goes through the staff API and comes back through the feed, so several consoles show the same state. When two
   DJs act on one request at the same moment the server takes one move and refuses the other with a 409; the
   refused console says which move the other DJ made and reloads the state (both consoles then agree). */
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
  // What another DJ did, by the status the request has now ("Another DJ already …").
  var DONE = {
    requested: ["put ", " back in the queue"], accepted: ["accepted ", ""], up_next: ["put ", " up next"],
    playing: ["marked ", " as playing"], played: ["marked ", " as played"], declined: ["declined ", ""],
    skipped: ["skipped ", ""],
  };
  var seen = {}; // request id -> the last status the feed reported (declined and skipped ones leave the queue)
  var planned = {}; // request id -> {kind, label}: the request's song is in the client's music plan
  var prePartyOnly = false; // show only the requests guests made before the party, to review them with the plan

  function sorted() {
    var queue = state.queue.filter(function (r) { return !prePartyOnly || r.pre_party; });
    if (sortBy === "time") return queue.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
    if (sortBy === "bids") return queue.sort(function (a, b) { return (b.top_bid_cents || 0) - (a.top_bid_cents || 0) || b.votes - a.votes; });
    return queue.sort(function (a, b) { return b.votes - a.votes || (a.created_at < b.created_at ? -1 : 1); });
  }

  function actions(request) {
    return L.el("div", { class: "actions" }, (ACTIONS[request.status] || []).map(function (action) {
      return L.el("button", {
        type: "button", class: "action action--" + action[0], "data-request": request.id, "data-status": action[0],
        "data-from": request.status, "data-title": request.title, "aria-label": action[1] + ": " + request.title, text: action[1],
      });
    }));
  }

  function queueItem(request) {
    var meta = request.votes + " vote" + (request.votes === 1 ? "" : "s");
    if (request.top_bid_cents) meta += " · top bid " + L.money(request.top_bid_cents, state.round ? state.round.currency : undefined);
    if (request.guest_name) meta += " · for " + request.guest_name;
    var time = new Date(request.created_at);
    var when = time.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    // Requested on another day (before the party): the day says more than the hour.
    if (time.toDateString() !== new Date().toDateString()) when = time.toLocaleDateString([], { weekday: "short", day: "numeric", month: "short" }) + ", " + when;
    return L.el("li", { class: "queue__item queue__item--" + request.status }, [
      L.el("div", { class: "queue__song" }, [
        L.el("p", { class: "badges" }, [
          L.el("span", { class: "badge badge--" + request.status, text: LABELS[request.status] }),
          request.pre_party ? L.el("span", { class: "badge badge--pre-party", text: "Before the party" }) : null,
          planned[request.id] ? L.el("span", { class: "badge badge--plan badge--" + planned[request.id].kind.replace(/_/g, "-"), text: planned[request.id].label }) : null,
        ]),
        L.el("p", { class: "queue__title", text: request.title }),
        request.artist ? L.el("p", { class: "queue__artist", text: request.artist }) : null,
        L.el("p", { class: "queue__meta", text: meta + " · " + when }),
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
    if (!items.length) items = [L.el("li", { class: "queue__empty", text: prePartyOnly ? "No requests from before the party." : "No requests yet." })];
    $("queue").replaceChildren.apply($("queue"), items);
    document.querySelectorAll("[data-sort]").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.sort === sortBy ? "true" : "false"); });
    $("pre-party-only").setAttribute("aria-pressed", prePartyOnly ? "true" : "false");

    var played = state.played.map(function (r) { return L.el("li", { text: L.song(r) }); });
    if (!played.length) played = [L.el("li", { class: "muted", text: "Nothing yet." })];
    $("played").replaceChildren.apply($("played"), played);
  }

  /* Which requests are in the client's music plan: asked again whenever a request this console has not matched
     yet turns up (one question at a time; the server matches songs as it matches duplicates). */
  var planAsked = {};
  var planFetching = false;
  function refreshPlan() {
    var fresh = state.queue.some(function (r) { return !planAsked[r.id]; });
    if (!fresh || planFetching) return;
    planFetching = true;
    state.queue.forEach(function (r) { planAsked[r.id] = true; });
    L.api("GET", apiBase + "plan-matches/").then(function (result) {
      planFetching = false;
      if (result.ok) {
        planned = result.data.matches;
        render();
      }
      refreshPlan();
    });
  }

  var handlers = {
    request: function (data) {
      if (data.status) seen[data.id] = data.status;
      if (!L.mergeRequest(state, data)) feed.resync();
    },
    now_playing: function (data) {
      state.now_playing = data.request || null;
      if (data.request) {
        seen[data.request.id] = data.request.status;
        L.mergeRequest(state, data.request);
      }
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
    onSnapshot: function (snapshot) { state = snapshot; render(); refreshPlan(); },
    onMessage: L.dispatchTo(handlers, function () { render(); refreshPlan(); }),
    onStatus: L.showStatus,
  });

  /* The message box stays at the bottom of the screen, wherever the DJ has scrolled, until dismissed or the next
     action succeeds. */
  function say(text) {
    var toast = $("console-error");
    toast.querySelector(".console-toast__text").textContent = text || "";
    toast.hidden = !text;
  }

  function report(result) {
    say(result.ok ? "" : L.errorText(result));
    return result;
  }

  function statusNow(requestId) {
    var known = state.queue.concat(state.played).filter(function (r) { return r.id === requestId; })[0];
    return known ? known.status : seen[requestId];
  }

  /* A move refused with 409: if the request has moved on since this console showed it, another DJ (or this DJ on
     another device) moved it first. Reload the state, then say what they did. */
  function refused(action, result) {
    var from = action.dataset.from;
    var requestId = action.dataset.request;
    var told = result.data && result.data.status; // the refusal says where the request is now
    feed.resync().then(function () {
      var now = told || statusNow(requestId);
      var done = now && now !== from && DONE[now];
      say(done ? "Another DJ already " + done[0] + "“" + action.dataset.title + "”" + done[1] + "." : L.errorText(result));
    });
  }

  $("console-error").querySelector(".console-toast__close").addEventListener("click", function () { say(""); });

  root.addEventListener("click", function (clicked) {
    var action = clicked.target.closest("[data-status]");
    var sort = clicked.target.closest("[data-sort]");
    if (action) {
      action.disabled = true;
      L.api("POST", apiBase + "requests/" + action.dataset.request + "/status/", { status: action.dataset.status }).then(function (result) {
        action.disabled = false;
        if (result.status === 409) refused(action, result);
        else report(result);
      });
    } else if (sort) {
      sortBy = sort.dataset.sort;
      render();
    }
  });
  $("pre-party-only").addEventListener("click", function () {
    prePartyOnly = !prePartyOnly;
    render();
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
  refreshPlan();
  feed.start();
})();
