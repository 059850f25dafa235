/* base/convert.c - floating values to integers, defined for every double
 * (see base/base.h). Stage: base, used by every stage that counts or
 * rounds lengths: lines in a room, dots of a leader, label lines of a
 * chart, glyph advances. A plain cast of NaN or of a value beyond the
 * target type is undefined behaviour in C; here it is clamped. */
#include "base.h"

#include <math.h>
#include <stdint.h>

int rg_double_to_int(double v, int lo, int hi, int *out)
{
    double t = trunc(v);
    if (!(t >= (double)lo)) {         /* below the range, or NaN */
        *out = lo;
        return -1;
    }
    if (t > (double)hi) {             /* int's limits are exact doubles */
        *out = hi;
        return -1;
    }
    *out = (int)t;
    return 0;
}

int rg_double_to_size(double v, size_t lo, size_t hi, size_t *out)
{
    /* 2^64 (2^32): SIZE_MAX + 1, exact, where (double)SIZE_MAX rounds */
    const double past_max = (double)(SIZE_MAX / 2 + 1) * 2.0;
    double t = trunc(v);
    if (!(t >= 0) || t >= past_max) {
        *out = t >= past_max ? hi : lo;
        return -1;
    }
    size_t u = (size_t)t;
    if (u < lo || u > hi) {
        *out = u < lo ? lo : hi;
        return -1;
    }
    *out = u;
    return 0;
}
