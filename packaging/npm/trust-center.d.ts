// Type declarations for the <trust-center> custom element (trust-center-widget).
// Importing the package registers the element:  import "trust-center-widget";

/** The attributes the widget reads; every one is observed (a change re-verifies). */
export interface TrustCenterAttributes {
  /** URL of the signed DSSE envelope, resolved against the page (required). */
  manifest: string;
  /** One or more base64 Ed25519 public keys, separated by spaces or commas (required). */
  "public-key": string;
  /** How many distinct pinned keys must have signed (default 1). */
  threshold?: string | number;
  /** Language tag of the page (default "en"). */
  lang?: string;
  /** "auto" (default: follows prefers-color-scheme), "light" or "dark". */
  theme?: "auto" | "light" | "dark";
  /** Allow http://127.0.0.1 / localhost links and intake (local development only). Present = on. */
  dev?: boolean | "";
}

/** Where the widget is: the host element's data-state attribute. */
export type TrustCenterState = "loading" | "verified" | "error";

/** detail of the `trust-center:verified` event. */
export interface TrustCenterVerifiedDetail {
  /** The verified manifest's version. */
  version: number;
  /** Key ids (lowercase hex SHA-256 of the raw public key) of the pinned keys that signed. */
  keyIds: string[];
}

/** detail of the `trust-center:error` event. */
export interface TrustCenterErrorDetail {
  /** Stable code, also in data-error-code: e.g. "network", "http_status", "bad_signature",
   *  "untrusted_key", "expired", "config", "bundle_load_failed". */
  code: string;
  /** The headline the widget shows. */
  message: string;
}

export interface TrustCenterEventMap {
  "trust-center:verified": CustomEvent<TrustCenterVerifiedDetail>;
  "trust-center:error": CustomEvent<TrustCenterErrorDetail>;
}

/** The <trust-center> element. */
export interface TrustCenterElement extends HTMLElement {
  /** data-state: loading | verified | error. */
  readonly dataset: DOMStringMap & { state?: TrustCenterState; errorCode?: string };
  addEventListener<K extends keyof TrustCenterEventMap>(
    type: K,
    listener: (this: TrustCenterElement, event: TrustCenterEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: TrustCenterElement, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TrustCenterEventMap>(
    type: K,
    listener: (this: TrustCenterElement, event: TrustCenterEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "trust-center": TrustCenterElement;
  }
  interface HTMLElementEventMap extends TrustCenterEventMap {}
}
