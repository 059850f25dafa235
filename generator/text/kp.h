/* text/kp.h - the Knuth-Plass total-fit line breaker over boxes, glue and
 * penalties (text stage internal). Items and results are plain arrays; the
 * caller maps them to glyphs. */
#ifndef RG_TEXT_KP_H
#define RG_TEXT_KP_H

#include <stddef.h>

typedef enum { KP_BOX, KP_GLUE, KP_PENALTY } kp_type;

#define KP_INF 10000.0             /* penalty >= KP_INF: no break; <= -KP_INF: forced */

typedef struct kp_item {
    kp_type type;
    double width, stretch, shrink; /* points */
    double penalty;
    int flagged;                   /* a hyphen: consecutive flagged breaks cost extra */
    int hyphenation;               /* an optional hyphen (counts toward the run limit) */
    size_t glyph;                  /* first glyph of the item (penalties: the glyph after) */
} kp_item;

typedef struct kp_params {
    double first_width, width;     /* line widths */
    double tolerance;              /* badness allowed; KP_INF or more: anything goes */
    double line_penalty;           /* added to every line's badness (TeX: 10) */
    double flagged_demerits;       /* two hyphenated lines in a row (TeX: 3000) */
    double fitness_demerits;       /* adjacent lines of very different tightness (100) */
    int max_hyphen_run;            /* hyphenated lines in a row at most */
    int use_hyphens;               /* consider hyphenation penalties */
    double emergency_stretch;      /* extra stretch every line gets (TeX's \emergencystretch) */
} kp_params;

typedef struct kp_break {
    size_t item;                   /* the item the line ends at (glue or penalty) */
    double ratio;                  /* adjustment ratio of the line ending here */
} kp_break;

/* Finds the breaks of a paragraph whose last items are glue with infinite
 * stretch and a forced break. Returns the number of lines and *out
 * (malloc'ed, caller frees), or 0 when no solution fits the tolerance;
 * with tolerance >= KP_INF a solution always exists (where no line
 * reaches a break, the line that runs past its width least is kept). */
size_t kp_find_breaks(const kp_item *items, size_t n, const kp_params *p, kp_break **out);

#endif
