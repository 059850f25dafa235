/* text/kp.c - Knuth-Plass total-fit line breaking (Knuth & Plass,
 * "Breaking Paragraphs into Lines", 1981), as in TeX: active breakpoints
 * with fitness classes, badness 100|r|^3, demerits (l + b)^2 + p^2, extra
 * demerits for consecutive hyphens and for tightness jumps, a cap on
 * hyphenated lines in a row. Linear in practice: the tolerance keeps the
 * active list short. Stage: text. */
#include "kp.h"

#include "base/base.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct node {
    size_t item;                   /* break position (item index); SIZE_MAX = start */
    int line;                      /* lines before this break */
    int fitness;                   /* 0 tight, 1 decent, 2 loose, 3 very loose */
    int hyphen_run;                /* hyphenated lines ending here in a row */
    int flagged;                   /* the break is a flagged penalty */
    double width, stretch, shrink; /* sums after the break */
    double demerits;
    double ratio;                  /* of the line ending here */
    struct node *prev;             /* previous break on the best path */
    struct node *next;             /* active list */
} node;

typedef struct sums {
    double width, stretch, shrink;
} sums;

typedef struct pool {              /* nodes are freed together at the end */
    node **blocks;
    size_t nblocks, cap, used;
} pool;

enum { POOL_BLOCK = 256, CLASSES = 4, MAX_RUN_KEYS = 11 };

#define FIT_EPS 1e-6            /* points: rounding in a line's width (ratio_of) */

static node *node_new(pool *p)
{
    if (p->nblocks == 0 || p->used == POOL_BLOCK) {
        rg_grow(&p->blocks, &p->cap, p->nblocks + 1, sizeof *p->blocks);
        p->blocks[p->nblocks++] = rg_xmalloc(POOL_BLOCK * sizeof(node));
        p->used = 0;
    }
    node *n = &p->blocks[p->nblocks - 1][p->used++];
    memset(n, 0, sizeof *n);
    return n;
}

static void pool_free(pool *p)
{
    for (size_t i = 0; i < p->nblocks; i++) free(p->blocks[i]);
    free(p->blocks);
}

static double line_width(const kp_params *p, int line)
{
    return line == 0 ? p->first_width : p->width;
}

static int legal_break(const kp_item *it, size_t i, const kp_params *p)
{
    if (it[i].type == KP_PENALTY)
        return it[i].penalty < KP_INF && (p->use_hyphens || !it[i].hyphenation);
    return it[i].type == KP_GLUE && i > 0 && it[i - 1].type == KP_BOX;
}

/* Sums after a break at i: skip glue and penalties up to the next box. */
static sums after_break(const kp_item *it, size_t n, const sums *total, size_t i)
{
    sums s = total[i];
    for (size_t k = i; k < n; k++) {
        if (it[k].type == KP_BOX) break;
        if (it[k].type == KP_GLUE) {
            s.width += it[k].width;
            s.stretch += it[k].stretch;
            s.shrink += it[k].shrink;
        } else if (it[k].penalty <= -KP_INF && k > i) {
            break;
        }
    }
    return s;
}

/* The natural width of the line from a to b. */
static double natural_width(const kp_item *it, const sums *total, size_t b, const node *a)
{
    double w = total[b].width - a->width;
    return it[b].type == KP_PENALTY ? w + it[b].width : w;
}

/* The adjustment ratio of the line from a to b. A line wider than target
 * by less than FIT_EPS is as wide: the running sums give a line's width
 * to the last bit only up to rounding, and a word measured alone to fill
 * its measure (a table column's widest word) is not overfull. */
static double ratio_of(const kp_item *it, const sums *total, size_t b, const node *a,
                       double target, double extra_stretch)
{
    double w = natural_width(it, total, b, a);
    if (w < target) {
        double st = total[b].stretch - a->stretch + extra_stretch;
        return st > 0 ? (target - w) / st : KP_INF;
    }
    if (w > target + FIT_EPS) {
        double sh = total[b].shrink - a->shrink;
        return sh > 0 ? (target - w) / sh : -KP_INF;
    }
    return 0;
}

