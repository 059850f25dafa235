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

#endif
