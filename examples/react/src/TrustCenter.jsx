// <trust-center> as a React component: attributes from props (every one is live: a change
// re-verifies), outcome events from a ref. React mounts and unmounts the element with the route;
// the element cleans up after itself on unmount.
import { useEffect, useRef } from "react";

export function TrustCenter({ manifest, publicKey, theme = "auto", onVerified, onError }) {
  const ref = useRef(null);
  useEffect(() => {
    const element = ref.current;
    const verified = (event) => onVerified?.(event.detail);
    const failed = (event) => onError?.(event.detail);
    element.addEventListener("trust-center:verified", verified);
    element.addEventListener("trust-center:error", failed);
    return () => {
      element.removeEventListener("trust-center:verified", verified);
      element.removeEventListener("trust-center:error", failed);
    };
  }, [onVerified, onError]);
  return <trust-center ref={ref} manifest={manifest} public-key={publicKey} theme={theme} />;
}
