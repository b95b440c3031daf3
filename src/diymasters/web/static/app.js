// Small improvements only: every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const caption = document.getElementById("venn-caption");
  if (!caption) {
    return;
  }
  const regions = Array.from(document.querySelectorAll(".region"));
  const show = (dot) => {
    const domains = dot.dataset.domains.split(", ");
    const status = dot.dataset.status ? `: ${dot.dataset.status.replace("_", " ")},` : "";
    caption.textContent = `${dot.dataset.title}${status} in ${dot.dataset.domains}`;
    regions.forEach((region) => region.classList.toggle("active", domains.includes(region.dataset.domain)));
    dot.classList.add("active");
  };
  const hide = (dot) => {
    regions.forEach((region) => region.classList.remove("active"));
    dot.classList.remove("active");
  };
  document.querySelectorAll(".dot").forEach((dot) => {
    dot.addEventListener("mouseenter", () => show(dot));
    dot.addEventListener("focus", () => show(dot));
    dot.addEventListener("mouseleave", () => hide(dot));
    dot.addEventListener("blur", () => hide(dot));
  });
});
