/* batch/progress.h - the progress line of a batch on stderr, and the one
 * stream every other line of the batch goes to while it shows. Stage:
 * batch (its own; no other stage includes it).
 *
 * The line is redrawn in place ("\r") on a terminal. A message written to
 * stderr by another thread at the same moment would glue onto it
 * ("[3/12] 2 built, ...rapport.xml:12: error: ..."), so every message of
 * the batch (the workers' diagnostics, the manifest's, -v's report lines)
 * goes through progress_stream: a stream that clears the line, writes
 * the message and draws the line again under it. Without a progress line
 * the stream is stderr itself. */
#ifndef RG_BATCH_PROGRESS_H
#define RG_BATCH_PROGRESS_H

#include <stdio.h>

typedef struct progress progress;

/* A progress line on stderr when shown is set (the caller decides: stderr
 * a terminal and not -q), else nothing is ever drawn. Cannot fail: when
 * the stream cannot be made, messages go to stderr as they are. */
progress *progress_new(int shown);

/* Where the batch's messages go: whole lines, any thread. */
FILE *progress_stream(progress *p);

/* Sets the line's text (printf-style; kept short: it must not wrap) and
 * draws it, over the previous one. Any thread. */
void progress_show(progress *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Clears the line and draws it no more (before the summary on stdout). */
void progress_end(progress *p);

/* Ends it and frees it (and its stream). Accepts NULL. */
void progress_free(progress *p);

#endif
