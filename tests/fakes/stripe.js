/* A stand-in for Stripe.js v3 in the browser tests. tests/e2e serves it in place of https://js.stripe.com/v3/
   (page.route) with __FAKE_STRIPE_API__ replaced by the URL of tests/fakes/stripe_server.py.

   It implements only what static/js/live-guest.js uses, with Stripe's shapes: Stripe(publishableKey),
   stripe.elements({clientSecret, appearance}), elements.create("payment"), element.mount / on("ready") /
   destroy, stripe.confirmPayment({elements, redirect, confirmParams}) and stripe.retrievePaymentIntent().
   The "Payment Element" is a plain form inside the page (the real one is Stripe's iframe); confirming sends
   the card number to the fake Stripe API, never to the app. 4000 0000 0000 0002 is declined. */
(function () {
  "use strict";
  var API = "__FAKE_STRIPE_API__";

  function call(publishableKey, method, path, params) {
    var body = new URLSearchParams(params).toString();
    var url = API + path + (method === "GET" ? "?" + body : "");
    return fetch(url, {
      method: method,
      headers: { Authorization: "Bearer " + publishableKey, "Content-Type": "application/x-www-form-urlencoded" },
      body: method === "GET" ? undefined : body,
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }, function () {
      return { status: 0, data: { error: { type: "api_connection_error", message: "We could not reach Stripe." } } };
    });
  }

  function intentId(clientSecret) { return String(clientSecret).split("_secret_")[0]; }

  function integrationError(message) { return new Error("IntegrationError: " + message); }

  function field(label, name, placeholder, colors) {
    var wrapper = document.createElement("label");
    wrapper.style.cssText = "display:grid;gap:4px;font:inherit;color:" + colors.text;
    wrapper.appendChild(document.createTextNode(label));
    var input = document.createElement("input");
    input.name = name;
    input.placeholder = placeholder;
    input.autocomplete = "off";
    input.style.cssText = "min-height:48px;padding:10px 12px;border-radius:" + colors.radius + ";border:1px solid #4a4366;" +
      "background:" + colors.background + ";color:" + colors.text + ";font:inherit;font-size:18px";
    wrapper.appendChild(input);
    return wrapper;
  }

  function paymentElement(group) {
    var handlers = {};
    var node = null;
    var variables = (group.appearance && group.appearance.variables) || {};
    var colors = {
      text: variables.colorText || "#30313d",
      background: variables.colorBackground || "#ffffff",
      radius: variables.borderRadius || "4px",
    };
    var element = {
      mount: function (target) {
        var container = typeof target === "string" ? document.querySelector(target) : target;
        if (!container) throw integrationError("The selector you specified (" + target + ") applies to no DOM elements.");
        node = document.createElement("div");
        node.className = "FakeStripeElement";
        node.dataset.theme = (group.appearance && group.appearance.theme) || "stripe";
        node.style.cssText = "display:grid;gap:12px;grid-template-columns:1fr 1fr";
        var number = field("Card number", "cardnumber", "1234 1234 1234 1234", colors);
        number.style.gridColumn = "1 / -1";
        node.appendChild(number);
        node.appendChild(field("Expiration date", "exp-date", "MM / YY", colors));
        node.appendChild(field("Security code", "cvc", "CVC", colors));
        container.appendChild(node);
        group.mounted = element;
        setTimeout(function () { (handlers.ready || []).forEach(function (handler) { handler({ elementType: "payment" }); }); });
      },
      on: function (name, handler) {
        (handlers[name] = handlers[name] || []).push(handler);
        return element;
      },
      destroy: function () {
        if (node) node.remove();
        node = null;
        group.mounted = null;
      },
      cardNumber: function () {
        return node ? node.querySelector("[name=cardnumber]").value.replace(/\s+/g, "") : "";
      },
    };
    return element;
  }

  window.Stripe = function (publishableKey) {
    if (!/^pk_/.test(publishableKey || "")) throw integrationError("Please call Stripe() with your publishable key.");
    return {
      elements: function (options) {
        if (!options || !options.clientSecret) throw integrationError("elements() needs a clientSecret here.");
        var group = { clientSecret: options.clientSecret, appearance: options.appearance, mounted: null };
        group.create = function (type) {
          if (type !== "payment") throw integrationError("This fake only knows the Payment Element.");
          return paymentElement(group);
        };
        return group;
      },

      confirmPayment: function (options) {
        var group = options && options.elements;
        if (!group || !group.mounted) return Promise.reject(integrationError("Mount a Payment Element first."));
        var returnUrl = options.confirmParams && options.confirmParams.return_url;
        if (options.redirect !== "if_required" && !returnUrl) {
          return Promise.reject(integrationError("confirmParams.return_url is required."));
        }
        var number = group.mounted.cardNumber();
        if (!number) {
          return Promise.resolve({ error: { type: "validation_error", code: "incomplete_number", message: "Your card number is incomplete." } });
        }
        var params = {
          client_secret: group.clientSecret,
          "payment_method_data[type]": "card",
          "payment_method_data[card][number]": number,
        };
        if (returnUrl) params.return_url = returnUrl;
        return call(publishableKey, "POST", "/v1/payment_intents/" + intentId(group.clientSecret) + "/confirm", params).then(function (answer) {
          return answer.status === 200 ? { paymentIntent: answer.data } : { error: answer.data.error };
        });
      },

      retrievePaymentIntent: function (clientSecret) {
        return call(publishableKey, "GET", "/v1/payment_intents/" + intentId(clientSecret), { client_secret: clientSecret }).then(function (answer) {
          return answer.status === 200 ? { paymentIntent: answer.data } : { error: answer.data.error };
        });
      },
    };
  };
})();
