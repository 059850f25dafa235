#!/usr/bin/env python3
"""inbox_test.py - end-to-end tests of `reportgen inbox`, the mail desk (issue 19).

Usage: python3 tests/inbox_test.py build/reportgen

Builds the four sample periods with `reportgen batch` (so there is a
manifest), generates a Maildir of requests with a fixed seed (every
phrasing of the issue and more, in Dutch and English, in the subject or
the body, with quoted replies and signatures naming other dates; unclear
ones; auto-replies of every kind; the hostile set tests/mail/*.eml as an
MTA would deliver it; duplicates; requests without Message-ID), runs the
desk with --smtp to aiosmtpd on 127.0.0.1 and checks each request's fate:
sent with the right PDF to the right address in the right language, or
given to a person (.Handmatig), or refused (cur/, seen, not answered);
the journal and the log lines; that a rerun and a redelivery send
nothing. Then: --dry-run, --outbox, standard-input mode, the limits, a
kill (SIGKILL through REPORTGEN_INBOX_KILL_AT) at every step followed by
a rerun, and two desks at once on one Maildir. Ends with "N passed, N
failed" and a non-zero exit status on failure.
"""
import email
import email.policy
import json
import mailbox
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from smtp_helper import SmtpServer, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOSTILE = os.path.join(ROOT, "tests", "mail")
DESK_REQUESTS = os.path.join(ROOT, "tests", "mail", "desk")
SDE = "1684230000"                       # 2023-05-16 09:40:00 UTC
OWN = "communicatie@logius.nl"
ARCHIVE = "archief@logius.example"
TIMEOUT = 120
SEED = 19

PERIOD_WORDS_NL = {"2022-T3": "september t/m december 2022", "2023-T1": "januari t/m april 2023",
                   "2023-T2": "mei t/m augustus 2023", "2023-T3": "september t/m december 2023"}
PERIOD_WORDS_EN = {"2022-T3": "September to December 2022", "2023-T1": "January to April 2023",
                   "2023-T2": "May to August 2023", "2023-T3": "September to December 2023"}
LATEST = "2023-T3"
TEXT_NL = "Hierbij ontvangt u de Viermaandsrapportage over {period}."
TEXT_EN = "Please find attached the four-monthly report for {period}."

passed = failed = 0
RG = None


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name}" + (f": {detail}" if detail else ""), file=sys.stderr)
    return cond


