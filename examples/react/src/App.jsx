// The React example: a single-page app with hash routes; the trust page is one of them.
import { useCallback, useEffect, useState } from "react";

import { TrustCenter } from "./TrustCenter.jsx";

const MANIFEST = import.meta.env.VITE_TRUST_CENTER_MANIFEST ?? "/.well-known/trust-center.json";
// A second envelope to switch to (e.g. a staging one); the example toggles between the two.
const OTHER_MANIFEST = import.meta.env.VITE_TRUST_CENTER_OTHER_MANIFEST ?? MANIFEST;
const PUBLIC_KEY = import.meta.env.VITE_TRUST_CENTER_PUBLIC_KEY ?? "";

function useHashRoute() {
  const [route, setRoute] = useState(() => location.hash || "#/");
  useEffect(() => {
    const changed = () => setRoute(location.hash || "#/");
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

function SecurityPage() {
  const [theme, setTheme] = useState("light");
  const [manifest, setManifest] = useState(MANIFEST);
  const [outcome, setOutcome] = useState("Verifying…");
  const onVerified = useCallback(
    (detail) => setOutcome(`Verified: version ${detail.version}, signed by ${detail.keyIds.join(", ")}`),
    [],
  );
  const onError = useCallback((detail) => setOutcome(`Not verified (${detail.code}): ${detail.message}`), []);
  return (
    <section>
      <h1>Security</h1>
      <p>
        <button type="button" onClick={() => setTheme(theme === "light" ? "dark" : "light")}>
          Theme: {theme}
        </button>{" "}
        <button type="button" onClick={() => setManifest(manifest === MANIFEST ? OTHER_MANIFEST : MANIFEST)}>
          Switch manifest
        </button>
      </p>
      <p id="outcome" role="status">{outcome}</p>
      <TrustCenter manifest={manifest} publicKey={PUBLIC_KEY} theme={theme} onVerified={onVerified} onError={onError} />
    </section>
  );
}

export function App() {
  const route = useHashRoute();
  return (
    <>
      <nav>
        <a href="#/">Home</a> · <a href="#/security">Security</a> · <a href="#/about">About</a>
      </nav>
      <main>
        {route === "#/security" ? (
          <SecurityPage />
        ) : route === "#/about" ? (
          <h1>About us</h1>
        ) : (
          <h1>Welcome</h1>
        )}
      </main>
    </>
  );
}
