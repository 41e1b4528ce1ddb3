// Live length and segment count under the SMS body of a message template (the same rules as comms/sms_length.py).
(function () {
  "use strict";
  const BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  const EXTENSION = "^{}\\[]~|€\f";

  function count(text) {
    const chars = Array.from(text);
    const gsm = chars.every((c) => BASIC.includes(c) || EXTENSION.includes(c));
    const units = gsm ? chars.reduce((n, c) => n + (EXTENSION.includes(c) ? 2 : 1), 0) : text.length;
    const [single, multi] = gsm ? [160, 153] : [70, 67];
    const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
    return `${units} characters (${gsm ? "GSM-7" : "UCS-2"}), ${segments} segment${segments === 1 ? "" : "s"}` +
      ` — ${units <= single ? single : multi} per segment. Template tags count as typed until rendered.`;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const field = document.getElementById("id_sms_body");
    if (!field) return;
    const output = document.createElement("div");
    output.className = "help sms-counter";
    output.setAttribute("aria-live", "polite");
    (field.closest(".flex-container") || field).insertAdjacentElement("afterend", output);
    const update = () => { output.textContent = count(field.value); };
    field.addEventListener("input", update);
    update();
  });
})();