def run(args, env_extra=None, stdin=None, timeout=TIMEOUT):
    env = dict(os.environ, SOURCE_DATE_EPOCH=SDE)
    for k in ("REPORTGEN_SMTP_USER", "REPORTGEN_SMTP_PASSWORD", "REPORTGEN_SENDMAIL",
              "REPORTGEN_INBOX_KILL_AT"):
        env.pop(k, None)
    env.update(env_extra or {})
    p = subprocess.run([RG] + args, cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


# ------------------------------------------------------------- requests

class Req:
    """One generated request and what must become of it: want is 'sent'
    (with period and lang), 'handmatig', 'refused' (reason fragment) or
    'duplicate' (of an earlier one)."""

    def __init__(self, raw, want, msgid=None, sender=None, period=None, lang="nl", why=""):
        self.raw, self.want, self.msgid, self.sender = raw, want, msgid, sender
        self.period, self.lang, self.why = period, lang, why
        self.name = None


FIRST = ["Jan", "Sanne", "Piet", "Fatima", "Kees", "Anouk", "Mohammed", "Eva", "Daan", "Lotte",
         "Ahmed", "Noor", "Bram", "Iris", "Hans", "Mila"]
LAST = ["de Vries", "Jansen", "Bakker", "Yilmaz", "van Dijk", "El Amrani", "Visser", "Smit"]
DOMAINS = ["burger.example", "gemeente.example.nl", "hogeschool.example", "mail.example.com"]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.n = 0

    def sender(self):
        self.n += 1
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        addr = f"{first.lower()}.{self.n}@{self.rng.choice(DOMAINS)}"
        return f"{first} {last}", addr

    def make(self, subject, body, want, period=None, lang="nl", headers=(), sender=None,
             return_path=True, msgid=True, why=""):
        name, addr = sender or self.sender()
        mid = f"req{self.n}.{self.rng.randrange(10**8):08d}@{addr.split('@')[1]}" if msgid else None
        m = email.message.EmailMessage(policy=email.policy.default)
        if return_path:
            m["Return-Path"] = f"<{addr}>"
        for k, v in headers:
            m[k] = v
        if mid:
            m["Message-ID"] = f"<{mid}>"
        m["Date"] = "Tue, 16 May 2023 09:41:02 +0200"
        m["From"] = f"{name} <{addr}>" if name else addr
        m["To"] = f"Logius Communicatie <{OWN}>"
        m["Subject"] = subject
        m.set_content(body)
        return Req(m.as_bytes(), want, mid, addr, period, lang, why)

    def plain(self, period_text, want, period=None, lang="nl", where="subject", **kw):
        """A request naming period_text in its subject or its body."""
        if lang == "en":
            subj = f"Request: {period_text}" if where == "subject" else "Request for the report"
            greet = "Dear Sir or Madam,\n\n"
            ask = (f"Could you please send me {period_text}?" if where == "body"
                   else "Could you please send me the full report as a PDF?")
            sign = "\n\nKind regards,\n"
        else:
            subj = f"Verzoek: {period_text}" if where == "subject" else "Verzoek om de rapportage"
            greet = self.rng.choice(["Geachte heer/mevrouw,\n\n", "Beste,\n\n", "Goedemiddag,\n\n"])
            ask = (f"Graag ontvang ik {period_text} als pdf." if where == "body"
                   else "Graag ontvang ik de volledige rapportage als pdf.")
            sign = "\n\nMet vriendelijke groet,\n"
        return self.make(subj, greet + ask + sign + "Afzender\n", want, period, lang, **kw)


def generate(gen):
    """The big Maildir's requests, in delivery order."""
    reqs = []
    nl = [  # (text, period, subject or body)
        ("de Viermaandsrapportage januari t/m april 2023", "2023-T1", "subject"),
        ("de rapportage jan-apr 2023", "2023-T1", "body"),
        ("de eerste viermaandsrapportage van 2023", "2023-T1", "body"),
        ("rapportage T1 2023", "2023-T1", "subject"),
        ("rapportage 2023-T1", "2023-T1", "body"),
        ("de rapportage mei tot en met augustus 2023", "2023-T2", "subject"),
        ("de laatste rapportage", LATEST, "body"),
        ("de rapportage over de periode september-december 2022", "2022-T3", "body"),
        ("de tweede viermaandsrapportage van 2023", "2023-T2", "subject"),
        ("de rapportage T3 2022", "2022-T3", "body"),
        ("viermaandsrapportage 2023-T2", "2023-T2", "subject"),
        ("de rapportage september t/m december 2023", "2023-T3", "body"),
        ("de rapportage Januari T/M April 2023", "2023-T1", "subject"),
        ("de rapportage januari  t/m   april  2023", "2023-T1", "body"),
        ("de cijfers van april 2023", "2023-T1", "body"),
        ("de meest recente rapportage", LATEST, "subject"),
        ("de derde viermaandsrapportage van 2023", "2023-T3", "body"),
        ("de rapportage mei-aug 2023", "2023-T2", "subject"),
        ("de rapportage sep t/m dec 2022", "2022-T3", "body"),
    ]
    for text, period, where in nl:
        reqs.append(gen.plain(text, "sent", period, "nl", where))
    # no period named: the latest
    reqs.append(gen.make("Verzoek", "Goedemorgen,\n\nMag ik de volledige rapportage ontvangen?\n\nGroet,\nAnne\n",
                         "sent", LATEST))
    # quoted replies and signatures that name other dates
    reqs.append(gen.make("Re: uw bericht", "Graag de rapportage T2 2023.\n\n"
                         "> Op 12 maart 2022 schreef Logius:\n> de rapportage januari t/m april 2022 is uit\n\n"
                         "-- \nJan Jansen\nVerzonden op 3 januari 2024\n", "sent", "2023-T2"))
    reqs.append(gen.make("Rapportage", "Graag de laatste rapportage.\n\n-- \nPiet\nJaarplan 2021-2022, T1 2021\n",
                         "sent", LATEST))
    reqs.append(gen.make("Vraag", "Ik zoek de rapportage januari t/m april 2023.\n\n"
                         "> mei t/m augustus 2023 had ik al\n", "sent", "2023-T1"))
    en = [
        ("the report for January to April 2023", "2023-T1", "subject"),
        ("the report for May through August 2023", "2023-T2", "body"),
        ("the latest report", LATEST, "body"),
        ("the most recent report", LATEST, "subject"),
        ("the report for September-December 2022", "2022-T3", "body"),
        ("the T2 2023 report", "2023-T2", "subject"),
    ]
    for text, period, where in en:
        reqs.append(gen.plain(text, "sent", period, "en", where))
    unclear = [
        ("de rapportages T1 2023 en T2 2023", "nl"),
        ("de rapportage Q1 2023", "nl"),
        ("de rapportage van 2023", "nl"),
        ("de rapportage januari t/m april 2021", "nl"),
        ("the Q3 2023 report", "en"),
        ("januari t/m april 2023 of mei t/m augustus 2023", "nl"),
    ]
    for text, lang in unclear:
        reqs.append(gen.plain(text, "handmatig", lang=lang, where="body"))
    # automatic mail of every kind, and what is not one (Auto-Submitted: no)
    auto = [
        ([("Auto-Submitted", "auto-replied")], {}, "Auto-Submitted"),
        ([("Auto-Submitted", "auto-generated")], {}, "Auto-Submitted"),
        ([("Precedence", "bulk")], {}, "Precedence"),
        ([("Precedence", "junk")], {}, "Precedence"),
        ([("Precedence", "list")], {}, "Precedence"),
        ([("List-Id", "Nieuws <nieuws.lists.example>")], {}, "List"),
        ([("List-Unsubscribe", "<mailto:leave@lists.example>")], {}, "List"),
        ([("X-Autoreply", "yes")], {}, "X-Autorep"),
        ([("X-Autorespond", "yes")], {}, "X-Autore"),
        ([("X-Auto-Response-Suppress", "OOF")], {}, "X-Auto-Response-Suppress"),
        ([], {"return_path": False}, "Return-Path"),
        ([], {"sender": ("Mail Delivery System", "MAILER-DAEMON@mx.example")}, ""),
        ([], {"sender": ("", "postmaster@gemeente.example.nl")}, ""),
        ([], {"sender": ("Nieuwsbrief", "noreply@nieuws.example")}, ""),
        ([], {"sender": ("Service", "no-reply@service.example")}, ""),
        ([], {"sender": ("Service", "donotreply@service.example")}, ""),
        ([], {"sender": ("Logius", OWN)}, ""),
    ]
    for headers, kw, why in auto:
        reqs.append(gen.make("Automatisch antwoord: Verzoek T1 2023", "Ik ben afwezig tot maandag.\n",
                             "refused", headers=headers, why=why, **kw))
    bounce = gen.make("Undelivered Mail Returned to Sender", "This is the mail system.\n", "refused",
                      headers=[], why="Return-Path")
    bounce.raw = b"Return-Path: <>\n" + bounce.raw.split(b"\n", 1)[1]   # the empty envelope sender of a bounce
    reqs.append(bounce)
    reqs.append(gen.make("Verzoek T1 2023", "Graag.\n" + "x" * 80 + "\n" + ("bijlage " * 20 + "\n") * 1500,
                         "refused"))   # over max-request-bytes
    reqs.append(gen.make("Verzoek rapportage T1 2023", "Graag de rapportage.\n", "sent", "2023-T1",
                         headers=[("Auto-Submitted", "no")]))
    # duplicates: the same Message-ID delivered twice; no Message-ID (a hash of the header)
    for original in (reqs[3], reqs[len(nl) + 4]):
        reqs.append(Req(original.raw, "duplicate", original.msgid, original.sender, original.period))
    nomid = gen.make("Verzoek viermaandsrapportage 2023-T2", "Graag.\n", "sent", "2023-T2", msgid=False)
    reqs.append(nomid)
    reqs.append(Req(nomid.raw, "duplicate", None, nomid.sender, nomid.period))
    return reqs


def desk_requests():
    """tests/mail/desk/*.eml (the guard's cases): each says in X-Desk-Expect
    whether the guard allows it or refuses it, and with which reason."""
    reqs = []
    for f in sorted(os.listdir(DESK_REQUESTS)) if os.path.isdir(DESK_REQUESTS) else []:
        if not f.endswith(".eml"):
            continue
        raw = open(os.path.join(DESK_REQUESTS, f), "rb").read()
        expect = re.search(rb"(?im)^X-Desk-Expect:\s*(\S+) ?(.*?)\r?$", raw)
        mid = re.search(rb"(?im)^Message-ID:\s*<([^>\r\n]+)>", raw)
        if not expect or not mid:
            continue
        kind, reason = expect.group(1).decode(), expect.group(2).decode()
        r = Req(raw, "allowed" if kind == "allowed" else "refused", mid.group(1).decode(), why=reason)
        r.desk = f
        reqs.append(r)
    return reqs


def hostile_requests():
    """tests/mail/*.eml as an MTA delivers them (with a Return-Path): never
    answered to another address than reportgen reply would answer."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from mail_test import HOSTILE_CASES
    reqs = []
    for f in sorted(os.listdir(HOSTILE)):
        if not f.endswith(".eml"):
            continue
        raw = open(os.path.join(HOSTILE, f), "rb").read()
        want_rc, want_to, _ = HOSTILE_CASES.get(f, (65, None, ""))
        r = Req(b"Return-Path: <jan@burger.example>\n" + raw, "hostile")
        r.hostile, r.allowed = f, (want_to if want_rc == 0 else [])
        r.sender = r.allowed[0] if r.allowed else None
        m = re.search(rb"(?im)^Message-ID:\s*<([^>\r\n]+)>", raw)
        r.msgid = m.group(1).decode() if m else None
        reqs.append(r)
    return reqs


def write_maildir(path, reqs, start=0):
    for d in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(path, d), exist_ok=True)
    for i, r in enumerate(reqs, start):
        r.name = f"{1700000000 + i}.M{i:06d}P4242.desk-test"
        with open(os.path.join(path, "new", r.name), "wb") as f:
            f.write(r.raw)


def write_config(tmp, name="inbox.conf", per_address=50, per_day=500):
    with open(os.path.join(tmp, "antwoord-nl.txt"), "w", encoding="utf-8") as f:
        f.write("Geachte heer/mevrouw,\n\n" + TEXT_NL + "\n\nMet vriendelijke groet,\n\nLogius\n")
    with open(os.path.join(tmp, "antwoord-en.txt"), "w", encoding="utf-8") as f:
        f.write("Dear Sir or Madam,\n\n" + TEXT_EN + "\n\nKind regards,\n\nLogius\n")
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# the test's desk\nfrom = Logius Communicatie <{OWN}>\nown-addresses = {OWN}\n"
                "serve = viermaandsrapportage-*.pdf\nsubject-prefix = Re:\n"
                "template-nl = antwoord-nl.txt\ntemplate-en = antwoord-en.txt\n"
                f"bcc = {ARCHIVE}\nmax-per-address-per-day = {per_address}\nmax-per-day = {per_day}\n"
                "max-request-bytes = 200000\n")
    return path


# ------------------------------------------------------------- reading results

def received(server_dir):
    """Every message the SMTP server got: (parsed, recipients)."""
    if not os.path.isdir(os.path.join(server_dir, "new")):
        return []
    out = []
    for m in mailbox.Maildir(server_dir, create=False):
        msg = email.message_from_bytes(m.as_bytes(), policy=email.policy.default)
        rcpts = [a.strip().lower() for a in str(msg["X-RcptTo"] or "").split(",") if a.strip()]
        out.append((msg, rcpts))
    return out


def replies_to(got, req):
    """The replies among got that answer req (by In-Reply-To, else by address)."""
    if req.msgid:
        return [(m, r) for m, r in got if str(m["In-Reply-To"] or "") == f"<{req.msgid}>"]
    if not req.sender:
        return []
    return [(m, r) for m, r in got if m["In-Reply-To"] is None and req.sender.lower() in r]


def where_is(maildir, name):
    """'new', 'cur:FLAGS', 'handmatig' or None for the request file name."""
    for f in os.listdir(os.path.join(maildir, "new")):
        if f.split(":")[0] == name:
            return "new"
    for f in os.listdir(os.path.join(maildir, "cur")):
        if f.split(":")[0] == name:
            return "cur:" + (f.split(":2,")[1] if ":2," in f else "")
    hm = os.path.join(maildir, ".Handmatig", "new")
    if os.path.isdir(hm) and any(f.split(":")[0] == name for f in os.listdir(hm)):
        return "handmatig"
    return None


def journal_states(path):
    """key -> its last state, from the journal's lines
    ("<time> <state> <key> <address> <detail>")."""
    states = {}
    if not os.path.exists(path):
        return states
    for line in open(path, encoding="utf-8", errors="replace"):
        parts = line.split(" ", 4)
        if len(parts) >= 4:
            states[parts[2]] = parts[1]
    return states


LOG_LINE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (\S+) from=("(?:[^"\\]|\\.)*"|\S+) decision=(\S+)(.*)$')


def log_lines(err):
    """{id or key: [(decision, rest of the line)]} from stderr's log lines."""
    out = {}
    for line in err.splitlines():
        m = LOG_LINE.match(line)
        if m:
            out.setdefault(m.group(1).strip("<>"), []).append((m.group(3), m.group(4)))
    return out


def pdf_bytes(reports, period):
    return open(os.path.join(reports, f"viermaandsrapportage-{period}.pdf"), "rb").read()


# ------------------------------------------------------------- the big Maildir

def check_sent(r, answers, reports, got_all):
    if not check(f"{r.name} ({r.want} {r.period}): one reply", len(answers) == 1, f"{len(answers)} replies"):
        return
    msg, rcpts = answers[0]
    check(f"{r.name}: to the sender (and the archive Bcc)", sorted(rcpts) == sorted([r.sender, ARCHIVE]),
          str(rcpts))
    check(f"{r.name}: no Bcc header", msg["Bcc"] is None)
    check(f"{r.name}: Auto-Submitted: auto-replied", msg["Auto-Submitted"] == "auto-replied")
    att = list(msg.iter_attachments())
    want_name = f"viermaandsrapportage-{r.period}.pdf"
    if check(f"{r.name}: one attachment", len(att) == 1):
        check(f"{r.name}: the attachment is {want_name}", att[0].get_filename() == want_name,
              str(att[0].get_filename()))
        check(f"{r.name}: its bytes are the PDF in reports/", att[0].get_payload(decode=True) ==
              pdf_bytes(reports, r.period))
    body = msg.get_body(("plain",)).get_content()
    words = (PERIOD_WORDS_EN if r.lang == "en" else PERIOD_WORDS_NL)[r.period]
    text = (TEXT_EN if r.lang == "en" else TEXT_NL).format(period=words)
    check(f"{r.name}: the {r.lang} text naming the period", text in body, body[:300])


def check_fates(maildir, reqs, got, err, reports):
    lines = log_lines(err)
    for r in reqs:
        where = where_is(maildir, r.name)
        answers = replies_to(got, r)
        if r.want == "sent":
            check_sent(r, answers, reports, got)
            check(f"{r.name}: filed in cur/ as replied", where == "cur:RS", str(where))
        elif r.want == "duplicate":
            check(f"{r.name}: a duplicate: filed in cur/", where is not None and where.startswith("cur:"),
                  str(where))
        elif r.want == "handmatig":
            check(f"{r.name}: for a person (.Handmatig/new)", where == "handmatig", str(where))
            check(f"{r.name}: not answered", not answers, f"{len(answers)} replies")
        elif r.want == "refused":
            check(f"{r.name}: refused: in cur/ as seen, not replied", where == "cur:S", str(where))
            check(f"{r.name}: not answered", not answers, f"{len(answers)} replies")
            key = r.msgid or ""
            if r.why:
                check(f"{r.name}: refused, the reason says {r.why!r}",
                      any(d == "refused" and r.why.lower() in rest.lower() for d, rest in lines.get(key, [])),
                      str(lines.get(key)))
        elif r.want == "allowed":
            check(f"{r.desk}: allowed: answered once", len(answers) == 1, f"{len(answers)} replies")
            check(f"{r.desk}: filed as replied", where == "cur:RS", str(where))
        elif r.want == "hostile":
            check(f"{r.name} ({r.hostile}): handled (not left in new/)", where not in (None, "new"), str(where))
            for _, rcpts in answers:
                check(f"{r.hostile}: answered only to {r.allowed}",
                      set(rcpts) - {ARCHIVE} <= set(r.allowed or []) and r.allowed, str(rcpts))
            check(f"{r.hostile}: at most one reply", len(answers) <= 1, str(len(answers)))
    # a reply for nobody else: every message the server got answers one request
    wanted = sum(1 for r in reqs if r.want in ("sent", "allowed")) + sum(1 for r in reqs if r.want == "hostile" and replies_to(got, r))
    check("the server got no other replies", len(got) == wanted, f"{len(got)} != {wanted}")


def check_duplicates_log(reqs, err):
    lines = log_lines(err)
    for r in reqs:
        if r.want == "duplicate" and r.msgid:
            ds = [d for d, _ in lines.get(r.msgid, [])]
            check(f"{r.name}: logged once as sent, once as duplicate", sorted(ds) == ["duplicate", "sent"], str(ds))


def check_journal(journal, reqs):
    states = journal_states(journal)
    for r in reqs:
        if not r.msgid or r.want in ("hostile", "duplicate"):
            continue
        want = {"sent": "sent", "allowed": "sent", "handmatig": "handmatig", "refused": "refused"}[r.want]
        check(f"{r.name}: journal state {want}", states.get(r.msgid) == want, str(states.get(r.msgid)))


def check_json_log(path, n):
    lines = open(path, encoding="utf-8").read().splitlines() if os.path.exists(path) else []
    check("--log-json: one line per request", len(lines) == n, f"{len(lines)} != {n}")
    keys = {"time", "message_id", "from", "decision", "reason", "period", "attachment", "result"}
    objs = []
    for i, line in enumerate(lines):
        try:
            objs.append(json.loads(line))
        except ValueError as e:
            check(f"--log-json line {i + 1} is JSON", False, f"{e}: {line[:200]}")
    check("--log-json: every line has the fields", all(keys <= set(o) for o in objs),
          str([sorted(o) for o in objs[:1]]))
    sent = [o for o in objs if o.get("decision") == "sent"]
    check("--log-json: sent lines name period and attachment",
          sent and all(o["period"] and o["attachment"] and o["result"] == "ok" for o in sent))
    check("--log-json: refused lines give a reason",
          all(o["reason"] for o in objs if o.get("decision") in ("refused", "handmatig", "duplicate")))
    return objs


def test_big_maildir(tmp, reports, server, server_dir):
    gen = Generator(SEED)
    reqs = generate(gen) + desk_requests() + hostile_requests()
    check("the guard's requests (tests/mail/desk) are among them", sum(1 for r in reqs if hasattr(r, "desk")) >= 20)
    check("at least 60 requests", len(reqs) >= 60, str(len(reqs)))
    maildir = os.path.join(tmp, "big")
    write_maildir(maildir, reqs)
    conf = write_config(tmp)
    jlog = os.path.join(tmp, "big.jsonl")
    t0 = time.time()
    rc, out, err = run(["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf,
                        "--log-json", jlog])
    check("big Maildir: exit 0", rc == 0, f"{rc}: {err[-2000:]}")
    check("big Maildir: nothing on stdout", out == b"")
    print(f"big Maildir: {len(reqs)} requests in {time.time() - t0:.1f} s", file=sys.stderr)
    got = received(server_dir)
    check_fates(maildir, reqs, got, err, reports)
    check_duplicates_log(reqs, err)
    check_journal(os.path.join(maildir, ".reportgen-inbox.journal"), reqs)
    check("big Maildir: one log line per request on stderr",
          sum(len(v) for v in log_lines(err).values()) == len(reqs),
          f"{sum(len(v) for v in log_lines(err).values())} != {len(reqs)}")
    check_json_log(jlog, len(reqs))
    check("big Maildir: new/ is empty", os.listdir(os.path.join(maildir, "new")) == [])

    # a rerun finds nothing new; a redelivery of everything is all duplicates
    n = len(got)
    rc, _, err2 = run(["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf])
    check("rerun: exit 0", rc == 0, err2)
    check("rerun: sends nothing", len(received(server_dir)) == n)
    write_maildir(maildir, reqs, start=1000)
    rc, _, err3 = run(["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf])
    check("redelivered: exit 0", rc == 0, err3[-1000:])
    check("redelivered: sends nothing", len(received(server_dir)) == n, f"{len(received(server_dir))} != {n}")
    decisions = [d for v in log_lines(err3).values() for d, _ in v]
    check("redelivered: every request a duplicate (or too big to read)",
          decisions and all(d == "duplicate" for d in decisions), str(sorted(set(decisions))))
    return reqs, conf


# ------------------------------------------------------------- the other modes

def small_maildir(tmp, name, reqs):
    path = os.path.join(tmp, name)
    write_maildir(path, reqs)
    return path


def listing(maildir):
    return {d: sorted(os.listdir(os.path.join(maildir, d))) for d in ("new", "cur")}


def test_dry_run(tmp, reports, server, server_dir, conf):
    gen = Generator(SEED + 1)
    reqs = [gen.plain("rapportage T1 2023", "sent", "2023-T1"), gen.plain("Q1 2023", "handmatig", where="body"),
            gen.make("Afwezig", "Weg.\n", "refused", headers=[("Auto-Submitted", "auto-replied")])]
    maildir = small_maildir(tmp, "dry", reqs)
    before, n = listing(maildir), len(received(server_dir))
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf, "--dry-run"])
    check("--dry-run: exit 0", rc == 0, err)
    check("--dry-run: sends nothing", len(received(server_dir)) == n)
    check("--dry-run: moves nothing", listing(maildir) == before, str(listing(maildir)))
    check("--dry-run: no .Handmatig", not os.path.exists(os.path.join(maildir, ".Handmatig")))
    check("--dry-run: records nothing", not journal_states(os.path.join(maildir, ".reportgen-inbox.journal")))
    lines = log_lines(err)
    ds = [(d, rest) for v in lines.values() for d, rest in v]
    check("--dry-run: one dry-run line per request", len(ds) == 3 and all(d == "dry-run" for d, _ in ds), str(ds))
    check("--dry-run: says what it would have done",
          sorted(re.search(r'reason="would be (\w+)', rest).group(1) for _, rest in ds) ==
          ["handmatig", "refused", "sent"], str(ds))
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", server.url, "--dry-run", "-v"])
    check("--dry-run without --config (the shipped example's values): exit 0, three lines",
          rc == 0 and err.count("decision=dry-run") == 3 and "3 dry-run" in err, err)
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf])
    check("after --dry-run, a real run sends", rc == 0 and len(received(server_dir)) == n + 1, err)


def test_outbox(tmp, reports, conf):
    gen = Generator(SEED + 2)
    reqs = [gen.plain("rapportage T2 2023", "sent", "2023-T2"), gen.plain("the latest report", "sent", LATEST, "en"),
            gen.plain("Q1 2023", "handmatig", where="body")]
    maildir = small_maildir(tmp, "outboxed", reqs)
    outbox = os.path.join(tmp, "outbox")   # made by the desk: a Maildir
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--outbox", outbox, "--config", conf, "-q"])
    check("--outbox: exit 0", rc == 0, err)
    check("-q: only the line a person must act on", err.count("decision=") == 1 and "decision=handmatig" in err, err)
    files = sorted(os.listdir(os.path.join(outbox, "new"))) if os.path.isdir(os.path.join(outbox, "new")) else []
    check("--outbox: one message per reply in the Maildir DIR/new/", len(files) == 2, str(files))
    got = []
    for f in files:
        raw = open(os.path.join(outbox, "new", f), "rb").read()
        check(f"--outbox {f}: local line ends", b"\r\n" not in raw)
        got.append((email.message_from_bytes(raw, policy=email.policy.default), []))
    for r in reqs[:2]:
        answers = replies_to(got, r)
        if check(f"--outbox {r.msgid}: its reply", len(answers) == 1):
            msg = answers[0][0]
            att = list(msg.iter_attachments())
            check(f"--outbox {r.msgid}: the right PDF", len(att) == 1 and
                  att[0].get_payload(decode=True) == pdf_bytes(reports, r.period))
            check(f"--outbox {r.msgid}: To the sender", r.sender in str(msg["To"]))
    check("--outbox: the requests are filed", where_is(maildir, reqs[0].name) == "cur:RS")
    rc, _, err = run(["inbox", maildir, "--outbox", outbox, "--reports", reports, "--smtp", "smtp://127.0.0.1:1"])
    check("--outbox with --smtp: exit 64", rc == 64, err)


def test_sendmail(tmp, reports, conf):
    """--sendmail runs the configuration's sendmail (REPORTGEN_SENDMAIL unset),
    with the archive Bcc among its arguments and not in the message."""
    fake = os.path.join(tmp, "fake-sendmail")
    out = os.path.join(tmp, "sendmail.out")
    with open(fake, "w") as f:
        f.write(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{out}.args'\n/bin/cat >> '{out}'\nexit 0\n")
    os.chmod(fake, 0o755)
    with open(conf) as f:
        text = f.read()
    conf2 = os.path.join(tmp, "sendmail.conf")
    with open(conf2, "w") as f:
        f.write(text + f"sendmail = {fake}\n")
    gen = Generator(SEED + 8)
    req = gen.plain("rapportage T3 2023", "sent", "2023-T3")
    maildir = small_maildir(tmp, "sendmail", [req])
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--sendmail", "--config", conf2],
                     env_extra={"PATH": "/nonexistent"})
    check("--sendmail (the configuration's): exit 0", rc == 0, err)
    args = open(out + ".args").read() if os.path.exists(out + ".args") else ""
    check("--sendmail: the recipient and the archive as arguments", req.sender in args and ARCHIVE in args, args)
    data = open(out, "rb").read() if os.path.exists(out) else b""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    att = list(msg.iter_attachments())
    check("--sendmail: the message with the right PDF, no Bcc header", len(att) == 1 and
          att[0].get_payload(decode=True) == pdf_bytes(reports, "2023-T3") and msg["Bcc"] is None)
    check("--sendmail: filed as replied", where_is(maildir, req.name) == "cur:RS")


def test_stdin(tmp, reports, server, server_dir, conf):
    gen = Generator(SEED + 3)
    req = gen.plain("rapportage T2 2023", "sent", "2023-T2")
    journal = os.path.join(tmp, "stdin.journal")
    args = ["inbox", "-", "--journal", journal, "--reports", reports, "--smtp", server.url, "--config", conf]
    n = len(received(server_dir))
    rc, _, err = run(args, stdin=req.raw)
    check("stdin: exit 0", rc == 0, err)
    got = received(server_dir)
    check("stdin: one reply", len(got) == n + 1 and len(replies_to(got, req)) == 1)
    rc, _, err = run(args, stdin=req.raw)
    check("stdin again: exit 0", rc == 0, err)
    check("stdin again: a duplicate, nothing sent", len(received(server_dir)) == n + 1 and "decision=duplicate" in err,
          err)
    rc, _, err = run(["inbox", "-", "--reports", reports, "--smtp", server.url], stdin=req.raw)
    check("stdin without --journal: exit 64", rc == 64, err)
    unclear = gen.plain("Q1 2023", "handmatig", where="body")
    rc, _, err = run(args, stdin=unclear.raw)
    check("stdin, needs a person, no --handmatig: exit 1", rc == 1 and "decision=handmatig" in err, f"{rc} {err}")
    hm = os.path.join(tmp, "stdin-handmatig")
    for d in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(hm, d))
    rc, _, err = run(args + ["--handmatig", hm], stdin=unclear.raw)
    check("stdin, needs a person, --handmatig: exit 0", rc == 0, f"{rc} {err}")
    check("stdin, --handmatig: delivered there", len(os.listdir(os.path.join(hm, "new"))) == 1)
    check("stdin: nothing more sent", len(received(server_dir)) == n + 1)


