/* The guest page /e/<slug>/: renders the snapshot the server embedded, then keeps it live from the feed.
   Requests, votes and bids go through the guest API; the page's own changes come back through the feed.
   Bids are pledges, or in Stripe mode (data-payments="card") card holds through live-card.js. When the hosts
   asked for no guest requests (data-requests-off="hosts"), the page has a notice instead of the request form. */
(function () {
  "use strict";
  var L = window.DjbizLive;
  var root = document.getElementById("live-guest");
  if (!root) return;
  var apiBase = root.dataset.api;
  var state = JSON.parse(document.getElementById("live-snapshot").textContent);
  var lastWinner = null;
  var requestForm = document.getElementById("request-form"); // absent when the hosts asked for no requests
  var byCard = root.dataset.payments === "card";
  var card = byCard ? new window.DjbizCard.CardBids({
    sheet: document.getElementById("card-sheet"),
    publishableKey: root.dataset.stripeKey,
    formError: document.getElementById("bid-error"),
    onChange: function () { renderBanners(); },
  }) : null;
  var TEXT = byCard ? {
    bidOn: "Bid on this song",
    top: "Top bid ",
    outbid: "You’ve been outbid. Bid more to take the lead: if your song doesn’t win, the hold on your card is released.",
    won: " is up next. Your card is charged ",
  } : {
    bidOn: "Pledge on this song",
    top: "Top pledge ",
    outbid: "You’ve been outbid. Pledge more to stay in the lead.",
    won: " is up next. Pay the DJ at the booth: ",
  };

  function $(id) { return document.getElementById(id); }

  function myTag() { return state.guest ? state.guest.tag : null; }

  function isMine(request) {
    if (request.mine) return true;
    var mine = state.guest ? state.guest.my_requests : [];
    return mine.some(function (r) { return r.id === request.id; });
  }

  function show(node, visible) { node.hidden = !visible; }

  // A bid asks for a song to be played next: songs already up next or playing are not in the running.
  function biddable(request) { return request.status === "requested" || request.status === "accepted"; }

  function renderBanners() {
    var box = $("guest-banner");
    var banners = [];
    state.queue.forEach(function (request) {
      if (!isMine(request)) return;
      if (request.status === "playing") banners.push(["playing", "Your song is playing now: " + L.song(request) + "!"]);
      if (request.status === "up_next") banners.push(["up_next", "Your song is up next: " + L.song(request) + "."]);
    });
    if (lastWinner) banners.push(["won", lastWinner]);
    var cardNews = card && card.banner();
    if (cardNews && !(state.outbid && cardNews[0] === "held")) banners.push(cardNews);
    if (state.outbid) banners.push(["outbid", state.outbid]);
    box.replaceChildren.apply(box, banners.map(function (b) {
      return L.el("p", { class: "banner banner--" + b[0], text: b[1] });
    }));
  }

  function renderAnnouncement() {
    var section = $("announcement");
    show(section, Boolean(state.announcement && state.announcement.text));
    section.querySelector(".announcement__text").textContent = state.announcement ? state.announcement.text : "";
  }

  function renderNowPlaying() {
    var box = $("now-playing");
    var playing = state.now_playing;
    box.replaceChildren.apply(box, playing ? [
      L.el("p", { class: "now-playing__title", text: playing.title }),
      playing.artist ? L.el("p", { class: "now-playing__artist", text: playing.artist }) : null,
    ].filter(Boolean) : [L.el("p", { class: "muted", text: "The DJ hasn’t picked a request yet." })]);
  }

  function leaderSong(round) {
    if (!round || !round.leader) return null;
    var request = state.queue.filter(function (r) { return r.id === round.leader.request_id; })[0];
    return request ? L.song(request) : "a request";
  }

  function renderRound() {
    var round = state.round;
    var section = $("round");
    show(section, Boolean(round && state.bidding_open !== false));
    if (!round) return;
    var leader = leaderSong(round);
    $("round-state").replaceChildren(
      L.el("p", { class: "round__clock" }, [
        document.createTextNode("Round " + round.number + " ends in "),
        L.el("strong", { class: "round__countdown", "data-ends-at": round.ends_at, text: L.countdown(round.ends_at) }),
      ]),
      L.el("p", { class: "round__leader" }, leader ? [
        document.createTextNode("Leading: "),
        L.el("strong", { text: leader }),
        document.createTextNode(" with " + L.money(round.leader.amount_cents, round.currency)),
      ] : [document.createTextNode("No bids yet: be the first.")])
    );
    $("bid-currency").textContent = round.currency;
    $("bid-minimum").textContent = "At least " + L.money(round.min_next_bid_cents, round.currency) + ".";
    var amount = $("bid-amount");
    amount.min = (round.min_next_bid_cents / 100).toFixed(2);
    if (!amount.value || Number(amount.value) * 100 < round.min_next_bid_cents) amount.value = amount.min;
    var select = $("bid-request");
    var chosen = select.value;
    select.replaceChildren.apply(select, state.queue.filter(biddable).map(function (request) {
      return L.el("option", { value: request.id, text: L.song(request) });
    }));
    if (chosen) select.value = chosen;
  }

  function renderRequestForm() {
    if (!requestForm) return;
    var available = state.requests_open || state.pin_required;
    show(requestForm, available);
    show($("requests-closed"), !available);
    show($("pin-field"), Boolean(state.pin_required));
    show($("library-search"), Boolean(state.library_search));
    var guest = state.guest;
    var text = "";
    if (guest) {
      if (guest.requests_left === 0) text = "You’ve used all your requests for tonight. You can still vote!";
      else if (guest.cooldown_seconds_left > 0) text = "You can request again in " + Math.ceil(guest.cooldown_seconds_left / 60) + " min (" + guest.requests_left + " left).";
      else text = "You have " + guest.requests_left + " request" + (guest.requests_left === 1 ? "" : "s") + " left.";
    }
    $("allowance").textContent = text;
  }

  function queueItem(request) {
    var canBid = state.round && state.bidding_open !== false && biddable(request);
    var votes = request.votes;
    return L.el("li", { class: "queue__item queue__item--" + request.status + (isMine(request) ? " queue__item--mine" : "") }, [
      L.el("div", { class: "queue__song" }, [
        L.el("p", { class: "queue__title", text: request.title }),
        request.artist ? L.el("p", { class: "queue__artist", text: request.artist }) : null,
        request.guest_name ? L.el("p", { class: "queue__by", text: "for " + request.guest_name + (request.message ? ": “" + request.message + "”" : "") }) : null,
        request.status === "up_next" ? L.el("p", { class: "badge", text: "Up next" }) : null,
        request.status === "playing" ? L.el("p", { class: "badge badge--live", text: "Playing" }) : null,
        request.top_bid_cents && state.round ? L.el("p", { class: "queue__bid", text: TEXT.top + L.money(request.top_bid_cents, state.round.currency) }) : null,
        canBid ? L.el("button", { class: "link-button", type: "button", "data-bid": request.id, text: TEXT.bidOn }) : null,
      ]),
      L.el("button", {
        class: "vote", type: "button", "data-vote": request.id,
        "aria-pressed": request.voted ? "true" : "false", disabled: Boolean(request.voted),
        "aria-label": "Vote for " + request.title + " (" + votes + " vote" + (votes === 1 ? "" : "s") + ")",
      }, [L.el("span", { "aria-hidden": "true", text: "▲" }), L.el("span", { class: "vote__count", text: String(votes) })]),
    ]);
  }

  function renderQueue() {
    var list = $("queue");
    var items = state.queue.map(queueItem);
    if (!items.length) items = [L.el("li", { class: "queue__empty", text: list.dataset.empty })];
    list.replaceChildren.apply(list, items);
  }

  function renderPlayed() {
    var list = $("played");
    var items = state.played.map(function (request) { return L.el("li", { text: L.song(request) }); });
    if (!items.length) items = [L.el("li", { class: "muted", text: "Nothing yet." })];
    list.replaceChildren.apply(list, items);
  }

  function render() {
    renderBanners();
    renderAnnouncement();
    renderNowPlaying();
    renderRound();
    renderRequestForm();
    renderQueue();
    renderPlayed();
  }

  var handlers = {
    request: function (data) { if (!L.mergeRequest(state, data)) feed.resync(); },
    now_playing: function (data) {
      var playing = data.request !== undefined ? data.request : data;
      state.now_playing = playing && playing.id ? playing : null;
      if (playing && playing.id) L.mergeRequest(state, playing);
    },
    settings: function (data) { Object.assign(state, data); },
    announcement: function (data) { state.announcement = data && data.text ? data : null; },
    round: function (data) {
      var currency = (state.round || data.open || {}).currency;
      state.round = data.open;
      state.outbid = null;
      var closed = data.closed;
      var winner = closed && closed.winner;
      if (card && closed) card.roundClosed(closed);
      // A card bid this page made has its own banner (card.banner); this one is for a win it only knows by tag.
      var mine = winner && winner.guest_tag === myTag() && !(card && card.mine(winner.bid_id));
      lastWinner = mine ? "You won round " + closed.number + "! " + winner.title + TEXT.won + L.money(winner.amount_cents, currency) + "." : null;
    },
    bid: function (data) {
      state.round = data.round;
      state.queue.forEach(function (r) { if (r.id === data.request.id) r.top_bid_cents = data.request.top_bid_cents; });
      if (data.outbid_guest_tag && data.outbid_guest_tag === myTag()) {
        state.outbid = TEXT.outbid;
        if (card) card.outbid(data.round.id);
      }
      if (data.bid.guest_tag === myTag()) state.outbid = null;
      if (card) card.stood(data.bid.id);
    },
  };

  var feed = new L.Feed({
    socketPath: "/ws/events/" + root.dataset.slug + "/",
    snapshotUrl: apiBase + "queue/",
    seq: state.seq,
    onSnapshot: function (snapshot) { state = snapshot; render(); },
    onMessage: L.dispatchTo(handlers, render),
    onStatus: L.showStatus,
  });

  function fail(node, result) {
    node.textContent = L.errorText(result);
    node.hidden = false;
  }

  if (requestForm) requestForm.addEventListener("submit", function (submitted) {
    submitted.preventDefault();
    var form = submitted.target;
    var error = $("request-error");
    error.hidden = true;
    if (!form.title.value.trim()) {
      fail(error, { status: 400, data: { detail: "Type the song’s title." } });
      form.title.focus();
      return;
    }
    var body = { title: form.title.value.trim(), artist: form.artist.value.trim(), guest_name: form.guest_name.value.trim(), message: form.message.value.trim() };
    if (form.track_id.value) body.track_id = form.track_id.value;
    if (state.pin_required) body.pin = form.pin.value.trim();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    L.api("POST", apiBase + "requests/", body).then(function (result) {
      button.disabled = false;
      if (!result.ok) return fail(error, result);
      form.title.value = "";
      form.artist.value = "";
      form.message.value = "";
      form.track_id.value = "";
      feed.resync(); // our allowance and our own request
    });
  });

  /* The DJ's library: type a few letters, tap a song, and its exact title and artist fill the form (the request
     then names the track). Typing in the title or artist afterwards makes it a typed request again. */
  if (requestForm) (function () {
    var query = $("library-query");
    var results = $("library-results");
    var timer = null;
    var asked = "";

    function showResults(tracks, text) {
      var items = tracks.map(function (track) {
        return L.el("li", {}, [L.el("button", { type: "button", class: "library-result", "data-track": track.id, "data-title": track.title, "data-artist": track.artist }, [
          L.el("span", { class: "library-result__title", text: track.title }),
          track.artist ? L.el("span", { class: "library-result__artist", text: track.artist }) : null,
        ])]);
      });
      if (!items.length && text) items = [L.el("li", { class: "library-results__none", text: text })];
      results.replaceChildren.apply(results, items);
    }

    query.addEventListener("input", function () {
      clearTimeout(timer);
      var text = query.value.trim();
      if (text.length < 2) return showResults([], "");
      timer = setTimeout(function () {
        asked = text;
        L.api("GET", apiBase + "library/?q=" + encodeURIComponent(text)).then(function (result) {
          if (asked !== text) return; // a later search is on its way
          if (result.ok) showResults(result.data.results, "Not in the DJ’s music: type it below.");
          else showResults([], L.errorText(result));
        });
      }, 250);
    });

    query.addEventListener("keydown", function (pressed) {
      if (pressed.key === "Enter") pressed.preventDefault(); // a search, not the request
    });

    results.addEventListener("click", function (clicked) {
      var picked = clicked.target.closest("[data-track]");
      if (!picked) return;
      requestForm.title.value = picked.dataset.title;
      requestForm.artist.value = picked.dataset.artist;
      requestForm.track_id.value = picked.dataset.track;
      query.value = "";
      showResults([], "");
      requestForm.guest_name.focus();
    });

    [requestForm.title, requestForm.artist].forEach(function (input) {
      input.addEventListener("input", function () { requestForm.track_id.value = ""; });
    });
  })();

  $("queue").addEventListener("click", function (clicked) {
    var vote = clicked.target.closest("[data-vote]");
    var bid = clicked.target.closest("[data-bid]");
    if (vote) {
      vote.disabled = true;
      L.api("POST", apiBase + "requests/" + vote.dataset.vote + "/vote/").then(function (result) {
        if (!result.ok) { vote.disabled = false; return; }
        state.queue.forEach(function (r) { if (r.id === vote.dataset.vote) r.voted = true; });
        render();
      });
    } else if (bid) {
      $("bid-request").value = bid.dataset.bid;
      $("bid-amount").focus();
      $("round").scrollIntoView({ behavior: "smooth", block: "start" });
      if (card) card.prepare();
    }
  });

  /* The client_request_id of a bid: the same while the guest resends the same bid (a dropped connection, a 503,
     a card sheet closed before the card was authorized), so that the server finds the bid it made. */
  var attempt = null;
  function bidKey(roundId, requestId, cents) {
    var same = attempt && attempt.round === roundId && attempt.request === requestId && attempt.cents === cents;
    if (!same || (attempt.bid && !(card && card.unfinished(attempt.bid)))) {
      var key = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
      attempt = { round: roundId, request: requestId, cents: cents, key: key, bid: null };
    }
    return attempt.key;
  }

  $("bid-form").addEventListener("submit", function (submitted) {
    submitted.preventDefault();
    var form = submitted.target;
    var error = $("bid-error");
    error.hidden = true;
    var cents = Math.round(Number(form.amount.value) * 100);
    if (!form.request_id.value || !cents) {
      fail(error, { status: 400, data: { detail: "Pick a song and an amount." } });
      return;
    }
    var name = $("request-name");
    var key = bidKey(state.round && state.round.id, form.request_id.value, cents);
    var body = { request_id: form.request_id.value, amount_cents: cents, client_request_id: key, guest_name: name ? name.value.trim() : "" };
    var song = form.request_id.selectedOptions[0].textContent;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    if (card) card.prepare(); // Stripe.js loads while the bid is on its way
    L.api("POST", apiBase + "bids/", body).then(function (result) {
      button.disabled = false;
      if (!result.ok) {
        if (result.status && result.status < 500 && attempt && attempt.key === key) attempt = null; // a refusal: a new bid next time
        return fail(error, result);
      }
      if (attempt && attempt.key === key) attempt.bid = result.data.id;
      if (result.data.stripe && card) card.start(result.data, song);
      else state.outbid = null;
      render();
    });
  });

  setInterval(function () {
    document.querySelectorAll(".round__countdown").forEach(function (clock) { clock.textContent = L.countdown(clock.dataset.endsAt); });
  }, 1000);

  render();
  feed.start();
  if (card) card.resume(new URLSearchParams(location.search));
})();
