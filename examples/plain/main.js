// Registers <trust-center> (the package's loader) and reports its outcome next to it.
import "trust-center-widget";

const status = document.getElementById("status");
const widget = document.getElementById("trust");
widget.addEventListener("trust-center:verified", (event) => {
  status.textContent = `Verified: version ${event.detail.version}, signed by ${event.detail.keyIds.join(", ")}`;
});
widget.addEventListener("trust-center:error", (event) => {
  status.textContent = `Not verified (${event.detail.code}): ${event.detail.message}`;
});
