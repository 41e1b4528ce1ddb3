// Live progress on /library/downloads/: while a job or item is under way, poll the status endpoint every 1.5 s
// and update each item's status, bar and note; when jobs or items appear that the page does not show yet (a
// playlist was read), fetch the page again and swap the list in.
(function () {
  "use strict";
  const list = document.getElementById("download-jobs");
  if (!list) return;
  const INTERVAL = 1500;

  function setItem(node, item) {
    node.className = "download-item download-item--" + item.status;
    const status = node.querySelector("[data-item-status]");
    status.textContent = item.status_label;
    status.className = "download-status download-status--" + item.status;
    const bar = node.querySelector(".download-progress");
    bar.setAttribute("aria-valuenow", item.progress);
    bar.firstElementChild.style.width = item.progress + "%";
    const note = node.querySelector("[data-item-note]");
    if (item.status === "failed") {
      note.innerHTML = "";
      const error = document.createElement("span");
      error.className = "download-error";
      error.textContent = item.error;
      note.appendChild(error);
    } else {
      note.textContent = item.progress + "%";
    }
    if (item.track) node.querySelector(".download-item__title").textContent = item.track;
  }

  async function reloadList() {
    const page = await fetch(location.pathname, { credentials: "same-origin" });
    const html = new DOMParser().parseFromString(await page.text(), "text/html");
    const fresh = html.getElementById("download-jobs");
    if (fresh) list.innerHTML = fresh.innerHTML;
  }

  async function poll() {
    let active = false;
    try {
      const answer = await fetch(list.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!answer.ok) throw new Error(String(answer.status));
      const state = await answer.json();
      active = state.active;
      let missing = false;
      for (const job of state.jobs) {
        const jobNode = list.querySelector('[data-job="' + job.id + '"]');
        if (!jobNode) { missing = true; continue; }
        for (const item of job.items) {
          const node = jobNode.querySelector('[data-item="' + item.id + '"]');
          if (node) setItem(node, item); else missing = true;
        }
        const jobStatus = jobNode.querySelector("[data-job-status]");
        if (job.status !== "done" && jobStatus.textContent !== job.status_label) missing = true;
      }
      if (missing) await reloadList();
    } catch (error) {
      active = true; // a network blip: try again at the next tick
    }
    if (active) setTimeout(poll, INTERVAL);
  }

  if (list.querySelector(".download-item--queued, .download-item--downloading, .download-item--processing, .download-status--queued, .download-status--downloading")) {
    setTimeout(poll, INTERVAL);
  }
})();
