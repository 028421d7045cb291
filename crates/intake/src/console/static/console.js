// The review console's only script: the passkey ceremonies on the sign-in and enrolment pages
// (WebAuthn needs JavaScript). Every other page works without it. Served as /static/console.js.
"use strict";

(function () {
  const form = document.querySelector("form[data-webauthn]");
  if (!form) return;
  const status = form.querySelector("[data-webauthn-status]");
  const button = form.querySelector("button[type=submit]");

  const toBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  const toText = (buffer) => {
    let binary = "";
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `The server answered ${response.status}.`);
    return data;
  }

  async function enrol() {
    const base = `/enrol/${encodeURIComponent(form.dataset.token)}`;
    const { publicKey } = await post(`${base}/options`, {});
    publicKey.challenge = toBytes(publicKey.challenge);
    publicKey.user.id = toBytes(publicKey.user.id);
    for (const item of publicKey.excludeCredentials || []) item.id = toBytes(item.id);
    const credential = await navigator.credentials.create({ publicKey });
    const response = credential.response;
    return post(`${base}/verify`, {
      credential: {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        extensions: credential.getClientExtensionResults(),
        response: {
          attestationObject: toText(response.attestationObject),
          clientDataJSON: toText(response.clientDataJSON),
          transports: typeof response.getTransports === "function" ? response.getTransports() : undefined,
        },
      },
    });
  }

  async function signIn() {
    const name = form.querySelector("[name=name]").value.trim();
    const { publicKey } = await post("/sign-in/options", { name });
    publicKey.challenge = toBytes(publicKey.challenge);
    for (const item of publicKey.allowCredentials || []) item.id = toBytes(item.id);
    const credential = await navigator.credentials.get({ publicKey });
    const response = credential.response;
    return post("/sign-in/verify", {
      next: form.dataset.next,
      credential: {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        extensions: credential.getClientExtensionResults(),
        response: {
          authenticatorData: toText(response.authenticatorData),
          clientDataJSON: toText(response.clientDataJSON),
          signature: toText(response.signature),
          userHandle: response.userHandle ? toText(response.userHandle) : null,
        },
      },
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!window.PublicKeyCredential) {
      status.textContent = "This browser cannot use passkeys.";
      return;
    }
    button.disabled = true;
    status.textContent = "Waiting for your passkey…";
    try {
      const result = form.dataset.webauthn === "enrol" ? await enrol() : await signIn();
      status.textContent = "Signed in. Opening the console…";
      window.location.assign(result.redirect || "/inbox");
    } catch (error) {
      status.textContent = error && error.name === "NotAllowedError"
        ? "No passkey was used: the prompt was cancelled or timed out, or this device has no passkey for this reviewer name. Check the name and try again."
        : (error && error.message) || "Something went wrong. Try again.";
      button.disabled = false;
    }
  });
})();
