// The library page: one player for the page (play buttons per row), ticking tracks for the bulk actions, and the
// crossfade preview, which a background task makes: the page asks for it until it is there.
(function () {
  "use strict";

  // The filters beyond the search are folded on a phone, open on a wider screen.
  var more = document.getElementById("more-filters");
  if (more && window.matchMedia("(min-width: 52rem)").matches) more.open = true;

  var audio = document.getElementById("player-audio");
  var nowPlaying = document.getElementById("now-playing");
  var current = null;

  function showPlaying(button, playing) {
    document.querySelectorAll(".play[aria-pressed='true']").forEach(function (other) {
      other.setAttribute("aria-pressed", "false");
    });
    if (button && playing) button.setAttribute("aria-pressed", "true");
  }

  document.querySelectorAll(".play").forEach(function (button) {
    button.addEventListener("click", function () {
      if (current === button && !audio.paused) {
        audio.pause();
        return;
      }
      if (current !== button) {
        audio.src = button.dataset.src;
        nowPlaying.textContent = button.dataset.title;
        current = button;
      }
      audio.play().catch(function () {
        nowPlaying.textContent = button.dataset.title + ": this file cannot be played in this browser.";
      });
    });
  });
  audio.addEventListener("play", function () { showPlaying(current, true); });
  audio.addEventListener("pause", function () { showPlaying(current, false); });
  audio.addEventListener("ended", function () { showPlaying(current, false); });

  // Ticking tracks: the actions wake up when enough tracks are ticked (a crossfade needs two).
  var form = document.getElementById("bulk-form");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name='tracks']"));
  var tickAll = document.getElementById("tick-all");
  var count = document.getElementById("ticked-count");

  function update() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    count.textContent = ticked ? ticked + " ticked" : "None ticked";
    form.querySelectorAll("button[data-needs]").forEach(function (button) {
      var needs = Number(button.dataset.needs);
      button.disabled = needs === 2 ? ticked !== 2 : ticked < needs;
    });
    tickAll.checked = ticked > 0 && ticked === boxes.length;
    tickAll.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  boxes.forEach(function (box) { box.addEventListener("change", update); });
  tickAll.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = tickAll.checked; });
    update();
  });
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  update();

  // The crossfade preview: ask for its first byte every second until the task has made it (a redirect means it
  // is in remote storage, there already).
  var preview = document.getElementById("crossfade");
  if (preview) {
    var status = preview.querySelector(".crossfade__status");
    var player = preview.querySelector(".crossfade__audio");
    var tries = 0;
    var check = function () {
      fetch(preview.dataset.src, { headers: { Range: "bytes=0-0" }, redirect: "manual", cache: "no-store" })
        .then(function (response) {
          if (response.ok || response.type === "opaqueredirect") {
            player.src = preview.dataset.src;
            player.hidden = false;
            status.textContent = "Ready: press play.";
            return;
          }
          if (++tries < 90) {
            window.setTimeout(check, 1000);
          } else {
            status.textContent = "The preview is not ready yet. Reload the page to look again.";
          }
        })
        .catch(function () { window.setTimeout(check, 2000); });
    };
    check();
  }
})();
