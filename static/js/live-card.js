/* Card bids on the guest page (Stripe mode only): the sheet with Stripe's Payment Element, and what became of
   the guest's card bids (held, declined, outbid, won, released) for the page's banners.

   Stripe.js is loaded from https://js.stripe.com/v3/ because Stripe requires it (PCI: it may not be bundled or
   self-hosted). It is the one script this site takes from another origin, and only here: in Stripe mode, once a
   guest starts a bid. The Payment Element is Stripe's iframe and sends the card to Stripe; this site only ever
   sees the bid and the PaymentIntent's client secret. confirmPayment() (redirect: "if_required") tells the page
   at once whether the card is held; billing's webhook then marks the bid authorized on the server and the bid
   stands, which the feed reports to every page (a "bid" message). */
(function () {
  "use strict";
  var L = window.DjbizLive;
  var STRIPE_JS = "https://js.stripe.com/v3/";

  // Stripe's "night" theme in the live pages' colours (static/css/live.css), large for a phone in a dark room.
  var APPEARANCE = {
    theme: "night",
    variables: {
      colorPrimary: "#ffd84d",
      colorBackground: "#100e19",
      colorText: "#f4f2fb",
      colorTextSecondary: "#b9b3cf",
      colorDanger: "#ff8f8f",
      fontSizeBase: "18px",
      borderRadius: "10px",
      spacingUnit: "5px",
    },
    rules: { ".Input": { border: "2px solid #4a4366" }, ".Input:focus": { borderColor: "#ffd84d" } },
  };

  // A bid's card as this page knows it: pending, authorizing, declined (the sheet's steps), then processing, held,
  // outbid, and the round's outcome: won, failed (the charge), released, lapsed (never authorized).
  var UNFINISHED = { pending: true, declined: true };
  var OUTCOME_RANK = { lapsed: 1, released: 2, failed: 3, won: 4 };

  var loading = null;
  function loadStripe() {
    if (window.Stripe) return Promise.resolve(window.Stripe);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = STRIPE_JS;
        script.async = true;
        script.onload = function () { return window.Stripe ? resolve(window.Stripe) : script.onerror(); };
        script.onerror = function () {
          script.remove();
          loading = null; // a phone that lost its signal may try again
          reject(new Error("Stripe.js did not load"));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  /* options: sheet (the <dialog>), publishableKey, formError (where an unfinished bid is explained after the
     sheet closes), onChange (the page redraws its banners). */
  function CardBids(options) {
    this.sheet = options.sheet;
    this.publishableKey = options.publishableKey;
    this.formError = options.formError;
    this.onChange = options.onChange;
    this.bids = {};
    this.latest = null; // the bid whose news the banner shows
    this.current = null; // the bid the sheet is open for
    this.stripe = null;
    this.elements = null;
    this.element = null;
    var cards = this;
    this.sheet.addEventListener("click", function (clicked) {
      if (clicked.target.closest("[data-card-close]")) cards.sheet.close();
    });
    this.sheet.addEventListener("close", function () { cards.closed(); });
    this.part("#card-submit").addEventListener("click", function () {
      if (cards.element) cards.authorize();
      else cards.mount(cards.current);
    });
  }

  CardBids.prototype.part = function (selector) { return this.sheet.querySelector(selector); };

  CardBids.prototype.prepare = function () { loadStripe().catch(function () {}); };

  CardBids.prototype.unfinished = function (bidId) {
    var bid = this.bids[bidId];
    return !bid || Boolean(UNFINISHED[bid.status]);
  };

  CardBids.prototype.set = function (bid, status) {
    bid.status = status;
    this.latest = bid;
    this.onChange();
  };

  /* A card bid the API accepted: {id, amount_cents, currency, round_id, stripe: {status, client_secret}}. */
  CardBids.prototype.start = function (answer, song) {
    var bid = this.bids[answer.id] || {
      id: answer.id, round_id: answer.round_id, amount_cents: answer.amount_cents, currency: answer.currency, song: song,
    };
    this.bids[bid.id] = bid;
    var payment = answer.stripe;
    if (payment.status === "authorized") return this.set(bid, "held"); // a retry of a bid already held
    if (payment.status !== "requires_payment" && payment.status !== "failed") {
      this.formError.textContent = "This bid can no longer be paid by card. Bid again.";
      this.formError.hidden = false;
      return;
    }
    bid.client_secret = payment.client_secret;
    bid.status = "pending";
    this.open(bid);
  };

  CardBids.prototype.open = function (bid) {
    var amount = L.money(bid.amount_cents, bid.currency);
    this.current = bid;
    this.part("#card-sheet-title").textContent = "Hold " + amount + " on your card";
    this.part("#card-song").textContent = "Your bid on “" + bid.song + "”";
    this.formError.hidden = true;
    this.show("loading", "Loading the secure card form…");
    if (!this.sheet.open) this.sheet.showModal();
    this.mount(bid);
  };

  CardBids.prototype.mount = function (bid) {
    var cards = this;
    this.show("loading", "Loading the secure card form…");
    loadStripe().then(function (Stripe) {
      if (cards.current !== bid || !cards.sheet.open) return;
      cards.stripe = cards.stripe || Stripe(cards.publishableKey);
      cards.elements = cards.stripe.elements({ clientSecret: bid.client_secret, appearance: APPEARANCE });
      cards.element = cards.elements.create("payment", { layout: "tabs" });
      cards.element.on("ready", function () {
        if (cards.current === bid && bid.status === "pending") cards.show("ready", "");
      });
      cards.element.mount(cards.part("#payment-element"));
    }, function () {
      cards.show("failed", "", "We couldn’t load the card form. Check your signal and try again.");
    });
  };

  /* The sheet's look for one step: data-state drives the CSS, the button and the two messages follow. */
  CardBids.prototype.show = function (step, status, error) {
    var amount = this.current ? L.money(this.current.amount_cents, this.current.currency) : "";
    var labels = {
      loading: "Authorize " + amount, ready: "Authorize " + amount, authorizing: "Authorizing…",
      declined: "Try again", failed: "Try again", held: "Done",
    };
    this.sheet.dataset.state = step;
    var button = this.part("#card-submit");
    button.textContent = labels[step];
    button.disabled = step === "loading" || step === "authorizing";
    this.part("#card-status").textContent = status;
    var box = this.part("#card-error");
    box.textContent = error || "";
    box.hidden = !error;
  };

  CardBids.prototype.authorize = function () {
    var cards = this;
    var bid = this.current;
    bid.status = "authorizing";
    this.show("authorizing", "Authorizing your card…");
    this.stripe.confirmPayment({
      elements: this.elements,
      redirect: "if_required",
      confirmParams: { return_url: returnUrl(bid) },
    }).then(function (result) {
      if (result.error) return cards.declined(bid, result.error);
      cards.confirmed(bid, result.paymentIntent.status);
    }, function () {
      cards.declined(bid, { message: "Something went wrong. Try again." });
    });
  };

  CardBids.prototype.declined = function (bid, error) {
    if (bid.status === "lapsed") return this.sheet.close(); // the round closed meanwhile: the banner says so
    bid.status = "declined";
    var text = error.message || "Your card was not accepted.";
    if (error.type === "card_error") text += " Try again, or use another card.";
    if (this.current === bid && this.sheet.open) this.show("declined", "", text);
  };

  /* What Stripe says of the PaymentIntent once confirmed: requires_capture is a hold (capture_method=manual). */
  CardBids.prototype.confirmed = function (bid, intentStatus) {
    var held = intentStatus === "requires_capture" || intentStatus === "succeeded";
    if (bid.status === "lapsed") {
      if (this.current === bid) this.sheet.close();
      return this.set(bid, held ? "released" : "lapsed");
    }
    if (!held && intentStatus !== "processing") return this.declined(bid, { message: "Your card was not authorized." });
    this.set(bid, held ? "held" : "processing");
    if (this.current === bid && this.sheet.open) {
      this.part("#card-sheet-title").textContent = held ? "Your card is held" : "Almost there";
      this.part("#card-done-text").textContent = held
        ? L.money(bid.amount_cents, bid.currency) + " is held on your card for “" + bid.song + "”. You’re only charged if your song wins the round; if it doesn’t, the hold is released."
        : "Your bank is still confirming your card. This page tells you as soon as your bid counts.";
      this.show("held", "");
    }
  };

  CardBids.prototype.closed = function () {
    var bid = this.current;
    if (this.element) this.element.destroy();
    this.element = null;
    this.elements = null;
    this.current = null;
    if (bid && UNFINISHED[bid.status]) {
      this.formError.textContent = "Your bid doesn’t count until your card is authorized. Bid again to finish it.";
      this.formError.hidden = false;
    }
  };

  /* Feed: a bid now stands (billing saw the card authorized). */
  CardBids.prototype.stood = function (bidId) {
    var bid = this.bids[bidId];
    if (bid && (bid.status === "processing" || bid.status === "authorizing" || bid.status === "pending")) this.set(bid, "held");
  };

  /* Feed: the guest was outbid in this round; the page shows the outbid banner, this only remembers it. */
  CardBids.prototype.outbid = function (roundId) {
    for (var id in this.bids) {
      var bid = this.bids[id];
      if (bid.round_id === roundId && bid.status === "held") bid.status = "outbid";
    }
  };

  /* Feed: a round closed ({id, number, winner}); again when a failed capture handed the win to the next bid. */
  CardBids.prototype.roundClosed = function (closed) {
    var winner = closed.winner && closed.winner.bid_id;
    var changed = null;
    for (var id in this.bids) {
      var bid = this.bids[id];
      if (bid.round_id !== closed.id) continue;
      bid.round_number = closed.number;
      var was = bid.status;
      var status = was;
      if (id === winner) status = "won";
      else if (was === "won") status = "failed";
      else if (was === "held" || was === "outbid" || was === "processing") status = "released";
      else if (was !== "released" && was !== "failed") status = "lapsed";
      if (status === was) continue;
      bid.status = status;
      // One banner for the round: a guest who raised their own bid hears that they won, not that the lower lost.
      if (!changed || OUTCOME_RANK[status] > OUTCOME_RANK[changed.status]) changed = bid;
      // A card being confirmed right now finishes first (confirmed() or declined() closes the sheet then).
      if (this.current === bid && status === "lapsed" && was !== "authorizing") this.sheet.close();
    }
    if (changed) this.set(changed, changed.status);
  };

  CardBids.prototype.mine = function (bidId) { return Boolean(this.bids[bidId]); };

  /* [kind, text] for the page's banner about the latest card bid, or null. "outbid" is the page's own banner. */
  CardBids.prototype.banner = function () {
    var bid = this.latest;
    if (!bid) return null;
    var amount = L.money(bid.amount_cents, bid.currency);
    var song = bid.song ? "“" + bid.song + "”" : "your song";
    var round = "Round " + (bid.round_number || "");
    switch (bid.status) {
      case "held": return ["held", "Your card is held for " + amount + " on " + song + ". You’re only charged if your song wins."];
      case "processing": return ["held", "Your bank is confirming your card for " + amount + "…"];
      case "won": return ["won", "You won round " + bid.round_number + "! " + song + " is up next. Your card is charged " + amount + "."];
      case "released": return ["released", round + " is over and your song didn’t win: the hold on your card is released. You pay nothing."];
      case "lapsed": return ["released", round + " ended before your card was authorized: your bid didn’t count and nothing was charged."];
      case "failed": return ["outbid", "Your card couldn’t be charged, so round " + bid.round_number + " went to the next bid. Nothing was charged."];
      default: return null;
    }
  };

  /* Back from a payment method that redirects (a bank page): Stripe adds payment_intent_client_secret to our
     return_url. Read the PaymentIntent and tell the guest, then tidy the address. */
  CardBids.prototype.resume = function (query) {
    var secret = query.get("payment_intent_client_secret");
    var bidId = query.get("card_bid");
    if (!secret || !bidId) return;
    history.replaceState(null, "", location.pathname);
    var cards = this;
    loadStripe().then(function (Stripe) {
      cards.stripe = cards.stripe || Stripe(cards.publishableKey);
      return cards.stripe.retrievePaymentIntent(secret);
    }).then(function (result) {
      if (result.error) return;
      var intent = result.paymentIntent;
      var bid = { id: bidId, round_id: query.get("card_round"), amount_cents: intent.amount, currency: intent.currency.toUpperCase(), song: "" };
      cards.bids[bidId] = bid;
      if (intent.status === "requires_capture" || intent.status === "succeeded" || intent.status === "processing") {
        cards.confirmed(bid, intent.status);
      } else {
        bid.status = "declined";
        cards.formError.textContent = ((intent.last_payment_error && intent.last_payment_error.message) || "Your card was not authorized.") + " Bid again to try another card.";
        cards.formError.hidden = false;
      }
    }, function () {});
  };

  function returnUrl(bid) {
    return location.origin + location.pathname + "?card_bid=" + encodeURIComponent(bid.id) + "&card_round=" + encodeURIComponent(bid.round_id);
  }

  window.DjbizCard = { CardBids: CardBids };
})();
