#!/usr/bin/env python3
"""mail_test.py - end-to-end tests of `reportgen reply`.

Usage: python3 tests/mail_test.py build/reportgen

Builds the sample report, composes replies to samples/verzoek.eml and to the
hostile requests in tests/mail/*.eml, parses them back with Python's email
package (an independent reader) and checks every header, the MIME structure
and the attachment's bytes; then sends a reply to a real SMTP server
(aiosmtpd on 127.0.0.1) and through a stand-in sendmail. Ends with
"N passed, N failed" and a non-zero exit status on failure.
"""
import email
import email.policy
import email.utils
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

from smtp_helper import free_port, maildir_messages, python_with_aiosmtpd, wait_for_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_DEF = os.path.join(ROOT, "samples", "viermaandsrapportage-2023-T1.xml")
REQUEST = os.path.join(ROOT, "samples", "verzoek.eml")
HOSTILE = os.path.join(ROOT, "tests", "mail")
SDE = "1684230000"                       # 2023-05-16 09:40:00 UTC
OWN = "communicatie@logius.nl"
ARCHIVE = "archief@logius.nl"            # --bcc
TIMEOUT = 120                            # seconds for one reportgen run

passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name}" + (f": {detail}" if detail else ""), file=sys.stderr)
    return cond


def run(args, env_extra=None, sde=True, timeout=TIMEOUT):
    env = dict(os.environ)
    env.pop("REPORTGEN_SMTP_USER", None)
    env.pop("REPORTGEN_SMTP_PASSWORD", None)
    env.pop("REPORTGEN_SENDMAIL", None)
    if sde:
        env["SOURCE_DATE_EPOCH"] = SDE
    else:
        env.pop("SOURCE_DATE_EPOCH", None)
    env.update(env_extra or {})
    p = subprocess.run([RG] + args, cwd=ROOT, env=env, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def addresses(msg, header="To"):
    h = msg[header]
    return sorted(a.addr_spec.lower() for a in h.addresses) if h is not None else []


def wire_ok(name, raw):
    """CRLF everywhere, no line over 998 octets, headers in ASCII."""
    check(f"{name}: not empty", len(raw) > 0)
    check(f"{name}: ends with CRLF", raw.endswith(b"\r\n"))
    check(f"{name}: no bare LF", re.search(rb"(?<!\r)\n", raw) is None)
    check(f"{name}: no bare CR", re.search(rb"\r(?!\n)", raw) is None)
    longest = max((len(line) for line in raw.split(b"\r\n")), default=0)
    check(f"{name}: lines <= 998 octets", longest <= 998, f"longest {longest}")
    head = raw.split(b"\r\n\r\n", 1)[0]
    check(f"{name}: headers are ASCII", all(b < 0x80 for b in head))
    # no header may be injected: every header line starts a known field or folds
    names = [ln.split(b":", 1)[0].lower() for ln in head.split(b"\r\n") if ln and ln[:1] not in b" \t"]
    allowed = {b"date", b"from", b"to", b"subject", b"message-id", b"in-reply-to",
               b"references", b"auto-submitted", b"mime-version", b"content-type"}
    check(f"{name}: only the reply's own headers", set(names) <= allowed, repr(names))
    check(f"{name}: no Cc/Bcc", b"\r\nbcc:" not in raw.lower() and b"\r\ncc:" not in head.lower())


def structure_ok(name, msg, pdf, filename):
    check(f"{name}: MIME-Version 1.0", msg["MIME-Version"] == "1.0")
    check(f"{name}: multipart/mixed", msg.get_content_type() == "multipart/mixed")
    parts = list(msg.iter_parts()) if msg.is_multipart() else []
    if not check(f"{name}: two parts", len(parts) == 2, str(len(parts))):
        return
    text, att = parts
    check(f"{name}: body text/plain", text.get_content_type() == "text/plain")
    check(f"{name}: body charset utf-8", text.get_content_charset() == "utf-8")
    check(f"{name}: body quoted-printable",
          text["Content-Transfer-Encoding"] == "quoted-printable")
    check(f"{name}: body is not an attachment", not text.is_attachment())
    check(f"{name}: attachment application/pdf", att.get_content_type() == "application/pdf")
    check(f"{name}: attachment base64", att["Content-Transfer-Encoding"] == "base64")
    check(f"{name}: disposition attachment", att.get_content_disposition() == "attachment")
    check(f"{name}: attachment filename", att.get_filename() == filename,
          repr(att.get_filename()))
    check(f"{name}: attachment bytes == the PDF", att.get_payload(decode=True) == pdf)


# ------------------------------------------------------------------ the sample

def test_sample(pdf_path, pdf):
    rc, out, err = run(["reply", REQUEST, "--attach", pdf_path])
    if not check("sample: exit 0", rc == 0, err):
        return
    check("sample: no warnings", err == "", err)
    wire_ok("sample", out)
    msg = parse(out)
    to = msg["To"].addresses
    check("sample: To = Reply-To only", [a.addr_spec for a in to] == ["s.devries@werk.voorbeeld.nl"],
          str(msg["To"]))
    check("sample: To keeps the display name", to and to[0].display_name == "Sanne de Vries")
    fr = msg["From"].addresses
    check("sample: From", len(fr) == 1 and fr[0].addr_spec == OWN and fr[0].display_name == "Logius",
          str(msg["From"]))
    check("sample: Subject",
          msg["Subject"] == "Re: Verzoek om de volledige Viermaandsrapportage januari\u2013april 2023 (\u00e9\u00e9n pdf)",
          msg["Subject"])
    raw_subject = re.search(rb"\r\nSubject:(.*?)\r\n(?![ \t])", out, re.S)
    check("sample: Subject is RFC 2047 encoded", raw_subject and b"=?" in raw_subject.group(1)
          and b"?=" in raw_subject.group(1))
    check("sample: In-Reply-To", msg["In-Reply-To"] == "<20230516094102.7f3c2a1b@mail.voorbeeld-mail.nl>",
          str(msg["In-Reply-To"]))
    refs = str(msg["References"]).split()
    check("sample: References = request's References + Message-ID", refs == [
        "<8d1f8f2e-0b7a-4a44-93a8-2a6a1e5c9f10@mail.voorbeeld-mail.nl>",
        "<a81c0e55-2d4f-4c8e-9b1a-4e0f7d2b6c31@logius.nl>",
        "<20230516094102.7f3c2a1b@mail.voorbeeld-mail.nl>"], str(refs))
    check("sample: Message-ID format",
          re.fullmatch(r"<[0-9a-f]{32}@logius\.nl>", str(msg["Message-ID"])) is not None,
          str(msg["Message-ID"]))
    date = email.utils.parsedate_to_datetime(str(msg["Date"]))
    check("sample: Date = SOURCE_DATE_EPOCH", int(date.timestamp()) == int(SDE), str(msg["Date"]))
    check("sample: no Auto-Submitted unless asked", msg["Auto-Submitted"] is None)
    structure_ok("sample", msg, pdf, os.path.basename(pdf_path))
    body = msg.get_body(("plain",)).get_content()
    check("sample: Dutch body text", "Hartelijk dank voor uw verzoek" in body and
          "Viermaandsrapportage" in body and "Met vriendelijke groet" in body, body)
    # the text lives in one place: the shipped Dutch template, without its
    # {?period ...} part (reply knows no period)
    shipped = open(os.path.join(ROOT, "mail", "antwoord-nl.txt"), encoding="utf-8").read()
    check("sample: the body is mail/antwoord-nl.txt with no period",
          body.replace("\r\n", "\n") == re.sub(r"\{\?period [^{}]*\{period\}\}", "", shipped), repr(body))
    rc3, _, err3 = run(["reply", REQUEST, "--attach", pdf_path],
                       env_extra={"REPORTGEN_DATADIR": os.path.join(ROOT, "no-such-data")})
    check("sample: without the shipped text: exit 66, names the file",
          rc3 == 66 and "antwoord-nl.txt" in err3 and "--body-file" in err3, f"{rc3} {err3}")

    rc2, out2, _ = run(["reply", REQUEST, "--attach", pdf_path])
    check("sample: same inputs + SOURCE_DATE_EPOCH = same bytes", rc2 == 0 and out2 == out)

    rc3, out3, _ = run(["reply", REQUEST, "--attach", pdf_path], sde=False)
    rc4, out4, _ = run(["reply", REQUEST, "--attach", pdf_path], sde=False)
    if check("sample without SOURCE_DATE_EPOCH: exit 0", rc3 == 0 and rc4 == 0):
        m3, m4 = parse(out3), parse(out4)
        check("sample without SOURCE_DATE_EPOCH: fresh random Message-ID",
              m3["Message-ID"] != m4["Message-ID"] and
              re.fullmatch(r"<[0-9a-f]{32}@logius\.nl>", str(m3["Message-ID"])) is not None)
        d = email.utils.parsedate_to_datetime(str(m3["Date"]))
        check("sample without SOURCE_DATE_EPOCH: Date is now", abs(d.timestamp() - time.time()) < 600)
        wire_ok("sample (random)", out3)

    rc, out, err = run(["reply", REQUEST, "--attach", pdf_path, "--auto-submitted"])
    if check("--auto-submitted: exit 0", rc == 0, err):
        check("--auto-submitted: Auto-Submitted: auto-replied",
              parse(out)["Auto-Submitted"] == "auto-replied")


def test_options(tmp, pdf_path, pdf):
    body_file = os.path.join(tmp, "tekst.txt")
    with open(body_file, "w", encoding="utf-8") as f:
        f.write("Beste mevrouw De Vries,\r\n\r\nHierbij de rapportage \u2013 \u00e9\u00e9n pdf.\r\n\r\nGroet,\r\nTeam Co\u00f6rdinatie\r\n")
    name = "Viermaandsrapportage januari\u2013april 2023.pdf"
    rc, out, err = run(["reply", REQUEST, "--attach", pdf_path, "--from", "Team Co\u00f6rdinatie <team@rapportage.example.nl>",
                        "--body-file", body_file, "--subject-prefix", "Antw:", "--attach-name", name])
    if check("options: exit 0", rc == 0, err):
        wire_ok("options", out)
        msg = parse(out)
        fr = msg["From"].addresses
        check("--from: address and name", len(fr) == 1 and fr[0].addr_spec == "team@rapportage.example.nl"
              and fr[0].display_name == "Team Co\u00f6rdinatie", str(msg["From"]))
        check("--from: Message-ID in the From's domain",
              str(msg["Message-ID"]).endswith("@rapportage.example.nl>"))
        check("--subject-prefix", msg["Subject"].startswith("Antw: Verzoek om de volledige"), msg["Subject"])
        body = msg.get_body(("plain",)).get_content()
        check("--body-file: UTF-8 text", "Hierbij de rapportage \u2013 \u00e9\u00e9n pdf." in body and
              "Team Co\u00f6rdinatie" in body, repr(body))
        structure_ok("--attach-name", msg, pdf, name)
        check("--attach-name: RFC 2231 filename*=UTF-8''", b"filename*=UTF-8''" in out or
              b"filename*=utf-8''" in out)

    out_file = os.path.join(tmp, "antwoord.eml")
    rc, out, err = run(["reply", REQUEST, "--attach", pdf_path, "-o", out_file])
    check("-o: exit 0, nothing on stdout", rc == 0 and out == b"", err)
    rc2, out2, _ = run(["reply", REQUEST, "--attach", pdf_path])
    check("-o: file = what stdout gets", os.path.exists(out_file) and open(out_file, "rb").read() == out2)
    check("-o: no temporary files left", sorted(os.listdir(tmp)) == ["antwoord.eml", "r.pdf", "tekst.txt"],
          str(os.listdir(tmp)))

    # failures: usage 64, missing files 66, data 65, unwritable 73
    cases = [
        ("no arguments", ["reply"], 64),
        ("unknown option", ["reply", REQUEST, "--attach", pdf_path, "--bogus"], 64),
        ("no --attach/--build", ["reply", REQUEST], 64),
        ("both --attach and --build", ["reply", REQUEST, "--attach", pdf_path, "--build", SAMPLE_DEF], 64),
        ("-o and --smtp", ["reply", REQUEST, "--attach", pdf_path, "-o", out_file, "--smtp", "smtp://127.0.0.1:1"], 64),
        ("--smtp-credentials without --smtp", ["reply", REQUEST, "--attach", pdf_path, "--smtp-credentials", body_file], 64),
        ("--from not an address", ["reply", REQUEST, "--attach", pdf_path, "--from", "Logius"], 64),
        ("--from with two addresses", ["reply", REQUEST, "--attach", pdf_path, "--from", "a@x.example, b@y.example"], 64),
        ("--smtp not an SMTP URL", ["reply", REQUEST, "--attach", pdf_path, "--smtp", "http://127.0.0.1/"], 64),
        ("--smtp with credentials in the URL", ["reply", REQUEST, "--attach", pdf_path, "--smtp", "smtp://u:p@127.0.0.1:1"], 64),
        ("request missing", ["reply", os.path.join(tmp, "nope.eml"), "--attach", pdf_path], 66),
        ("attachment missing", ["reply", REQUEST, "--attach", os.path.join(tmp, "nope.pdf")], 66),
        ("body file missing", ["reply", REQUEST, "--attach", pdf_path, "--body-file", os.path.join(tmp, "nope.txt")], 66),
        ("attachment not a PDF", ["reply", REQUEST, "--attach", REQUEST], 65),
        ("output folder missing", ["reply", REQUEST, "--attach", pdf_path, "-o", os.path.join(tmp, "no", "dir", "x.eml")], 73),
        ("output is a folder", ["reply", REQUEST, "--attach", pdf_path, "-o", tmp], 73),
    ]
    for name, args, want in cases:
        rc, out, err = run(args)
        check(f"{name}: exit {want}", rc == want, f"got {rc}: {err.strip()}")
        check(f"{name}: a message on stderr", err.strip() != "")
        check(f"{name}: nothing on stdout", out == b"")
    check("failed runs leave no files", sorted(os.listdir(tmp)) == ["antwoord.eml", "r.pdf", "tekst.txt"],
          str(os.listdir(tmp)))
    rc, out, err = run(["reply", "--help"])
    check("--help: exit 0 with usage", rc == 0 and b"usage: reportgen reply" in out and b"--smtp" in out)

    # a failing run over an existing reply keeps the old one
    before = open(out_file, "rb").read()
    rc, _, _ = run(["reply", os.path.join(HOSTILE, "no-sender.eml"), "--attach", pdf_path, "-o", out_file])
    check("failed run keeps the previous -o file", rc == 65 and open(out_file, "rb").read() == before)

    # credentials file permissions
    cred = os.path.join(tmp, "smtp-cred")
    with open(cred, "w") as f:
        f.write("gebruiker\ngeheim\n")
    os.chmod(cred, 0o644)
    rc, out, err = run(["reply", REQUEST, "--attach", pdf_path, "--smtp", "smtp://127.0.0.1:1",
                        "--smtp-credentials", cred])
    check("credentials readable by others: exit 64", rc == 64, f"{rc} {err}")
    check("credentials readable by others: says so", "chmod 600" in err, err)
    os.unlink(cred)
    rc, _, err = run(["reply", REQUEST, "--attach", pdf_path, "--smtp", "smtp://127.0.0.1:1",
                      "--smtp-credentials", cred])
    check("credentials file missing: exit 66", rc == 66, f"{rc} {err}")
    rc, _, err = run(["reply", REQUEST, "--attach", pdf_path, "--smtp", "smtp://127.0.0.1:1"],
                     env_extra={"REPORTGEN_SMTP_USER": "u"})
    check("REPORTGEN_SMTP_USER without password: exit 64", rc == 64, f"{rc} {err}")


# ------------------------------------------------------------- hostile requests

# file -> (exit code, the only recipients allowed, expected stderr fragment)
HOSTILE_CASES = {
    "crlf-injection-reply-to.eml": (0, ["jan@burger.example"], "header injection"),
    "crlf-injection-from.eml": (65, None, "crlf-injection-from.eml:2: error:"),
    "folded-injection.eml": (0, ["jan@burger.example"], "answering From instead"),
    "encoded-crlf-name.eml": (0, ["jan@burger.example"], ""),
    "display-name-address.eml": (0, ["evil@x.example"], ""),
    "display-name-quoted.eml": (0, ["jan@burger.example"], ""),
    "encoded-angle-name.eml": (0, ["jan@burger.example"], ""),
    "encoded-raw-angle-reply-to.eml": (0, ["jan@burger.example"], "answering From instead"),
    "two-angle-addrs.eml": (65, None, "two-angle-addrs.eml:2: error:"),
    "group-reply-to.eml": (0, ["jan@burger.example"], "answering From instead"),
    "multiple-from.eml": (65, None, "more than one From"),
    "own-address.eml": (65, None, "mail loop"),
    "bad-address.eml": (65, None, "not a usable address"),
    "too-many-reply-to.eml": (0, ["jan@burger.example"], "more than 10"),
    "no-message-id.eml": (0, ["jan@burger.example"], ""),
    "huge-references.eml": (0, ["jan@burger.example"], ""),
    "reply-prefixes.eml": (0, ["jan@burger.example"], ""),
    "no-subject.eml": (0, ["jan@burger.example"], ""),
    "long-subject.eml": (0, ["jan@burger.example"], ""),
    "latin1-subject.eml": (0, ["renee@burger.example"], ""),
    "auto-submitted.eml": (0, ["jan@burger.example"], ""),
    "no-sender.eml": (65, None, "no-sender.eml: error: no sender address"),
    "not-a-message.eml": (65, None, "not a mail message"),
    "empty.eml": (65, None, "empty.eml: error: empty file"),
    "binary.eml": (65, None, "not a mail message"),
    "binary-header.eml": (65, None, "binary-header.eml:2: error: not a mail message"),
}


def test_hostile(pdf_path, pdf):
    files = sorted(f for f in os.listdir(HOSTILE) if f.endswith(".eml"))
    check("every hostile file has an expectation", set(files) == set(HOSTILE_CASES),
          str(set(files) ^ set(HOSTILE_CASES)))
    for f in files:
        if f not in HOSTILE_CASES:
            continue
        want_rc, want_to, want_err = HOSTILE_CASES[f]
        rc, out, err = run(["reply", os.path.join("tests", "mail", f), "--attach", pdf_path])
        check(f"{f}: exit {want_rc}", rc == want_rc, f"got {rc}: {err.strip()}")
        if want_err:
            check(f"{f}: message", want_err in err, err.strip())
        if want_rc != 0:
            check(f"{f}: nothing on stdout", out == b"")
            continue
        if rc != 0:
            continue
        wire_ok(f, out)
        msg = parse(out)
        check(f"{f}: goes only to the real address", addresses(msg) == want_to,
              f"{addresses(msg)} from {msg['To']}")
        to_text = str(msg["To"]).lower()
        check(f"{f}: no smuggled address in To", "evil" not in to_text or want_to == ["evil@x.example"])
        check(f"{f}: never to ourselves", OWN not in to_text, to_text)
        raw_to = re.search(rb"\r\nTo:(.*?)\r\n(?![ \t])", b"\r\n" + out, re.S)
        check(f"{f}: raw To names one address per recipient",
              raw_to is not None and raw_to.group(1).count(b"@") == len(want_to), repr(raw_to and raw_to.group(1)))
        structure_ok(f, msg, pdf, os.path.basename(pdf_path))
        if f == "encoded-crlf-name.eml":
            check(f"{f}: the tricky display name is dropped", msg["To"].addresses[0].display_name == "")
        if f == "display-name-address.eml":
            check(f"{f}: the address-like display name is dropped", OWN not in str(msg["To"]))
        if f == "display-name-quoted.eml":
            check(f"{f}: the display name with <...> is dropped", "boss" not in str(msg["To"]))
        if f == "no-message-id.eml":
            check(f"{f}: no In-Reply-To", msg["In-Reply-To"] is None)
            check(f"{f}: no References", msg["References"] is None)
            check(f"{f}: still a fresh Message-ID", re.fullmatch(r"<[0-9a-f]{32}@logius\.nl>", str(msg["Message-ID"])) is not None)
        if f == "huge-references.eml":
            refs = str(msg["References"]).split()
            check(f"{f}: References capped at 20", len(refs) == 20, str(len(refs)))
            check(f"{f}: keeps the first id", refs[0] == "<ref00000.thread@burger.example>", refs[0])
            check(f"{f}: keeps the latest ids", refs[-2:] == ["<ref04999.thread@burger.example>", "<huge1@burger.example>"],
                  str(refs[-2:]))
            check(f"{f}: In-Reply-To", msg["In-Reply-To"] == "<huge1@burger.example>")
        if f == "reply-prefixes.eml":
            check(f"{f}: one Re:", msg["Subject"] == "Re: Vraag over de rapportage", msg["Subject"])
            check(f"{f}: References = Message-ID", str(msg["References"]) == "<pref1@burger.example>")
        if f == "no-subject.eml":
            check(f"{f}: Re: Viermaandsrapportage", msg["Subject"] == "Re: Viermaandsrapportage", msg["Subject"])
        if f == "long-subject.eml":
            check(f"{f}: shortened to 200 characters", msg["Subject"] == "Re: " + "\u00fc" * 200 + "\u2026",
                  msg["Subject"][:20])
        if f == "latin1-subject.eml":
            check(f"{f}: subject decoded", msg["Subject"] == "Re: Rapportage \u00e9\u00e9n keer", msg["Subject"])
    rc, out, err = run(["reply", os.path.join("tests", "mail", "auto-submitted.eml"), "--attach", pdf_path,
                        "--auto-submitted"])
    check("auto-submitted.eml with --auto-submitted: exit 65 (RFC 3834)", rc == 65 and "RFC 3834" in err,
          f"{rc} {err}")


# ----------------------------------------------------------------- delivery

def test_smtp(tmp, pdf_path, pdf):
    py = python_with_aiosmtpd()
    if not check("aiosmtpd is installed (python3-aiosmtpd)", py is not None):
        return
    port = free_port()
    maildir = os.path.join(tmp, "maildir")
    log = open(os.path.join(tmp, "aiosmtpd.log"), "wb")
    server = subprocess.Popen([py, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Mailbox", maildir],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        if not check("SMTP server starts", wait_for_port(port, server)):
            return
        url = f"smtp://127.0.0.1:{port}"
        rc, out, err = run(["reply", REQUEST, "--attach", pdf_path, "--smtp", url])
        check("--smtp: exit 0", rc == 0, err)
        check("--smtp: nothing on stderr", err == "", err)
        check("--smtp: nothing on stdout", out == b"")
        msgs = maildir_messages(maildir, 1)
        if check("--smtp: one message arrived", len(msgs) == 1, str(len(msgs))):
            got = parse(msgs[0].as_bytes())
            check("--smtp: MAIL FROM = From", got["X-MailFrom"] == OWN, str(got["X-MailFrom"]))
            check("--smtp: RCPT TO = To", got["X-RcptTo"] == "s.devries@werk.voorbeeld.nl", str(got["X-RcptTo"]))
            att = [p for p in got.iter_attachments()]
            check("--smtp: received attachment bytes == the PDF",
                  len(att) == 1 and att[0].get_payload(decode=True) == pdf)
            check("--smtp: Subject survives", got["Subject"].startswith("Re: Verzoek om de volledige"))
        # a hostile request: the envelope names only the real address
        rc, _, err = run(["reply", os.path.join("tests", "mail", "crlf-injection-reply-to.eml"),
                          "--attach", pdf_path, "--smtp", url])
        check("--smtp hostile: exit 0", rc == 0, err)
        msgs = maildir_messages(maildir, 2)
        rcpts = sorted(str(m["X-RcptTo"]) for m in msgs)
        check("--smtp hostile: RCPT TO only the real address",
              rcpts == ["jan@burger.example", "s.devries@werk.voorbeeld.nl"], str(rcpts))
        # --bcc: one more RCPT TO, and the message names it nowhere
        rc, _, err = run(["reply", REQUEST, "--attach", pdf_path, "--smtp", url, "--bcc", ARCHIVE])
        check("--smtp --bcc: exit 0", rc == 0, err)
        msgs = [m for m in maildir_messages(maildir, 3) if ARCHIVE in str(m["X-RcptTo"])]
        if check("--smtp --bcc: the archive address is a recipient", len(msgs) == 1):
            check("--smtp --bcc: RCPT TO the requester and the archive",
                  str(msgs[0]["X-RcptTo"]) == f"s.devries@werk.voorbeeld.nl, {ARCHIVE}",
                  str(msgs[0]["X-RcptTo"]))
            raw = msgs[0].as_bytes()
            body = b"\n".join(l for l in raw.split(b"\n") if not l.startswith(b"X-RcptTo:"))
            check("--smtp --bcc: no Bcc header", msgs[0]["Bcc"] is None)
            check("--smtp --bcc: the archive address is nowhere in the message",
                  ARCHIVE.encode() not in body)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
    # nobody listens any more: a clear failure, not a hang
    rc, out, err = run(["reply", REQUEST, "--attach", pdf_path, "--smtp", f"smtp://127.0.0.1:{port}"], timeout=60)
    check("--smtp to a closed port: exit 75 (worth a retry)", rc == 75, f"{rc} {err}")
    check("--smtp to a closed port: says why", "SMTP" in err, err)


class FakeSMTP:
    """A scripted SMTP server in a thread: each reply and how long it takes
    can be set per command, so that a server that refuses, hesitates or never
    answers is a few lines of a test. replies maps a verb (GREETING, EHLO,
    AUTH, MAIL, RCPT, DATA, EOD for the end of DATA, QUIT) to its reply;
    delays maps a verb to seconds before the reply (NEVER: no reply at all;
    CLOSE: the connection closed instead of a reply).
    heard keeps every command line; messages counts the message bodies that
    were received in full."""
    NEVER = -1
    CLOSE = -2
    REPLIES = {"GREETING": "220 fake.example ESMTP", "EHLO": "250-fake.example\r\n250 AUTH PLAIN",
               "HELO": "250 fake.example", "AUTH": "235 2.7.0 ok", "MAIL": "250 2.1.0 ok",
               "RCPT": "250 2.1.5 ok", "DATA": "354 go ahead", "EOD": "250 2.0.0 queued",
               "RSET": "250 ok", "NOOP": "250 ok", "QUIT": "221 bye"}

    def __init__(self, replies=None, delays=None, host="127.0.0.1"):
        self.replies = dict(self.REPLIES, **(replies or {}))
        self.delays = delays or {}
        self.heard, self.messages = [], 0
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
        self.sock.close()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _answer(self, conn, verb):
        delay = self.delays.get(verb, 0)
        if delay == self.CLOSE:
            return False                # the session's `with conn` closes it
        if delay == self.NEVER:
            self.stop.wait()
            return False
        if delay:
            self.stop.wait(delay)
        conn.sendall(self.replies.get(verb, "502 5.5.1 unknown command").encode() + b"\r\n")
        return True

    def _session(self, conn):
        with conn, conn.makefile("rb") as f:
            try:
                if not self._answer(conn, "GREETING"):
                    return
                for line in f:
                    cmd = line.decode("ascii", "replace").strip()
                    self.heard.append(cmd)
                    verb = re.split(r"[ :]", cmd, 1)[0].upper()
                    if verb == "AUTH" and len(cmd.split()) == 2:   # no initial response: ask for it
                        conn.sendall(b"334 \r\n")
                        self.heard.append(f.readline().decode("ascii", "replace").strip())
                    if not self._answer(conn, verb):
                        return
                    if verb == "DATA" and self.replies["DATA"].startswith("354"):
                        for body_line in f:
                            if body_line == b".\r\n":
                                break
                        else:
                            return
                        self.messages += 1
                        if not self._answer(conn, "EOD"):
                            return
                    if verb == "QUIT":
                        return
            except OSError:
                return


def smtp_run(pdf_path, port, host="127.0.0.1", env_extra=None, timeout=60):
    return run(["reply", REQUEST, "--attach", pdf_path, "--smtp", f"smtp://{host}:{port}"],
               env_extra=env_extra, timeout=timeout)


def test_smtp_failures(pdf_path):
    """A 4xx reply is worth a retry (exit 75), a 5xx one is not (69); the
    message says which."""
    cases = [
        ("RCPT 451", {"RCPT": "451 4.3.0 try again later"}, 75),
        ("RCPT 550", {"RCPT": "550 5.1.1 no such user"}, 69),
        ("MAIL 421", {"MAIL": "421 4.3.2 shutting down"}, 75),
        ("DATA 451", {"DATA": "451 4.3.0 try again later"}, 75),
        ("DATA 554", {"DATA": "554 5.7.1 no"}, 69),
        ("end of DATA 452", {"EOD": "452 4.3.1 mailbox full"}, 75),
        ("end of DATA 550", {"EOD": "550 5.7.1 rejected as spam"}, 69),
    ]
    for name, replies, want in cases:
        with FakeSMTP(replies) as server:
            rc, out, err = smtp_run(pdf_path, server.port)
        check(f"--smtp, {name}: exit {want}", rc == want, f"{rc} {err}")
        check(f"--smtp, {name}: names the reply", name.split()[-1] in err, err)
        check(f"--smtp, {name}: says whether to retry",
              ("try again later" if want == 75 else "will not help") in err, err)
    rc, out, _ = run(["reply", "--help"])
    check("--help: says which exit codes are worth a retry",
          rc == 0 and b"75  a temporary failure" in out and b"will not help" in out)


SCALE = {"REPORTGEN_SMTP_TIMEOUT_SCALE": "0.01"}   # test hook: 3 s for a reply, 6 s for the end of DATA


def timed_smtp_run(pdf_path, server, seconds=40):
    t0 = time.time()
    try:
        rc, out, err = smtp_run(pdf_path, server.port, env_extra=SCALE, timeout=seconds)
    except subprocess.TimeoutExpired:
        rc, out, err = None, b"", f"still running after {seconds} s (killed)"
    return rc, err, time.time() - t0


def test_smtp_timeouts(pdf_path):
    """RFC 5321 §4.5.3.2, shortened a hundredfold: a reply may take 5 minutes
    (3 s here), the one to the end of DATA 10 (6 s)."""
    with FakeSMTP(delays={"EOD": 4.5}) as server:
        rc, err, took = timed_smtp_run(pdf_path, server)
        check("--smtp, end of DATA answered after 4.5 s (> 3, < 6): exit 0", rc == 0, f"{rc} {err}")
        check("--smtp, end of DATA answered late: sent once", server.messages == 1, str(server.messages))
    with FakeSMTP(delays={"MAIL": 4.5}) as server:
        rc, err, took = timed_smtp_run(pdf_path, server)
        check("--smtp, MAIL answered after 4.5 s (> 3): exit 75", rc == 75, f"{rc} {err}")
        check("--smtp, MAIL answered late: says what it waited for", "reply to MAIL within 3 s" in err, err)
    with FakeSMTP(delays={"GREETING": FakeSMTP.NEVER}) as server:
        rc, err, took = timed_smtp_run(pdf_path, server)
        check("--smtp, no greeting: exit 75", rc == 75, f"{rc} {err}")
        check("--smtp, no greeting: says so", "greeting" in err, err)
        check("--smtp, no greeting: gives up after the reply timeout", 2.5 < took < 10, f"{took:.1f} s")
    with FakeSMTP(delays={"EOD": FakeSMTP.NEVER}) as server:
        rc, err, took = timed_smtp_run(pdf_path, server)
        check("--smtp, end of DATA never answered: exit 75", rc == 75, f"{rc} {err}")
        check("--smtp, end of DATA never answered: warns of a double send",
              "end of DATA within 6 s" in err and "twice" in err, err)
        check("--smtp, end of DATA never answered: gives up after the DATA timeout", 5.5 < took < 13,
              f"{took:.1f} s")
    with FakeSMTP(delays={"QUIT": FakeSMTP.NEVER}) as server:
        rc, err, took = timed_smtp_run(pdf_path, server)
        check("--smtp, QUIT never answered after delivery: exit 0", rc == 0, f"{rc} {err}")
        check("--smtp, QUIT never answered: waits no longer than a reply's time", took < 8, f"{took:.1f} s")
    for bad in ("2", "0", "x"):
        rc, _, err = run(["reply", REQUEST, "--attach", pdf_path, "--smtp", "smtp://127.0.0.1:1"],
                         env_extra={"REPORTGEN_SMTP_TIMEOUT_SCALE": bad})
        check(f"REPORTGEN_SMTP_TIMEOUT_SCALE={bad}: exit 64", rc == 64 and "REPORTGEN_SMTP_TIMEOUT_SCALE" in err,
              f"{rc} {err}")


CREDENTIALS = {"REPORTGEN_SMTP_USER": "gebruiker", "REPORTGEN_SMTP_PASSWORD": "geheim"}


def non_loopback_address():
    """An IPv4 address of this machine that is not a loopback one, or None."""
    try:
        out = subprocess.run(["ip", "-4", "-o", "addr", "show", "scope", "global"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"\binet (\d+\.\d+\.\d+\.\d+)/", out)
    return m.group(1) if m else None


def run_with_hosts(tmp, hosts_line, args, env_extra):
    """Runs reportgen in a private mount namespace whose /etc/hosts is one line
    (the real one is never touched); None when namespaces are not allowed."""
    hosts = os.path.join(tmp, "hosts")
    with open(hosts, "w") as f:
        f.write(hosts_line + "\n")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/hosts', hosts],
                           capture_output=True)
    if probe.returncode != 0:
        return None
    env = dict(os.environ, SOURCE_DATE_EPOCH=SDE, **env_extra)
    p = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"', hosts,
                        RG] + args, cwd=ROOT, env=env, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def heard_auth(server):
    return any(h.upper().startswith("AUTH") for h in server.heard)


def test_smtp_loopback(tmp, pdf_path):
    """A password goes without TLS only to a loopback *address*: a name is
    resolved first, and every address it has must be this machine's."""
    with FakeSMTP() as server:
        rc, _, err = smtp_run(pdf_path, server.port, host="localhost", env_extra=CREDENTIALS)
        check("--smtp localhost with a password, no STARTTLS: exit 0", rc == 0, f"{rc} {err}")
        check("--smtp localhost: AUTH without TLS (loopback)", heard_auth(server), str(server.heard))
    t0 = time.time()
    rc, _, err = smtp_run(pdf_path, 25, host="nowhere.invalid", env_extra=CREDENTIALS)
    check("--smtp to a name that does not resolve: exit 69", rc == 69, f"{rc} {err}")
    check("--smtp to a name that does not resolve: says so", "cannot resolve nowhere.invalid" in err, err)
    check("--smtp to a name that does not resolve: at once", time.time() - t0 < 20)
    if not check("ip is installed (package iproute2): finds this machine's non-loopback address",
                 shutil.which("ip") is not None):
        return
    addr = non_loopback_address()
    if addr is None:
        print("SKIP: no non-loopback IPv4 address: '127.' names mapped elsewhere not tested", file=sys.stderr)
        return
    with FakeSMTP(host="0.0.0.0") as server:
        url_args = ["reply", REQUEST, "--attach", pdf_path, "--smtp", f"smtp://127.mail.example.nl:{server.port}"]
        got = run_with_hosts(tmp, f"{addr} 127.mail.example.nl", url_args, CREDENTIALS)
        if got is None:
            print("SKIP: no private mount namespace (unshare -m): names mapped in /etc/hosts not tested",
                  file=sys.stderr)
            return
        rc, _, err = got
        check(f"--smtp 127.mail.example.nl = {addr}, a password: refused without TLS", rc == 69, f"{rc} {err}")
        check("--smtp 127.mail.example.nl: no AUTH went out", not heard_auth(server), str(server.heard))
        check("--smtp 127.mail.example.nl: says TLS is needed", "only over TLS" in err, err)
    with FakeSMTP(host="0.0.0.0") as server:
        url_args = ["reply", REQUEST, "--attach", pdf_path, "--smtp", f"smtp://relay.example.nl:{server.port}"]
        rc, _, err = run_with_hosts(tmp, "127.0.0.2 relay.example.nl", url_args, CREDENTIALS)
        check("--smtp relay.example.nl = 127.0.0.2, a password: exit 0 without TLS (loopback)", rc == 0,
              f"{rc} {err}")
        check("--smtp relay.example.nl: AUTH went out", heard_auth(server), str(server.heard))


def fake_sendmail(path):
    """A stand-in sendmail at path: writes its arguments and the message to
    $FAKE_SENDMAIL_OUT(.args), exits $FAKE_SENDMAIL_EXIT. Absolute paths only:
    it must run with a PATH that has nothing."""
    with open(path, "w") as f:
        f.write("#!/bin/sh\nprintf '%s\\n' \"$*\" > \"$FAKE_SENDMAIL_OUT.args\"\n"
                "/bin/cat > \"$FAKE_SENDMAIL_OUT\"\nexit \"${FAKE_SENDMAIL_EXIT:-0}\"\n")
    os.chmod(path, 0o755)


def delivered(name, got, pdf):
    """The stand-in got the reply: as sendmail -t -oi, local line ends, the PDF."""
    if not check(f"{name}: the stand-in sendmail ran", os.path.exists(got)):
        return
    check(f"{name}: run as sendmail -t -oi", open(got + ".args").read().strip() == "-t -oi")
    data = open(got, "rb").read()
    check(f"{name}: local line ends", b"\r\n" not in data)
    msg = parse(data)
    check(f"{name}: To", addresses(msg) == ["s.devries@werk.voorbeeld.nl"])
    att = list(msg.iter_attachments())
    check(f"{name}: attachment bytes == the PDF", len(att) == 1 and att[0].get_payload(decode=True) == pdf)


def test_sendmail(tmp, pdf_path, pdf):
    """--sendmail runs $REPORTGEN_SENDMAIL, else /usr/sbin/sendmail: never one
    looked up on PATH (cron and most users have no /usr/sbin there). Every run
    here has a PATH with nothing on it."""
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir, exist_ok=True)
    fake = os.path.join(bindir, "sendmail")
    fake_sendmail(fake)
    got = os.path.join(tmp, "sendmail.out")
    no_path = os.path.join(tmp, "empty-path")
    args = ["reply", REQUEST, "--attach", pdf_path, "--sendmail"]
    env = {"PATH": no_path, "REPORTGEN_SENDMAIL": fake, "FAKE_SENDMAIL_OUT": got}
    rc, out, err = run(args, env_extra=env)
    check("--sendmail, REPORTGEN_SENDMAIL, no sendmail on PATH: exit 0", rc == 0, err)
    delivered("REPORTGEN_SENDMAIL", got, pdf)
    if os.path.exists(got):
        os.unlink(got)
    # a name without '/' is looked up on PATH
    rc, out, err = run(args, env_extra=dict(env, PATH=bindir, REPORTGEN_SENDMAIL="sendmail"))
    check("REPORTGEN_SENDMAIL=sendmail: looked up on PATH, exit 0", rc == 0, err)
    delivered("REPORTGEN_SENDMAIL=sendmail", got, pdf)
    env["FAKE_SENDMAIL_EXIT"] = "75"
    rc, out, err = run(args, env_extra=env)
    check("--sendmail failing with EX_TEMPFAIL: exit 75", rc == 75 and "75" in err and "try again" in err,
          f"{rc} {err}")
    env["FAKE_SENDMAIL_EXIT"] = "1"
    rc, out, err = run(args, env_extra=env)
    check("--sendmail failing otherwise: exit 69", rc == 69 and "status 1" in err, f"{rc} {err}")
    missing = os.path.join(tmp, "no-such-dir", "sendmail")
    rc, out, err = run(args, env_extra={"PATH": no_path, "REPORTGEN_SENDMAIL": missing})
    check("--sendmail missing: exit 69", rc == 69, f"{rc} {err}")
    check("--sendmail missing: names the program and REPORTGEN_SENDMAIL",
          missing in err and "REPORTGEN_SENDMAIL" in err, err)
    # --bcc: every recipient named after "--" (no -t: sendmails disagree on
    # what -t does with arguments), the message without the archive address
    if os.path.exists(got):
        os.unlink(got)
    env["FAKE_SENDMAIL_EXIT"] = "0"
    rc, out, err = run(args + ["--bcc", ARCHIVE], env_extra=env)
    check("--sendmail --bcc: exit 0", rc == 0, err)
    if check("--sendmail --bcc: the stand-in sendmail ran", os.path.exists(got)):
        check("--sendmail --bcc: run as sendmail -oi -- TO BCC",
              open(got + ".args").read().strip() == f"-oi -- s.devries@werk.voorbeeld.nl {ARCHIVE}",
              open(got + ".args").read())
        data = open(got, "rb").read()
        check("--sendmail --bcc: the archive address is nowhere in the message", ARCHIVE.encode() not in data)
    for name, extra, code in [("--bcc without --smtp or --sendmail", ["--bcc", ARCHIVE], 64),
                              ("--bcc with -o", ["-o", os.path.join(tmp, "bcc.eml"), "--bcc", ARCHIVE], 64)]:
        rc, out, err = run(["reply", REQUEST, "--attach", pdf_path] + extra, env_extra=env)
        check(f"{name}: exit {code}", rc == code and "--bcc" in err, f"{rc} {err}")
    rc, out, err = run(args + ["--bcc", "Archief <archief@logius.nl>"], env_extra=env)
    check("--bcc not a bare address: exit 64, says so", rc == 64 and "--bcc" in err, f"{rc} {err}")
    test_sendmail_default(tmp, pdf, args)


def test_sendmail_default(tmp, pdf, args):
    """Without REPORTGEN_SENDMAIL, /usr/sbin/sendmail, with nothing on PATH: in
    a private mount namespace whose /usr/sbin is a folder holding the stand-in
    (the real one is never touched); skipped when namespaces are not allowed."""
    sbin = os.path.join(tmp, "sbin")
    os.makedirs(sbin)
    fake_sendmail(os.path.join(sbin, "sendmail"))
    got = os.path.join(tmp, "default-sendmail.out")
    env = dict(os.environ, PATH=os.path.join(tmp, "empty-path"), FAKE_SENDMAIL_OUT=got, SOURCE_DATE_EPOCH=SDE)
    env.pop("REPORTGEN_SENDMAIL", None)
    probe = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --bind "$0" /usr/sbin', sbin],
                           capture_output=True)
    if probe.returncode != 0:
        print("SKIP: no private mount namespace (unshare -m): the default /usr/sbin/sendmail not tested "
              f"({probe.stderr.decode(errors='replace').strip()[:200]})", file=sys.stderr)
        return
    p = subprocess.run(["/usr/bin/unshare", "-m", "/bin/sh", "-c", '/bin/mount --bind "$0" /usr/sbin && exec "$@"',
                        sbin, RG] + args, cwd=ROOT, env=env, capture_output=True, timeout=TIMEOUT)
    err = p.stderr.decode("utf-8", "replace")
    check("--sendmail, no REPORTGEN_SENDMAIL, nothing on PATH: /usr/sbin/sendmail, exit 0", p.returncode == 0, err)
    delivered("/usr/sbin/sendmail", got, pdf)