static int fitness_of(double r)
{
    if (r < -0.5) return 0;
    if (r <= 0.5) return 1;
    if (r <= 1) return 2;
    return 3;
}

static double badness_of(double r)
{
    if (r < -1) return KP_INF;
    double b = 100 * fabs(r) * fabs(r) * fabs(r);
    return b > KP_INF ? KP_INF : b;
}

typedef struct candidate {
    node *from;
    double demerits, ratio;
    int hyphen_run;
} candidate;

static double demerits_of(const kp_params *p, const kp_item *br, const node *a, double bad,
                          int fit)
{
    double d = p->line_penalty + bad;
    d *= d;
    if (br->type == KP_PENALTY) {
        if (br->penalty > 0) d += br->penalty * br->penalty;
        else if (br->penalty > -KP_INF) d -= br->penalty * br->penalty;
    }
    int flagged = br->type == KP_PENALTY && br->flagged;
    if (flagged && a->flagged) d += p->flagged_demerits;
    if (abs(fit - a->fitness) > 1) d += p->fitness_demerits;
    return d;
}

/* Drops the candidates at one break that cannot be on the best path: the
 * breaks are at the same item, so their futures differ only in the fitness
 * demerits of the next line (at most fitness_demerits) and in the hyphen
 * run (a shorter run allows everything a longer one does). A candidate is
 * dominated when another with no longer a run is cheaper by more than
 * fitness_demerits (TeX's rule, with the run as a second key). Without
 * this the emergency pass, where every line fits, keeps up to
 * CLASSES * MAX_RUN_KEYS nodes per break alive. */
static void prune_dominated(candidate *best, const int *live, int m, double fitness_demerits)
{
    for (int i = 0; i < m; i++) {
        candidate *x = &best[live[i]];
        for (int j = 0; j < m; j++) {
            const candidate *y = &best[live[j]];
            if (j != i && y->from && y->hyphen_run <= x->hyphen_run &&
                y->demerits + fitness_demerits < x->demerits) {
                x->from = NULL;
                break;
            }
        }
    }
}

/* Adds key to the ascending list of keys in use (at most CLASSES *
 * MAX_RUN_KEYS, usually one to four). */
static void key_used(int *live, int *m, int key)
{
    int i = (*m)++;
    while (i > 0 && live[i - 1] > key) {
        live[i] = live[i - 1];
        i--;
    }
    live[i] = key;
}

/* The break a line past its width starts from when no line fits: the one
 * that runs past it least (TeX's final pass keeps the latest break, the
 * shortest line, alike). */
typedef struct overfull {
    node *from;
    double by;                     /* points past the line's width, shrunk all it can */
} overfull;

/* Keeps in *o the line from a to b when it runs past target less. */
static void least_over(const kp_item *it, const sums *total, size_t b, node *a, double target,
                       overfull *o)
{
    double by = natural_width(it, total, b, a) - (total[b].shrink - a->shrink) - target;
    if (!o->from || by < o->by) *o = (overfull){ a, by };
}

/* The emergency pass's last resort when no line reaches break b: an
 * overfull line from a, at a cost above any line that fits. */
static node *overfull_node(pool *pl, const kp_item *it, size_t n, const sums *total, size_t b,
                           node *a)
{
    node *nn = node_new(pl);
    nn->item = b;
    nn->line = a->line + 1;
    nn->fitness = 0;
    nn->hyphen_run = it[b].type == KP_PENALTY && it[b].hyphenation ? a->hyphen_run + 1 : 0;
    nn->flagged = it[b].type == KP_PENALTY && it[b].flagged;
    sums s = after_break(it, n, total, b + 1);
    nn->width = s.width;
    nn->stretch = s.stretch;
    nn->shrink = s.shrink;
    nn->demerits = a->demerits + KP_INF * KP_INF;
    nn->ratio = -1;
    nn->prev = a;
    nn->next = NULL;
    return nn;
}

