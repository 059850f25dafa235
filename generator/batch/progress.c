/* batch/progress.c - the progress line on stderr and the stream that
 * writes messages around it (see progress.h). Stage: batch. The line is
 * cleared with spaces, not a terminal's escape sequence, so any terminal
 * shows it right. */
#define _GNU_SOURCE                /* fopencookie */
#include "progress.h"

#include "base/base.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

struct progress {
    int shown;                     /* drawn at all (until progress_end) */
    FILE *stream;                  /* the messages' stream, or stderr */
    pthread_mutex_t lock;          /* the terminal line: text, drawn, mid_line */
    char text[160];
    size_t drawn;                  /* columns of text on the terminal now; 0: cleared */
    int mid_line;                  /* a message began a line and has not ended it */
};

static void clear_locked(progress *p)
{
    if (!p->drawn) return;
    fprintf(stderr, "\r%*s\r", (int)p->drawn, "");
    p->drawn = 0;
}

static void draw_locked(progress *p)
{
    if (!p->shown || p->mid_line || !p->text[0]) return;
    size_t n = strlen(p->text);
    fprintf(stderr, "\r%s", p->text);
    if (n < p->drawn) fprintf(stderr, "%*s", (int)(p->drawn - n), "");  /* the longer one's end */
    p->drawn = n;
    fflush(stderr);
}

/* The stream's write: the line cleared, the message, the line again. */
static ssize_t stream_write(void *cookie, const char *buf, size_t n)
{
    progress *p = cookie;
    pthread_mutex_lock(&p->lock);
    if (!p->mid_line) clear_locked(p);
    size_t written = fwrite(buf, 1, n, stderr);
    if (written > 0) p->mid_line = buf[written - 1] != '\n';
    draw_locked(p);
    fflush(stderr);
    pthread_mutex_unlock(&p->lock);
    return written > 0 || n == 0 ? (ssize_t)written : -1;
}

progress *progress_new(int shown)
{
    progress *p = rg_xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    p->stream = stderr;
    if (!shown) return p;
    cookie_io_functions_t io = { NULL, stream_write, NULL, NULL };
    FILE *f = fopencookie(p, "w", io);
    if (!f) return p;              /* no line then, rather than messages glued onto it */
    setvbuf(f, NULL, _IOLBF, BUFSIZ);
    p->stream = f;
    p->shown = 1;
    return p;
}

FILE *progress_stream(progress *p)
{
    return p->stream;
}

void progress_show(progress *p, const char *fmt, ...)
{
    if (!p->shown) return;
    pthread_mutex_lock(&p->lock);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text, sizeof p->text, fmt, ap);
    va_end(ap);
    draw_locked(p);
    pthread_mutex_unlock(&p->lock);
}

void progress_end(progress *p)
{
    if (p->stream != stderr) fflush(p->stream);
    pthread_mutex_lock(&p->lock);
    clear_locked(p);
    p->shown = 0;
    fflush(stderr);
    pthread_mutex_unlock(&p->lock);
}

void progress_free(progress *p)
{
    if (!p) return;
    progress_end(p);
    if (p->stream != stderr) fclose(p->stream);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
