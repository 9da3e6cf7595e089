// Injected by `diptych serve` only: reloads the page after every rebuild, and lets the error overlay be
// dismissed. It is never part of the built site.
(() => {
  const shown = document.currentScript && document.currentScript.dataset.generation;
  const overlay = document.getElementById("diptych-overlay");
  if (overlay) {
    const dismiss = () => overlay.remove();
    overlay.querySelector("[data-dismiss]").addEventListener("click", dismiss);
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") dismiss(); });
  }
  const events = new EventSource("/__diptych/events");
  // `hello` says which build is current when the page connects (or reconnects after a restart);
  // `reload` comes after every rebuild.
  const check = (e) => { if (e.data !== shown) location.reload(); };
  events.addEventListener("hello", check);
  events.addEventListener("reload", check);
})();
