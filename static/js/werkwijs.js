// Progressive enhancement only: every page works without this file.
// After a form post the server redirects to the block just acted on (#block-<id>);
// browsers scroll there but do not always move keyboard focus. Focus the block, so
// the keyboard carries on from it and a screen reader reads its result (role=status).
document.addEventListener("DOMContentLoaded", () => {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (target && target.getAttribute("tabindex") === "-1" && document.activeElement !== target) {
    target.focus();
  }
});
