// Page object for a page that embeds <trust-center>. Specs talk to the widget through this class
// (and Playwright's role-based locators, which pierce the open shadow root) rather than raw selectors.

/** Widget states the host element reports in its data-state attribute (see the team brief). */
export const STATES = ["loading", "verified", "error"];

export class TrustCenterPage {
  /**
   * @param {import("playwright-core").Page} page
   * @param {string} baseUrl e.g. http://127.0.0.1:PORT/
   */
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    /** The first <trust-center> host element. */
    this.host = page.locator("trust-center").first();
  }

  /** Open a path on the test server (e.g. "/" for the demo page). */
  async goto(path = "/") {
    await this.page.goto(new URL(path, this.baseUrl).href);
    return this;
  }

  /**
   * Open the generic test host with one widget configured by attributes,
   * e.g. { manifest: "/fixtures/valid.json", "public-key": key, dev: "" }.
   */
  async openHost(attributes) {
    const query = new URLSearchParams(attributes).toString();
    return this.goto(`/e2e/host.html?${query}`);
  }

  /** Wait until the host's data-state is `state` (fails with the state actually reached). */
  async waitForState(state, { timeout = 15_000 } = {}) {
    try {
      await this.page.waitForFunction(
        (wanted) => document.querySelector("trust-center")?.getAttribute("data-state") === wanted,
        state,
        { timeout },
      );
    } catch (error) {
      const actual = await this.state();
      const code = await this.errorCode();
      throw new Error(
        `widget did not reach data-state="${state}" within ${timeout} ms ` +
          `(it is "${actual}"${code ? `, data-error-code="${code}"` : ""})`,
        { cause: error },
      );
    }
  }

  /** Wait until the widget leaves "loading" (verified or error) and return that state. */
  async waitForSettled({ timeout = 15_000 } = {}) {
    await this.page.waitForFunction(
      () => {
        const state = document.querySelector("trust-center")?.getAttribute("data-state");
        return state === "verified" || state === "error";
      },
      undefined,
      { timeout },
    );
    return this.state();
  }

  /** Current data-state of the host (or null). */
  async state() {
    return this.host.getAttribute("data-state");
  }

  /** data-error-code of the host when it is in the "error" state. */
  async errorCode() {
    return this.host.getAttribute("data-error-code");
  }

  /** Mode of the host's shadow root: "open", or null if there is none (closed roots are invisible). */
  async shadowRootMode() {
    return this.host.evaluate((element) => element.shadowRoot?.mode ?? null);
  }

  /** Number of element children rendered inside the shadow root. */
  async shadowChildCount() {
    return this.host.evaluate((element) => element.shadowRoot?.querySelectorAll("*").length ?? 0);
  }

  /** Visible text inside the shadow root. */
  async shadowText() {
    return this.host.evaluate((element) => element.shadowRoot?.textContent ?? "");
  }

  /** Whether performance.mark("trust-center:verified") was recorded. */
  async hasVerifiedMark() {
    return this.page.evaluate(
      () => performance.getEntriesByName("trust-center:verified", "mark").length > 0,
    );
  }

  /** Role-based locator inside the widget (Playwright pierces open shadow roots). */
  getByRole(role, options) {
    return this.host.getByRole(role, options);
  }

  getByText(text, options) {
    return this.host.getByText(text, options);
  }
}