def test_limits(tmp, reports, server, server_dir):
    gen = Generator(SEED + 4)
    who = ("Kees Herhaal", "kees.herhaal@burger.example")
    reqs = [gen.plain(f"rapportage T{1 + i % 3} 2023", "x", sender=who) for i in range(5)]
    maildir = small_maildir(tmp, "limits", reqs)
    conf = write_config(tmp, "limits.conf", per_address=3, per_day=500)
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf])
    check("limits: exit 0", rc == 0, err)
    got = received(server_dir)
    sent = [r for r in reqs if replies_to(got, r)]
    check("limits: 3 replies to one address a day", len(sent) == 3, str(len(sent)))
    refused = [line for line in err.splitlines() if "decision=refused" in line and "limit" in line]
    check("limits: the other 2 refused with 'limit'", len(refused) == 2, err)
    check("limits: the refused ones filed as seen",
          sorted(where_is(maildir, r.name) for r in reqs) == ["cur:RS"] * 3 + ["cur:S"] * 2)
    # the total
    reqs2 = [gen.plain("rapportage T1 2023", "x") for _ in range(3)]
    maildir2 = small_maildir(tmp, "limits-total", reqs2)
    conf2 = write_config(tmp, "limits2.conf", per_address=3, per_day=2)
    rc, _, err = run(["inbox", maildir2, "--reports", reports, "--smtp", server.url, "--config", conf2])
    got = received(server_dir)
    check("limits: max-per-day", rc == 0 and sum(1 for r in reqs2 if replies_to(got, r)) == 2 and
          err.count("limit") == 1, err)


