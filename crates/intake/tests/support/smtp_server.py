#!/usr/bin/env python3
"""A real SMTP server on the loopback interface for tests and the demo (aiosmtpd).

Every accepted message is stored as one .eml file in --maildir (written to a temporary name, then
renamed, so a reader never sees half a message). Switches make it misbehave on purpose:

  --reply "451 4.3.0 Try again later"   answer DATA with this line instead of 250 (4xx or 5xx)
  --fail-first N                        answer the first N messages with --reply, then accept
  --delay SECONDS                       wait this long before answering DATA (a slow server)
  --tls-cert FILE --tls-key FILE        offer STARTTLS with this certificate and require it
  --auth USER:PASSWORD                  require AUTH (PLAIN/LOGIN) with these credentials
  --web-port PORT                       also serve a page listing the messages on 127.0.0.1

It prints "smtp listening on 127.0.0.1:PORT" once it accepts connections and one line per message.
"""

import argparse
import asyncio
import html
import http.server
import os
import signal
import ssl
import sys
import threading
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.maildir = args.maildir
        self.reply = args.reply
        self.fail_first = args.fail_first
        self.delay = args.delay
        self.seen = 0
        self.stored = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.reply and (self.fail_first is None or self.seen <= self.fail_first):
            # Refused messages are kept too (in refused/), so tests can compare their Message-IDs.
            self.store(os.path.join(self.maildir, "refused"), envelope)
            print(f"smtp refused message {self.seen}: {self.reply}", flush=True)
            return self.reply
        name = self.store(self.maildir, envelope)
        print(f"smtp stored {name} for {', '.join(envelope.rcpt_tos)}", flush=True)
        return "250 2.0.0 Ok: stored " + name

    def store(self, folder, envelope):
        os.makedirs(folder, exist_ok=True)
        self.stored += 1
        name = f"{time.time_ns()}-{self.stored:05d}.eml"
        temporary = os.path.join(folder, "." + name + ".tmp")
        header = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        with open(temporary, "wb") as out:
            out.write(header + envelope.original_content)
            out.flush()
            os.fsync(out.fileno())
        os.rename(temporary, os.path.join(folder, name))
        return name


def authenticator_for(expected):
    user, _, password = expected.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        print(f"smtp auth {mechanism} {'accepted' if ok else 'refused'}", flush=True)
        # handled=False: aiosmtpd itself answers "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=ok, handled=False)

    return authenticate


def serve_listing(maildir, port):
    class Listing(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            names = sorted(n for n in os.listdir(maildir) if n.endswith(".eml"))
            if self.path.startswith("/m/") and self.path[3:] in names:
                with open(os.path.join(maildir, self.path[3:]), "rb") as f:
                    body = f.read()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
            else:
                rows = []
                for name in reversed(names):
                    with open(os.path.join(maildir, name), "rb") as f:
                        mail = message_from_bytes(f.read(), policy=policy.default)
                    part = mail.get_body(("plain",))
                    text = part.get_content() if part else ""
                    rows.append(
                        "<article><h2>{}</h2><p>To {} &middot; {} &middot; <a href=\"/m/{}\">raw</a></p>"
                        "<pre>{}</pre></article>".format(
                            html.escape(str(mail["Subject"])), html.escape(str(mail["To"])),
                            html.escape(str(mail["Date"])), html.escape(name), html.escape(text)))
                style = ("body{font-family:sans-serif;max-width:60em;margin:auto}"
                         "pre{white-space:pre-wrap;background:#f4f4f4;padding:1em}")
                body = ("<!DOCTYPE html><meta charset=utf-8><title>Mail catcher</title><style>" + style
                        + "</style><h1>Mail caught by the demo (" + str(len(rows)) + " messages)</h1>"
                        + ("".join(rows) or "<p>No mail yet.</p>")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Listing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"mail listing on http://127.0.0.1:{port}/", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--reply")
    parser.add_argument("--fail-first", type=int)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth")
    parser.add_argument("--web-port", type=int)
    args = parser.parse_args()
    os.makedirs(args.maildir, exist_ok=True)

    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        options.update(
            authenticator=authenticator_for(args.auth),
            auth_required=True,
            auth_require_tls=bool(args.tls_cert),
        )
    controller = Controller(Handler(args), hostname="127.0.0.1", port=args.port,
                            server_hostname="localhost", ready_timeout=10, **options)
    controller.start()
    print(f"smtp listening on 127.0.0.1:{args.port}", flush=True)
    if args.web_port:
        serve_listing(args.maildir, args.web_port)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
