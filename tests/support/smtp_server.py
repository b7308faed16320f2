#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for tricorder's tests (aiosmtpd).

Usage: smtp_server.py MAILDIR PORT [USER:PASSWORD]

Every accepted message is written to MAILDIR as NNNN.eml, with NNNN.json
beside it holding the envelope (mail_from, rcpt_tos, auth). The file
MAILDIR/mode, if present, changes the answer to DATA: "tempfail" answers
451 (try again later), "permfail" answers 554 (rejected). With USER:PASSWORD,
AUTH PLAIN/LOGIN is offered (over plain text: loopback only) and required.
Prints READY when listening; exits when stdin closes or on SIGTERM.
"""
import asyncio
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, maildir):
        self.maildir = maildir
        self.count = len([f for f in os.listdir(maildir) if f.endswith(".eml")])
        self.lock = threading.Lock()

    def mode(self):
        try:
            with open(os.path.join(self.maildir, "mode")) as f:
                return f.read().strip()
        except FileNotFoundError:
            return "accept"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "tempfail":
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        if mode == "permfail":
            return "554 5.7.1 Message rejected by policy"
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.maildir, "%04d" % n)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "auth": session.auth_data.login.decode() if session.auth_data else None,
                },
                f,
            )
        # The .eml appears last and whole: readers never see half a message.
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 OK queued as %04d" % n


def main():
    maildir, port = sys.argv[1], int(sys.argv[2])
    creds = sys.argv[3] if len(sys.argv) > 3 else None
    os.makedirs(maildir, exist_ok=True)
    kwargs = {}
    if creds:
        user, password = creds.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == user
                and auth_data.password.decode() == password
            )
            return AuthResult(success=ok, auth_data=auth_data if ok else None)

        kwargs = dict(authenticator=authenticator, auth_require_tls=False, auth_required=True)
    controller = Controller(Handler(maildir), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("READY", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
