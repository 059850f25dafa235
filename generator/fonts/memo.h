/* fonts/memo.h - fontconfig's answers, remembered between runs. Stage:
 * fonts (fonts/fonts.c is the only user).
 *
 * Reading fontconfig's configuration (FcInitLoadConfigAndFonts: ~50 XML
 * files, 28 M instructions, 5-7 ms) is a quarter of a small report's time,
 * only to learn which file holds "Noto Sans" bold. The memo keeps the
 * answers (family and style -> file, face index, whether the style
 * matched, or "not installed") in $XDG_CACHE_HOME/reportgen/fonts
 * (~/.cache/reportgen/fonts), with a stamp of everything those answers
 * depend on: fontconfig's version, the environment variables that steer
 * it, and the status (modification time, size, inode) of every
 * configuration file and folder it read, every font folder it scanned and
 * the usual places where a user adds fonts or configuration. A memo whose
 * stamp does not match the machine now is not used (and is rewritten
 * after the run), so installing, removing or configuring fonts is seen
 * the next run, as fontconfig's own caches see it. */
#ifndef RG_FONT_MEMO_H
#define RG_FONT_MEMO_H

#include <fontconfig/fontconfig.h>
#include <stdio.h>

typedef struct rg_font_memo rg_font_memo;

/* Where the memo lives: $XDG_CACHE_HOME/reportgen/fonts, else
 * $HOME/.cache/reportgen/fonts (malloc'ed); NULL when neither variable is
 * set to an absolute path. */
char *rg_font_memo_path(void);

/* The memo at path when its stamp matches the machine now; NULL when there
 * is none, it is damaged or stale. */
rg_font_memo *rg_font_memo_load(const char *path);

/* An empty memo, to collect answers in. Cannot fail. */
rg_font_memo *rg_font_memo_new(void);

/* Looks up family (case-insensitively) in a style: 1 with *path (NULL:
 * not installed; valid until the memo is freed), *index and *style_ok;
 * 0 when the memo has no answer for it. */
int rg_font_memo_get(const rg_font_memo *m, const char *family, int bold, int italic,
                     const char **path, unsigned *index, int *style_ok);

/* Adds fontconfig's answer for family in a style (path NULL: not
 * installed), replacing an earlier one. Names with a tab or a line break
 * are not remembered. Cannot fail. */
void rg_font_memo_put(rg_font_memo *m, const char *family, int bold, int italic,
                      const char *path, unsigned index, int style_ok);

/* Whether answers were added since the memo was loaded or made. */
int rg_font_memo_changed(const rg_font_memo *m);

/* Writes the memo to path (a temporary file renamed over it; the folder
 * is made if needed) with the stamp of cfg, the configuration the added
 * answers came from. Answers loaded with an older stamp that no longer
 * matches are left out. Returns 0, or -1 when nothing could be written
 * (the next run then asks fontconfig again); an existing path that is not
 * a regular file (a FIFO, a link) is left alone. */
int rg_font_memo_save(rg_font_memo *m, FcConfig *cfg, const char *path);

void rg_font_memo_free(rg_font_memo *m);   /* accepts NULL */

/* Makes the folders above path (like mkdir -p, mode 0700 as the XDG base
 * directory rules ask). */
void rg_font_memo_make_parents(const char *path);

/* Replaces the file at path with what write(out, data) writes: into a
 * temporary file beside it (the folders made if needed), renamed over it
 * when every write succeeded. 0, or -1 when nothing was replaced; a path
 * that exists and is not a regular file (a FIFO, a link) is left alone.
 * The memo's way of writing, and fonts/faces.c's. */
int rg_font_memo_replace(const char *path, void (*write)(FILE *out, void *data), void *data);

#endif