def test_tempfail(tmp, reports, server, server_dir, conf):
    """The server away: exit 75, the requests stay in new/ (the journal back
    to no state), and the next run answers each once."""
    gen = Generator(SEED + 7)
    reqs = [gen.plain("rapportage T2 2023", "sent", "2023-T2") for _ in range(2)]
    maildir = small_maildir(tmp, "tempfail", reqs)
    closed = f"smtp://127.0.0.1:{free_port()}"
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", closed, "--config", conf])
    check("server away: exit 75", rc == 75, f"{rc} {err}")
    check("server away: the run stops at the first (one line)", err.count("decision=sent") == 1 and
          "tried again next run" in err, err)
    check("server away: both stay in new/", [where_is(maildir, r.name) for r in reqs] == ["new", "new"])
    states = journal_states(os.path.join(maildir, ".reportgen-inbox.journal"))
    check("server away: the journal has the first back at none", states.get(reqs[0].msgid) == "none", str(states))
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf])
    got = received(server_dir)
    check("server back: each answered once", rc == 0 and [len(replies_to(got, r)) for r in reqs] == [1, 1], err)


def test_send_failures(tmp, reports, conf):
    """A reply refused for good (550): the request stays for the next run,
    the run goes on with the others, exit 69. A server silent after the
    whole message went out: it may deliver it, so the request is in flight
    (in .Handmatig), never tried again."""
    from mail_test import FakeSMTP
    gen = Generator(SEED + 9)
    reqs = [gen.plain("rapportage T1 2023", "sent", "2023-T1") for _ in range(2)]
    maildir = small_maildir(tmp, "refused-for-good", reqs)
    with FakeSMTP(replies={"RCPT": "550 5.1.1 no such user"}) as server:
        rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", f"smtp://127.0.0.1:{server.port}",
                          "--config", conf])
    check("550: exit 69", rc == 69, f"{rc} {err}")
    check("550: both tried (the run goes on)", err.count("result=\"failed; tried again next run\"") == 2, err)
    check("550: both stay in new/", [where_is(maildir, r.name) for r in reqs] == ["new", "new"])
    states = journal_states(os.path.join(maildir, ".reportgen-inbox.journal"))
    check("550: the journal back at none", [states.get(r.msgid) for r in reqs] == ["none", "none"], str(states))

    req = gen.plain("rapportage T2 2023", "sent", "2023-T2")
    maildir = small_maildir(tmp, "silent-after-data", [req])
    with FakeSMTP(delays={"EOD": FakeSMTP.NEVER}) as server:
        rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", f"smtp://127.0.0.1:{server.port}",
                          "--config", conf], env_extra={"REPORTGEN_SMTP_TIMEOUT_SCALE": "0.01"}, timeout=60)
        got_body = server.messages == 1
    check("silent after the message: exit 75", rc == 75, f"{rc} {err}")
    check("silent after the message: the whole message went out", got_body)
    check("silent after the message: reported in flight, for a person",
          "decision=in-flight" in err and where_is(maildir, req.name) == "handmatig", f"{where_is(maildir, req.name)} {err}")
    states = journal_states(os.path.join(maildir, ".reportgen-inbox.journal"))
    check("silent after the message: the journal says inflight", states.get(req.msgid) == "inflight", str(states))

    # the connection lost after the whole message, before its reply: the
    # server may have taken it (was a retry: a second reply, possibly)
    req = gen.plain("rapportage T2 2023", "sent", "2023-T2")
    maildir = small_maildir(tmp, "closed-after-data", [req])
    with FakeSMTP(delays={"EOD": FakeSMTP.CLOSE}) as server:
        rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", f"smtp://127.0.0.1:{server.port}",
                          "--config", conf], timeout=60)
        got_body = server.messages == 1
    check("closed after the message: the whole message went out", got_body)
    check("closed after the message: reported in flight, not tried again",
          rc == 75 and "decision=in-flight" in err and where_is(maildir, req.name) == "handmatig",
          f"{rc} {where_is(maildir, req.name)} {err}")
    # a 451 to the message's end: refused, so nothing went out; tried again
    req = gen.plain("rapportage T2 2023", "sent", "2023-T2")
    maildir = small_maildir(tmp, "eod-451", [req])
    with FakeSMTP(replies={"EOD": "451 4.3.0 try again later"}) as server:
        rc, _, err = run(["inbox", maildir, "--reports", reports, "--smtp", f"smtp://127.0.0.1:{server.port}",
                          "--config", conf], timeout=60)
    states = journal_states(os.path.join(maildir, ".reportgen-inbox.journal"))
    check("451 to the message: back to none, in new/ for the next run",
          rc == 75 and states.get(req.msgid) == "none" and where_is(maildir, req.name) == "new",
          f"{rc} {states} {where_is(maildir, req.name)} {err}")