def run_bounded(args, seconds=20, env_extra=None):
    """run(), but a run that hangs counts as exit None instead of stopping the suite."""
    try:
        return run(args, env_extra=env_extra, timeout=seconds)
    except subprocess.TimeoutExpired:
        return None, b"", f"still running after {seconds} s (killed)"


def test_special_files(tmp, pdf_path):
    """Inputs that are not regular files are refused at once, never read (a FIFO
    would hang the run); -o never replaces a FIFO, a symlink or an input."""
    d = os.path.join(tmp, "special")
    os.makedirs(d)
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    for role, args in [("request", ["reply", fifo, "--attach", pdf_path]),
                       ("--attach", ["reply", REQUEST, "--attach", fifo]),
                       ("--body-file", ["reply", REQUEST, "--attach", pdf_path, "--body-file", fifo])]:
        t0 = time.time()
        rc, out, err = run_bounded(args)
        check(f"FIFO as {role}: exit 66, not a hang", rc == 66, f"{rc} {err}")
        check(f"FIFO as {role}: says it is a FIFO", "FIFO" in err, err)
        check(f"FIFO as {role}: at once", time.time() - t0 < 10, f"{time.time() - t0:.1f} s")
        check(f"FIFO as {role}: nothing on stdout", out == b"")
    rc, _, err = run_bounded(["reply", REQUEST, "--attach", pdf_path, "-o", fifo])
    check("-o onto a FIFO: exit 73", rc == 73, f"{rc} {err}")
    check("-o onto a FIFO: says why", "FIFO" in err, err)
    check("-o onto a FIFO: still a FIFO", stat.S_ISFIFO(os.lstat(fifo).st_mode))
    target = os.path.join(d, "target.eml")
    with open(target, "wb") as f:
        f.write(b"not to be replaced\n")
    link = os.path.join(d, "link.eml")
    os.symlink(target, link)
    rc, _, err = run_bounded(["reply", REQUEST, "--attach", pdf_path, "-o", link])
    check("-o onto a symlink: exit 73", rc == 73, f"{rc} {err}")
    check("-o onto a symlink: says why", "symbolic link" in err, err)
    check("-o onto a symlink: still a symlink", os.path.islink(link) and os.readlink(link) == target)
    check("-o onto a symlink: its target untouched", open(target, "rb").read() == b"not to be replaced\n")
    request = os.path.join(d, "verzoek.eml")
    shutil.copy(REQUEST, request)
    attach = os.path.join(d, "r.pdf")
    shutil.copy(pdf_path, attach)
    for role, target in [("the request", request), ("the attachment", attach)]:
        before = open(target, "rb").read()
        rc, _, err = run_bounded(["reply", request, "--attach", attach, "-o", target])
        check(f"-o onto {role}: exit 73", rc == 73, f"{rc} {err}")
        check(f"-o onto {role}: says why", "inputs" in err, err)
        check(f"-o onto {role}: unchanged", open(target, "rb").read() == before)
    check("refused -o leaves no temporary files",
          sorted(os.listdir(d)) == ["fifo", "link.eml", "r.pdf", "target.eml", "verzoek.eml"],
          str(sorted(os.listdir(d))))


