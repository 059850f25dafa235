"""smtp_helper.py - a real SMTP server on loopback for the mail tests
(tests/mail_test.py, tests/inbox_test.py): aiosmtpd in a child process
that stores every message it accepts in a Maildir, with the envelope in
X-MailFrom and X-RcptTo headers."""
import mailbox
import os
import socket
import subprocess
import sys
import time


def python_with_aiosmtpd():
    for py in (sys.executable, "/usr/bin/python3"):
        if py and subprocess.run([py, "-c", "import aiosmtpd"], capture_output=True).returncode == 0:
            return py
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def maildir_messages(path, want, seconds=10):
    deadline = time.time() + seconds
    while True:
        msgs = [m for m in mailbox.Maildir(path, create=False)] if os.path.isdir(os.path.join(path, "new")) else []
        if len(msgs) >= want or time.time() > deadline:
            return msgs
        time.sleep(0.1)


class SmtpServer:
    """aiosmtpd on 127.0.0.1 storing into the Maildir `maildir`:
    `with SmtpServer(maildir, log_path) as s:` gives s.url, or s.url None
    when aiosmtpd is missing or does not start."""

    def __init__(self, maildir, log_path):
        self.maildir, self.log_path = maildir, log_path
        self.proc = self.url = None

    def __enter__(self):
        py = python_with_aiosmtpd()
        if py is None:
            return self
        port = free_port()
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([py, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                                      "-c", "aiosmtpd.handlers.Mailbox", self.maildir],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        if wait_for_port(port, self.proc):
            self.url = f"smtp://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc):
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log.close()
