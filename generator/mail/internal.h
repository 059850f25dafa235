/* mail/internal.h - what the files of the mail stage share among themselves
 * (mail/mail.c composes, mail/send.c delivers, mail/command.c is the subcommand).
 * No other stage includes it. Includes no third-party header. */
#ifndef RG_MAIL_IMP_H
#define RG_MAIL_IMP_H

#include "mail.h"

/* Never more recipients than this: a reply answers one person (or the few
 * addresses they named in Reply-To); a longer list would make the reply a
 * way to mail strangers. */
#define RG_MAIL_MAX_RECIPIENTS 10

struct rg_reply {
    char *data;           /* the message, CRLF line ends, NUL-terminated */
    size_t len;
    char *mail_from;      /* the envelope sender: the From address */
    char *rcpt[RG_MAIL_MAX_RECIPIENTS];   /* the To addresses (ASCII, IDNA) */
    int nrcpt;
    char *bcc;            /* an envelope recipient more (rg_reply_opts.bcc), in no
                           * header; NULL: none */
};

/* Reads a whole regular file into a NUL-terminated buffer (*data is the
 * caller's, free()) and notes it as one of ctx's inputs (rg_ctx_note_file),
 * which -o then refuses to replace. Opened non-blocking and fstat'ed first
 * (rg_read_regular), so a FIFO or a device never hangs the run. Fails with
 * RG_EX_NOINPUT (missing, unreadable, not a regular file) or RG_EX_DATAERR
 * (larger than max bytes) after a diagnostic in which what names the
 * file's role. */
rg_status rg_mail_read_file(rg_ctx *ctx, const char *path, size_t max, const char *what,
                            char **data, size_t *len);

/* Reads SMTP credentials from a file of two lines (user, password) that
 * must not be readable by group or others (RG_EX_USAGE otherwise), or,
 * with path NULL, from REPORTGEN_SMTP_USER / REPORTGEN_SMTP_PASSWORD (none
 * set: no credentials). The strings in *auth are the caller's; clear them
 * with rg_smtp_auth_clear. Fails with RG_EX_NOINPUT, RG_EX_USAGE or
 * RG_EX_DATAERR after a diagnostic. */
rg_status rg_smtp_auth_load(rg_ctx *ctx, const char *path, rg_smtp_auth *auth);

/* Wipes and frees the credentials. Accepts an empty one; cannot fail. */
void rg_smtp_auth_clear(rg_smtp_auth *auth);

/* Sets GMime up, once per process (never shut down: see mail.c). Every
 * file of the stage that calls GMime calls this first. */
void rg_mail_mime_init(void);

/* 1 when addr is an ASCII addr-spec a reply may be sent to or come from:
 * a dot-atom local part and a dot-separated host name (no quoted local
 * parts, domain literals or source routes). */
int rg_mail_addr_ok(const char *addr);

/* Reads one mailbox, "Display Name <addr@domain>" or a bare address, as
 * the reply's From or the desk's configuration gives it: exactly one
 * usable address (rg_mail_addr_ok after IDNA), no injected lines, no
 * group or second '<...>'. Returns 1 with *addr (ASCII) and *name (the
 * display name, or NULL when none or not safe to show) malloc'd, else 0
 * with both NULL. */
int rg_mail_mailbox_parse(const char *text, char **name, char **addr);

/* The largest reply text (a template) the stage reads: a few paragraphs. */
#define RG_MAIL_MAX_TEXT_BYTES (64u << 10)

/* Reads a reply text (a template): a regular file of at most
 * RG_MAIL_MAX_TEXT_BYTES, UTF-8 without NUL; CRLF and lone CR become LF.
 * Returns RG_OK with *text malloc'd, else RG_EX_NOINPUT (missing,
 * unreadable) or RG_EX_DATAERR (too big, not UTF-8 text) with the reason
 * in why; nothing is reported on a context (callers say where). */
rg_status rg_mail_text_read(const char *path, char **text, char *why, size_t whylen);

/* Makes the line ends of text[0..len) LF (CRLF and lone CR) in place and
 * NUL-terminates it; returns the new length. */
size_t rg_mail_text_lf(char *text, size_t len);

/* The path of a file of the shipped mail folder (antwoord-nl.txt,
 * inbox.conf.example): rg_paths_find's mail folder - $REPORTGEN_DATADIR/mail,
 * the source tree's mail/ beside build/, or the installed
 * $(DATADIR)/mail - into out. */
void rg_mail_shipped_file(const char *name, char *out, size_t cap);

#endif
