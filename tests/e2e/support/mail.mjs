// The mailbox of the end-to-end tests: the .eml files that the loopback SMTP server
// (crates/intake/tests/support/smtp_server.py, started by scripts/test.sh) stored in E2E_MAILDIR.
// Messages are parsed with Python's standard `email` package, an MIME parser independent of the one
// that wrote them (lettre).

import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const PARSE = `
import email, json, sys
from email import policy
out = []
for name in sys.argv[1:]:
    with open(name, "rb") as f:
        m = email.message_from_binary_file(f, policy=policy.default)
    text = m.get_body(("plain",))
    html = m.get_body(("html",))
    out.append({
        "file": name,
        "envelope_to": str(m["X-Envelope-To"] or ""),
        "subject": str(m["Subject"] or ""),
        "from": str(m["From"] or ""),
        "to": str(m["To"] or ""),
        "message_id": str(m["Message-ID"] or ""),
        "content_type": m.get_content_type(),
        "list_unsubscribe": str(m["List-Unsubscribe"] or ""),
        "list_unsubscribe_post": str(m["List-Unsubscribe-Post"] or ""),
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
    })
print(json.dumps(out))
`;

function maildir() {
  const dir = process.env.E2E_MAILDIR;
  if (!dir) throw new Error("E2E_MAILDIR is not set: run `scripts/test.sh e2e`, which starts the SMTP server");
  return dir;
}

/** Every stored message, oldest first. */
export function readMailbox() {
  const dir = maildir();
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .map((name) => path.join(dir, name));
  if (files.length === 0) return [];
  const python = process.env.E2E_SMTP_PYTHON || "python3";
  return JSON.parse(execFileSync(python, ["-c", PARSE, ...files], { encoding: "utf8" }));
}

/** Waits until a message matching `predicate` has arrived and returns it. */
export async function waitForMail(predicate, { timeout = 20_000, what = "an e-mail" } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = readMailbox().find(predicate);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = readMailbox().map((m) => `${m.envelope_to}: ${m.subject}`);
      throw new Error(`${what} did not arrive within ${timeout} ms; the mailbox has: ${JSON.stringify(seen)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first download link (…/v1/downloads/…) in a text. */
export function downloadLinkIn(text) {
  const match = /https?:\/\/\S+\/v1\/downloads\/[A-Za-z0-9_.-]+/.exec(text);
  if (!match) throw new Error(`no download link in:\n${text}`);
  return match[0];
}
