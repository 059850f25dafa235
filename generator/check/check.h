/* check/check.h - the layout checker: invariants every laid-out document
 * must hold, checked on its display list (the boxes and sources dlist.h
 * records). `reportgen build --check-layout` runs it after layout; the
 * tests run it on every definition they build. Stage: check.
 * Implementation: check/check.c.
 *
 * The invariants (each violation is one error diagnostic, "file:line:
 * error: layout check: page N: ...", naming the definition line of the
 * box or paragraph concerned):
 *  - media:    no glyph's ink outside the page's media box;
 *  - box:      every glyph run belongs to a box, and its ink stays inside
 *              it (text area, table cell, chart, header/footer field);
 *  - overlap:  no two glyph runs' inks overlap (runs that continue each
 *              other on one line excepted), nor a run's ink a rule, or
 *              part of a fill, of another box (a chart's drawing may lie
 *              under its own text, and under its labels' boxes' text);
 *              a run's underline (a thin fill drawn right after the run,
 *              along it: within its advance, not above its baseline, at
 *              most half its size below) is its decoration: it may cross
 *              the run's own descenders, not other text, and must stay
 *              inside the run's box (else a box violation);
 *  - break:    a line of a paragraph that ends inside a word (ideographs
 *              are no word: lines break between any two) ends with an
 *              inserted hyphen (RG_RUN_HYPHEN) or was warned about
 *              (RG_RUN_HARD_BREAK); figures, amounts and dates are never
 *              broken inside but so (one wider than its line); URLs and e-mail addresses break only after
 *              '/', '.', '@' or '-', without a hyphen;
 *  - cut:      every visible character of a paragraph is drawn, unless a
 *              run was shortened (RG_RUN_SHORTENED), which must end with
 *              an ellipsis;
 *  - keep:     no page's last content (in reading order, artifacts left
 *              out) is a heading's (H1..H6) text, unless nothing follows
 *              it or what follows is a heading of its level or higher
 *              (the heading's section is empty);
 *  - pageref:  every page number a cross-reference printed (rg_dl_pageref)
 *              is the printed page number (the page labels') of the page
 *              its destination is on.
 *  - note:     every footnote's first line is on the page of its
 *              reference's line (the display list's note records,
 *              rg_dl_note_ref / rg_dl_note_at; issue 16).
 * Ink is the glyphs' outlines' boxes (rg_font_glyph_ink), not their
 * advances; a turned run's (rg_dl_glyphs.angle) are turned with it: their
 * bounding boxes must stay inside the media and the run's box, and they
 * overlap other ink or a rule only where the turned boxes themselves do
 * (the parallel labels of a dense chart axis lie close, not over each
 * other); its pieces of one line share a turned baseline. Overlaps and
 * overflows under RG_CHECK_TOLERANCE points count
 * as touching, and ink may overhang a box's sides by a tenth of its size,
 * or by as much as the font draws the glyph past its advance, up to a
 * quarter of its size (a J or an italic f at a line's ends). */
#ifndef RG_CHECK_H
#define RG_CHECK_H

#include "base/base.h"
#include "dlist/dlist.h"

#define RG_CHECK_TOLERANCE 0.5     /* points */

typedef enum {
    RG_CHECK_MEDIA,
    RG_CHECK_BOX,
    RG_CHECK_OVERLAP,
    RG_CHECK_BREAK,
    RG_CHECK_CUT,
    RG_CHECK_KEEP,
    RG_CHECK_PAGEREF,              /* cross-references (issue 16, xref) */
    RG_CHECK_NOTE,                 /* footnotes (issue 16) */
    RG_CHECK_NKINDS
} rg_check_kind;

typedef struct rg_check_result {
    size_t violations[RG_CHECK_NKINDS];
    size_t total;
    size_t runs, glyphs;           /* what was looked at */
} rg_check_result;

/* Checks dl. Each violation is reported with rg_diag as an error naming
 * path and the definition's line (at most the first 20 of each kind;
 * then one line with the count). Fills *res when not NULL; returns the
 * number of violations. Cannot fail. */
size_t rg_check_layout(rg_ctx *ctx, const rg_dl *dl, const char *path, rg_check_result *res);

/* The invariant's name ("media", "box", "overlap", "break", "cut", "keep",
 * "pageref", "note"). */
const char *rg_check_kind_name(rg_check_kind k);

#endif
