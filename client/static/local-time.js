// Beside each opening or closing time the server wrote in UTC, the same moment in the
// reader's own time zone and language ("(your time: 1 March 2027 at 14:00)"). Computed
// in the browser: the reader's time zone is never sent anywhere. A separate file, not an
// inline script, so that the Content-Security-Policy can forbid inline scripts.
const lang = document.documentElement.lang || undefined;
for (const time of document.querySelectorAll("time[data-local]")) {
  const at = new Date(time.getAttribute("datetime"));
  if (Number.isNaN(at.getTime())) continue;
  let local;
  try {
    local = at.toLocaleString(lang, { dateStyle: "long", timeStyle: "short" });
  } catch {
    local = at.toLocaleString();
  }
  const span = document.createElement("span");
  span.className = "local-time";
  span.textContent = ` (${time.dataset.local}: ${local})`;
  time.after(span);
}
