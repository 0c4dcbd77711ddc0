// Starts the invite-only survey's WebAssembly client. A separate file, not an inline script,
// so that the Content-Security-Policy can forbid inline scripts altogether.
import init from "./invited.js";

init().catch(() => {
  // WebAssembly disabled or the download failed: say so instead of hanging.
  const app = document.getElementById("app");
  const loading = app && app.querySelector(".loading");
  if (loading) loading.hidden = true;
});