def test_build(tmp):
    out_file = os.path.join(tmp, "build-reply.eml")
    rc, out, err = run(["reply", REQUEST, "--build", SAMPLE_DEF, "-o", out_file])
    if not check("--build: exit 0", rc == 0, err):
        return
    msg = parse(open(out_file, "rb").read())
    att = list(msg.iter_attachments())
    check("--build: a PDF is attached", len(att) == 1 and att[0].get_payload(decode=True).startswith(b"%PDF-"))
    check("--build: named after the definition",
          att and att[0].get_filename() == "viermaandsrapportage-2023-T1.pdf", att and att[0].get_filename())
    rc, out, err = run(["reply", REQUEST, "--build", os.path.join(tmp, "nope.xml")])
    check("--build of a missing definition: exit 66", rc == 66, f"{rc} {err}")


def test_build_interrupted(tmp):
    """A signal while reply --build sends (here: a sendmail that sleeps) leaves
    nothing of the built report in $TMPDIR, and the sendmail it ran did not
    inherit blocked signals."""
    bindir = os.path.join(tmp, "slow-bin")
    os.makedirs(bindir)
    started = os.path.join(tmp, "slow-sendmail.started")
    with open(os.path.join(bindir, "sendmail"), "w") as f:
        # the shell's own mask, read with builtins: a forked grep would catch
        # the mask the shell sets around fork, not the one it was given
        f.write("#!/bin/sh\nwhile read -r k v; do [ \"$k\" = SigBlk: ] && echo \"$k $v\"; done"
                " < /proc/$$/status > \"$STARTED.tmp\" 2>/dev/null\n"
                "mv \"$STARTED.tmp\" \"$STARTED\"\nexec sleep 30\n")
    os.chmod(os.path.join(bindir, "sendmail"), 0o755)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        name = sig.name
        private_tmp = os.path.join(tmp, f"tmpdir-{name}")
        os.makedirs(private_tmp)
        env = dict(os.environ, TMPDIR=private_tmp, STARTED=started, SOURCE_DATE_EPOCH=SDE,
                   REPORTGEN_SENDMAIL=os.path.join(bindir, "sendmail"))
        p = subprocess.Popen([RG, "reply", REQUEST, "--build", SAMPLE_DEF, "--sendmail"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            deadline = time.time() + TIMEOUT
            while not os.path.exists(started) and p.poll() is None and time.time() < deadline:
                time.sleep(0.05)
            if not check(f"--build, {name}: reaches sendmail", os.path.exists(started),
                         p.stderr.read().decode() if p.poll() is not None else "timed out"):
                continue
            check(f"--build, {name}: the report is in $TMPDIR while sending", os.listdir(private_tmp) != [])
            blocked = open(started).read().split()
            check(f"--build, {name}: sendmail starts with no signal blocked",
                  blocked[-1:] in ([], ["0000000000000000"]), str(blocked))
            os.kill(p.pid, sig)
            try:
                rc = p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                rc = None
            check(f"--build, {name}: ends by the signal", rc == -sig, str(rc))
            check(f"--build, {name}: $TMPDIR is empty afterwards", os.listdir(private_tmp) == [],
                  str(os.listdir(private_tmp)))
        finally:
            try:
                os.killpg(p.pid, signal.SIGKILL)       # the sleeping sendmail
            except ProcessLookupError:
                pass
            p.wait()
            p.stderr.close()
            if os.path.exists(started):
                os.unlink(started)


def main():
    global RG
    if len(sys.argv) != 2:
        print("usage: python3 tests/mail_test.py build/reportgen", file=sys.stderr)
        return 2
    RG = os.path.abspath(sys.argv[1])
    if not os.access(RG, os.X_OK):
        print(f"FAIL: {RG} is not an executable\n0 passed, 1 failed", file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="reportgen-mail-test-")
    try:
        pdf_path = os.path.join(tmp, "r.pdf")
        p = subprocess.run([RG, "build", SAMPLE_DEF, "-o", pdf_path], cwd=ROOT, capture_output=True,
                           timeout=TIMEOUT)
        if not check("the sample PDF builds", p.returncode == 0, p.stderr.decode("utf-8", "replace")):
            return 1
        pdf = open(pdf_path, "rb").read()
        opts_dir = os.path.join(tmp, "opts")
        os.makedirs(opts_dir)
        shutil.copy(pdf_path, os.path.join(opts_dir, "r.pdf"))
        test_sample(pdf_path, pdf)
        test_options(opts_dir, os.path.join(opts_dir, "r.pdf"), pdf)
        test_hostile(pdf_path, pdf)
        test_smtp(tmp, pdf_path, pdf)
        test_smtp_failures(pdf_path)
        test_smtp_timeouts(pdf_path)
        test_smtp_loopback(tmp, pdf_path)
        test_sendmail(tmp, pdf_path, pdf)
        test_special_files(tmp, pdf_path)
        test_build(tmp)        # last: needs the lead's rg_build_to_file
        test_build_interrupted(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


RG = None
if __name__ == "__main__":
    sys.exit(main())
