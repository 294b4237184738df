// Small progressive enhancements; every page works without them. No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }
  for (const button of document.querySelectorAll("button[data-tree]")) {
    button.addEventListener("click", () => {
      const open = button.dataset.tree === "expand";
      for (const details of document.querySelectorAll(".tree details")) details.open = open;
    });
  }
  // A tree badge names its explanation (in the legend, once per page); shown on hover.
  const tree = document.querySelector(".tree");
  if (tree) {
    tree.addEventListener("mouseover", (event) => {
      const badge = event.target.closest(".badge[aria-describedby]");
      if (!badge || badge.title) return;
      const explanation = document.getElementById(badge.getAttribute("aria-describedby"));
      if (explanation) badge.title = explanation.textContent;
    });
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
