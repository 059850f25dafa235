/* mail/mail.h - the reply to a request e-mail: a MIME message (RFC 5322/2045)
 * answering the request with the report PDF attached, written to a file or
 * stdout, or sent over SMTP or through sendmail. Stage: mail.
 * Includes no third-party header: GMime (mail/mail.c: composing) and
 * libcurl (mail/send.c: SMTP) stay in the stage; mail/command.c is the
 * reply subcommand. Linked into reportgen-reply only (cli/reply-main.c). */
#ifndef RG_MAIL_H
#define RG_MAIL_H

#include "base/base.h"

/* What a reply says and who it comes from. A layout may supply one later;
 * until then rg_reply_template_default() gives the agency's. All strings
 * are UTF-8 and borrowed (the template does not own them). */
typedef struct rg_reply_template {
    const char *from;            /* "Display Name <addr@domain>" or a bare address */
    const char *subject_prefix;  /* put before the request's subject: "Re:" */
    const char *default_subject; /* used when the request has no subject */
    const char *body;            /* the text, LF line ends; NULL: the default's */
} rg_reply_template;

/* The agency's template: a polite Dutch reply from Logius Communicatie.
 * Its text is the shipped mail/antwoord-nl.txt (found as the schema is:
 * $REPORTGEN_DATADIR/mail, the source tree's mail/, the installed data
 * folder's mail/), read on the first call and filled with no period.
 * Points to static data; cannot fail: when the text cannot be read its
 * body is NULL and rg_reply_compose says why (RG_EX_NOINPUT). */
const rg_reply_template *rg_reply_template_default(void);

typedef struct rg_reply_opts {
    const rg_reply_template *tmpl; /* NULL: the default template */
    const char *attach_name;       /* file name shown for the PDF; NULL: the PDF's own */
    int auto_submitted;            /* add Auto-Submitted: auto-replied (RFC 3834) */
    const char *bcc;               /* an archive copy to this address (user@domain): an
                                    * envelope recipient only, never a header; NULL: none */
} rg_reply_opts;

/* A composed reply: the message bytes (CRLF line ends) and its envelope. */
typedef struct rg_reply rg_reply;

/* Reads the request at request_path and the PDF at pdf_path and composes the
 * reply. The recipients are the request's Reply-To, else its From; headers
 * that are ambiguous or carry injected lines are not trusted (a warning for
 * Reply-To, then From is used; an error for From). On success *out is the
 * caller's (rg_reply_free). Fails with RG_EX_NOINPUT (a file is missing),
 * RG_EX_DATAERR (the request is malformed or has no usable sender, the PDF
 * is not one), RG_EX_USAGE (the template's From or opts->bcc is not an
 * address), RG_EX_NOINPUT (also: the standard text cannot be read) or
 * RG_EX_SOFTWARE, after a diagnostic on ctx. Not safe to call from two
 * threads at once (GMime's global state). */
rg_status rg_reply_compose(rg_ctx *ctx, const char *request_path, const char *pdf_path,
                           const rg_reply_opts *opts, rg_reply **out);

/* The same from bytes in memory (fuzzing, a request read from a pipe): req
 * (req_len bytes) is the request and pdf (pdf_len bytes) the PDF, neither
 * needing a NUL; request_path and pdf_path only name them in diagnostics,
 * and pdf_path's base name is the attachment's name unless
 * opts->attach_name is given. The buffers stay the caller's. Same statuses
 * as rg_reply_compose except that only the standard text may be read (RG_EX_NOINPUT
 * only when it is needed and cannot be). */
rg_status rg_reply_compose_mem(rg_ctx *ctx, const char *request_path, const char *req,
                               size_t req_len, const char *pdf_path, const char *pdf,
                               size_t pdf_len, const rg_reply_opts *opts, rg_reply **out);

/* The message bytes; *len receives their count. Cannot fail. */
const char *rg_reply_bytes(const rg_reply *r, size_t *len);

/* Writes the message to path ("-" or NULL: stdout). A file is written to a
 * temporary file beside it and renamed into place, so a failure leaves no
 * partial file. An existing path that is not a regular file (device, FIFO,
 * socket, symbolic link, folder) or is a file this reply was read from is
 * refused (rg_output_check). Returns RG_OK or RG_EX_CANTCREAT after a
 * diagnostic. */
rg_status rg_reply_write(rg_ctx *ctx, const rg_reply *r, const char *path);

/* SMTP credentials; both NULL for none. */
typedef struct rg_smtp_auth {
    char *user;
    char *password;
} rg_smtp_auth;

/* Sends the message over SMTP with libcurl to url (smtp:// with STARTTLS
 * when offered - required when credentials are given and the host has an
 * address that is not a loopback one - or smtps://), connecting only to
 * the addresses it resolved the host to, with RFC 5321's timeouts. MAIL
 * FROM is the reply's From, RCPT TO its To and its Bcc (opts.bcc). Returns RG_OK, RG_EX_USAGE
 * (bad URL), RG_EX_SOFTWARE, RG_EX_TEMPFAIL (worth a
 * retry: a 4xx reply, the server unreachable or silent, the connection
 * lost) or RG_EX_UNAVAILABLE (not worth one: a 5xx reply, TLS or login
 * refused) after a diagnostic. When it fails after the whole message went
 * out and no 4xx or 5xx reply to it came back (the server silent, the
 * connection lost), the server may still deliver it: *maybe_delivered
 * (when not NULL) is then 1, else 0, so that a caller that must not send
 * twice (the mail desk) does not retry blindly. */
rg_status rg_reply_send_smtp(rg_ctx *ctx, const rg_reply *r, const char *url,
                             const rg_smtp_auth *auth, int *maybe_delivered);

/* Pipes the message to `sendmail -t -oi` with local line ends (with a Bcc,
 * which is in no header, `sendmail -oi -- TO... BCC` instead: sendmails
 * differ on whether -t adds the arguments' addresses or drops them): the program
 * $REPORTGEN_SENDMAIL names (a path, or a name looked up on PATH), else
 * /usr/sbin/sendmail (RG_SENDMAIL; not looked up on PATH, which cron and
 * most users have without /usr/sbin). Returns RG_OK, RG_EX_TEMPFAIL (sendmail exited with EX_TEMPFAIL,
 * 75) or RG_EX_UNAVAILABLE (not found, another non-zero exit, killed)
 * after a diagnostic. */
rg_status rg_reply_send_sendmail(rg_ctx *ctx, const rg_reply *r);

void rg_reply_free(rg_reply *r);   /* accepts NULL */

/* The `reportgen reply` subcommand. argv[0] is "reply"; parses its own
 * options, prints its usage on --help, returns the process exit code. */
int rg_cmd_reply(int argc, char **argv);

/* The `reportgen inbox` subcommand (mail/inbox.c): answers the requests
 * in a Maildir (or one on standard input), each exactly once. argv[0] is
 * "inbox"; parses its own options, prints its usage on --help, returns
 * the process exit code. */
int rg_cmd_inbox(int argc, char **argv);

#endif
