// Progressive enhancement of the export progress page: without this file the page
// reloads itself (a <noscript> refresh). With it, the status is polled and the bar
// moves in place; once the export is finished (or failed) the page is loaded again
// to show the download link.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-export-status-url]");
  if (!box) return;
  const url = box.dataset.exportStatusUrl;
  const interval = (Number(box.dataset.exportInterval) || 2) * 1000;
  const bar = document.getElementById("export-progress");
  const status = document.getElementById("export-status");
  const poll = () => {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((state) => {
        if (!state.active) {
          window.location.reload();
          return;
        }
        bar.value = state.percent;
        bar.textContent = `${state.percent}%`;
        status.textContent = `${state.label} (${state.percent}%)`;
        window.setTimeout(poll, interval);
      })
      .catch(() => window.setTimeout(poll, interval * 2));
  };
  window.setTimeout(poll, interval);
});
