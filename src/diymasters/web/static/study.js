// The study banner's time so far, kept current while the page stays open. Only loaded while
// a session runs; without it the banner shows the minutes as the page was drawn.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const start = document.querySelector(".study-banner time[datetime]");
  const elapsed = document.querySelector(".study-elapsed");
  if (!start || !elapsed) {
    return;
  }
  const began = Date.parse(start.getAttribute("datetime"));
  // As the server writes it (diymasters.study.duration): "45 min", "1 h 30 min", "2 h".
  const duration = (minutes) => {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    if (!hours) {
      return `${rest} min`;
    }
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  };
  const tick = () => {
    elapsed.textContent = duration(Math.max(Math.round((Date.now() - began) / 60000), 0));
  };
  setInterval(tick, 15000);
});
