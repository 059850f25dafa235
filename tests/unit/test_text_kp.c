/* test_text_kp.c - the Knuth-Plass breaker (text/kp.h) on hand-made items. */
#include "test.h"
#include "text/kp.h"

#include <stdlib.h>

static kp_item box(double w) { return (kp_item){ KP_BOX, w, 0, 0, 0, 0, 0, 0 }; }

static kp_item glue(double w, double stretch, double shrink)
{
    return (kp_item){ KP_GLUE, w, stretch, shrink, 0, 0, 0, 0 };
}

static kp_item forced(void) { return (kp_item){ KP_PENALTY, 0, 0, 0, -KP_INF, 0, 0, 0 }; }

/* A line as wide as its measure fits, though the running sums give its
 * width a few ulps over (37.86 + 2.43 + 55.55 - (37.86 + 2.43) > 55.55):
 * a table column is as wide as its widest word, measured alone. */
TEST(text_kp_line_as_wide_as_its_measure_fits)
{
    kp_item it[] = { box(37.86), glue(2.43, 1, 1), box(55.55), glue(0, 1e6, 0), forced() };
    kp_params p = { 37.86, 55.55, 100, 10, 3000, 100, 2, 0, 0 };
    kp_break *br = NULL;
    size_t n = kp_find_breaks(it, sizeof it / sizeof *it, &p, &br);
    CHECK(n == 2);
    CHECK(n == 2 && br[0].item == 1 && br[1].item == 4);
    free(br);
}

/* When no line fits (the emergency pass), the overfull line kept is the
 * one that runs past its width least: here 40 | 100.5 (0.5 pt over), not
 * the 40 + 3 + 100.5 that the break kept longest would give. */
TEST(text_kp_emergency_keeps_the_least_overfull_line)
{
    kp_item it[] = { box(40), glue(3, 1.5, 1), box(100.5), glue(0, 1e6, 0), forced() };
    kp_params p = { 100, 100, KP_INF, 10, 3000, 100, 2, 0, 0 };
    kp_break *br = NULL;
    size_t n = kp_find_breaks(it, sizeof it / sizeof *it, &p, &br);
    CHECK(n >= 2);
    CHECK(n >= 2 && br[0].item == 1);
    free(br);
}