size_t kp_find_breaks(const kp_item *it, size_t n, const kp_params *p, kp_break **out)
{
    *out = NULL;
    if (n == 0) return 0;
    sums *total = rg_xmalloc((n + 1) * sizeof *total);
    total[0] = (sums){ 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        total[i + 1] = total[i];
        if (it[i].type != KP_PENALTY) {
            total[i + 1].width += it[i].width;
            if (it[i].type == KP_GLUE) {
                total[i + 1].stretch += it[i].stretch;
                total[i + 1].shrink += it[i].shrink;
            }
        }
    }
    int emergency = p->tolerance >= KP_INF;
    pool pl = { 0 };
    node *active = node_new(&pl);
    active->item = SIZE_MAX;
    active->fitness = 1;
    node *last_dropped = NULL;
    size_t result = 0;

    /* the best candidate per key (fitness class, hyphen run) at one break;
     * only the keys in live are set, and they are cleared after use */
    candidate best[CLASSES * MAX_RUN_KEYS];
    int live[CLASSES * MAX_RUN_KEYS], nlive = 0;
    for (int k = 0; k < CLASSES * MAX_RUN_KEYS; k++) best[k].from = NULL;
    for (size_t b = 0; b < n && active; b++) {
        if (!legal_break(it, b, p)) continue;
        overfull over = { NULL, 0 };
        node **link = &active;
        while (*link) {
            node *a = *link;
            double r = ratio_of(it, total, b, a, line_width(p, a->line), p->emergency_stretch);
            int forced = it[b].type == KP_PENALTY && it[b].penalty <= -KP_INF;
            double bad = badness_of(r);
            int run = it[b].type == KP_PENALTY && it[b].hyphenation ? a->hyphen_run + 1 : 0;
            int ok = r >= -1 && (bad <= p->tolerance || emergency) && run <= p->max_hyphen_run;
            if (ok) {
                int fit = fitness_of(r);
                double d = a->demerits + demerits_of(p, &it[b], a, bad, fit);
                int key = fit * MAX_RUN_KEYS + (run < MAX_RUN_KEYS ? run : MAX_RUN_KEYS - 1);
                if (!best[key].from) key_used(live, &nlive, key);
                if (!best[key].from || d < best[key].demerits)
                    best[key] = (candidate){ a, d, r, run };
            }
            if (r < -1 || forced) {          /* a is done: lines from it only get worse */
                if (r < -1) least_over(it, total, b, a, line_width(p, a->line), &over);
                *link = a->next;
                last_dropped = a;
            } else {
                link = &a->next;
            }
        }
        int added = 0;
        prune_dominated(best, live, nlive, p->fitness_demerits);
        sums s = nlive ? after_break(it, n, total, b + 1) : (sums){ 0, 0, 0 };
        for (int i = 0; i < nlive; i++) {
            int k = live[i];
            if (!best[k].from) continue;
            node *nn = node_new(&pl);
            nn->item = b;
            nn->line = best[k].from->line + 1;
            nn->fitness = k / MAX_RUN_KEYS;
            nn->hyphen_run = best[k].hyphen_run;
            nn->flagged = it[b].type == KP_PENALTY && it[b].flagged;
            nn->width = s.width;
            nn->stretch = s.stretch;
            nn->shrink = s.shrink;
            nn->demerits = best[k].demerits;
            nn->ratio = best[k].ratio;
            nn->prev = best[k].from;
            nn->next = active;
            active = nn;
            added = 1;
        }
        for (int i = 0; i < nlive; i++) best[live[i]].from = NULL;
        nlive = 0;
        if (!active && emergency && last_dropped && !added)
            active = overfull_node(&pl, it, n, total, b, over.from ? over.from : last_dropped);
    }
    /* the best node at the final forced break */
    node *final = NULL;
    for (node *a = active; a; a = a->next)
        if (a->item == n - 1 && (!final || a->demerits < final->demerits)) final = a;
    if (final) {
        result = (size_t)final->line;
        kp_break *br = rg_xmalloc(result * sizeof *br);
        size_t k = result;
        for (node *a = final; a && a->item != SIZE_MAX; a = a->prev)
            br[--k] = (kp_break){ a->item, a->ratio };
        *out = br;
    }
    pool_free(&pl);
    free(total);
    return result;
}