# ------------------------------------------------------------- kills

KILL_STEPS = ["after-key", "after-guard", "after-pick", "after-compose", "after-journal-sending",
              "after-send", "after-journal-sent", "after-file"]


def test_kills(tmp, reports, server, server_dir, conf):
    """A process killed at each step of one request, then run again: the
    request is answered exactly once, or reported in flight (in .Handmatig,
    with the log line) and never sent twice."""
    gen = Generator(SEED + 5)
    for step in KILL_STEPS:
        req = gen.plain("rapportage T1 2023", "sent", "2023-T1")
        maildir = small_maildir(tmp, f"kill-{step}", [req])
        args = ["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf]
        rc, _, err = run(args, env_extra={"REPORTGEN_INBOX_KILL_AT": step})
        check(f"kill {step}: died of SIGKILL", rc == -signal.SIGKILL, f"{rc} {err}")
        rc, _, err = run(args)
        check(f"kill {step}: the rerun exits 0", rc == 0, err)
        n = len(replies_to(received(server_dir), req))
        where = where_is(maildir, req.name)
        if step in ("after-journal-sending", "after-send"):
            check(f"kill {step}: reported in flight", "decision=in-flight" in err and "may have been sent" in err, err)
            check(f"kill {step}: filed for a person", where == "handmatig", str(where))
            check(f"kill {step}: never sent twice", n == (1 if step == "after-send" else 0), str(n))
        else:
            check(f"kill {step}: answered exactly once", n == 1, str(n))
            check(f"kill {step}: filed as replied", where == "cur:RS", str(where))
        rc, _, err = run(args)
        check(f"kill {step}: a third run does nothing", rc == 0 and len(replies_to(received(server_dir), req)) == n,
              err)
    # in flight, and the request filed by a person before the rerun: still reported
    req = gen.plain("rapportage T1 2023", "sent", "2023-T1")
    maildir = small_maildir(tmp, "kill-moved", [req])
    args = ["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf]
    run(args, env_extra={"REPORTGEN_INBOX_KILL_AT": "after-send"})
    os.rename(os.path.join(maildir, "new", req.name), os.path.join(maildir, "cur", req.name + ":2,S"))
    rc, _, err = run(args)
    check("in flight, request moved away: reported by its key", rc == 0 and
          f"{req.msgid} from=- decision=in-flight" in err and "not among the new ones" in err, err)
    check("in flight, request moved away: sent once", len(replies_to(received(server_dir), req)) == 1)
    # a decision recorded, the request not yet filed
    for want, req in (("handmatig", gen.plain("Q1 2023", "handmatig", where="body")),
                      ("cur:S", gen.make("Afwezig", "Weg.\n", "refused", headers=[("Precedence", "bulk")]))):
        maildir = small_maildir(tmp, f"kill-decision-{want}", [req])
        args = ["inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf]
        rc, _, _ = run(args, env_extra={"REPORTGEN_INBOX_KILL_AT": "after-journal-decision"})
        check(f"kill after-journal-decision ({want}): died", rc == -signal.SIGKILL, str(rc))
        check(f"kill after-journal-decision ({want}): still in new/", where_is(maildir, req.name) == "new")
        rc, _, err = run(args)
        check(f"kill after-journal-decision ({want}): the rerun files it as decided",
              rc == 0 and where_is(maildir, req.name) == want, f"{where_is(maildir, req.name)} {err}")
        check(f"kill after-journal-decision ({want}): nothing sent", not replies_to(received(server_dir), req))
    rc, _, err = run(["inbox", maildir, "--reports", reports, "--outbox", tmp],
                     env_extra={"REPORTGEN_INBOX_KILL_AT": "after-nothing"})
    check("an unknown REPORTGEN_INBOX_KILL_AT step: exit 64", rc == 64, err)


def test_two_at_once(tmp, reports, server, server_dir, conf):
    gen = Generator(SEED + 6)
    reqs = [gen.plain(f"rapportage T{1 + i % 3} 2023", "sent", f"2023-T{1 + i % 3}") for i in range(20)]
    maildir = small_maildir(tmp, "two", reqs)
    args = [RG, "inbox", maildir, "--reports", reports, "--smtp", server.url, "--config", conf]
    env = dict(os.environ, SOURCE_DATE_EPOCH=SDE)
    env.pop("REPORTGEN_INBOX_KILL_AT", None)
    procs = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(2)]
    results = [(p.wait(timeout=TIMEOUT), p.stderr.read().decode("utf-8", "replace")) for p in procs]
    for p in procs:
        p.stderr.close()
    rcs = sorted(rc for rc, _ in results)
    check("two at once: each exits 0, or 75 (the journal is another's)", all(rc in (0, 75) for rc in rcs) and 0 in rcs,
          str(results))
    if 75 in rcs:
        check("two at once: the one kept out says why",
              any("another reportgen inbox" in e for rc, e in results if rc == 75), str(results))
    got = received(server_dir)
    counts = [len(replies_to(got, r)) for r in reqs]
    check("two at once: every request answered exactly once", counts == [1] * 20, str(counts))
    rc, _, _ = run(args[1:])
    check("two at once: a run after them sends nothing", rc == 0 and [len(replies_to(received(server_dir), r))
                                                                    for r in reqs] == [1] * 20)


def test_usage(tmp, reports):
    cases = [
        ("no Maildir", ["inbox", "--reports", reports], 64),
        ("no --reports", ["inbox", tmp], 64),
        ("--sendmail and --smtp", ["inbox", tmp, "--reports", reports, "--sendmail", "--smtp", "smtp://x"], 64),
        ("--handmatig without '-'", ["inbox", tmp, "--reports", reports, "--handmatig", tmp], 64),
        ("not a Maildir", ["inbox", tmp, "--reports", reports, "--outbox", tmp], 66),
        ("no manifest", ["inbox", tmp, "--reports", tmp, "--outbox", tmp], 66),
        ("config missing", ["inbox", tmp, "--reports", reports, "--outbox", tmp, "--config",
                            os.path.join(tmp, "nope.conf")], 66),
    ]
    for name, args, want in cases:
        rc, out, err = run(args)
        check(f"{name}: exit {want}", rc == want, f"{rc}: {err.strip()}")
        check(f"{name}: says why", err.strip() != "")
    bad = os.path.join(tmp, "bad.conf")
    with open(bad, "w") as f:
        f.write("from = Logius <communicatie@logius.nl>\nno-such-key = 1\n")
    rc, _, err = run(["inbox", tmp, "--reports", reports, "--outbox", tmp, "--config", bad])
    check("a bad config: exit 65 with file:line", rc == 65 and f"{bad}:2" in err, f"{rc} {err}")
    rc, out, _ = run(["inbox", "--help"])
    check("--help: exit 0, the usage, the test hook named last",
          rc == 0 and b"usage: reportgen inbox" in out and b"REPORTGEN_INBOX_KILL_AT" in out)


def main():
    global RG
    if len(sys.argv) != 2:
        print("usage: python3 tests/inbox_test.py build/reportgen", file=sys.stderr)
        return 2
    RG = os.path.abspath(sys.argv[1])
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="reportgen-inbox-test-")
    try:
        reports = os.path.join(tmp, "reports")
        p = subprocess.run([RG, "batch", "samples", "-o", reports, "-q"], cwd=ROOT, capture_output=True,
                           timeout=TIMEOUT)
        if not check("the sample periods build (reportgen batch)", p.returncode == 0,
                     p.stderr.decode("utf-8", "replace")):
            return 1
        server_dir = os.path.join(tmp, "received")
        with SmtpServer(server_dir, os.path.join(tmp, "aiosmtpd.log")) as server:
            if not check("aiosmtpd starts on 127.0.0.1 (python3-aiosmtpd)", server.url is not None):
                return 1
            reqs, conf = test_big_maildir(tmp, reports, server, server_dir)
            test_dry_run(tmp, reports, server, server_dir, conf)
            test_outbox(tmp, reports, conf)
            test_stdin(tmp, reports, server, server_dir, conf)
            test_sendmail(tmp, reports, conf)
            test_limits(tmp, reports, server, server_dir)
            test_tempfail(tmp, reports, server, server_dir, conf)
            test_send_failures(tmp, reports, conf)
            test_kills(tmp, reports, server, server_dir, conf)
            test_two_at_once(tmp, reports, server, server_dir, conf)
        os.makedirs(os.path.join(tmp, "usage"))
        test_usage(os.path.join(tmp, "usage"), reports)
    finally:
        if os.environ.get("KEEP_TMP"):
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"inbox_test: {time.time() - t0:.1f} s", file=sys.stderr)
        print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
