// The review page follows the analysis without a reload: it polls the progress endpoint and
// reloads once the analysis has finished (done or failed). No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("#progress[data-poll]");
  if (!box) return;
  const label = box.querySelector(".progress-label");
  const bar = box.querySelector("progress");
  const note = box.querySelector(".analysis-note");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.poll, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        label.textContent = data.progress.label;
        if (note && data.progress.note) {
          note.textContent = data.progress.note; // taken over from a worker that stopped
          note.hidden = false;
        }
        if (bar) {
          bar.max = data.progress.total || 1;
          bar.value = data.progress.current;
        }
        box.dataset.status = data.status;
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped connection is retried on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
});
