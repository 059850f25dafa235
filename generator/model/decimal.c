/* model/decimal.c - exact decimal arithmetic for report figures (see the
 * heading "exact decimals" in model/model.h). Stage: model. A figure is
 * kept as it was written: a signed 64-bit integer of units of 10^-scale,
 * with the scale the digits after its decimal mark. Sums align to the
 * larger scale; every step is checked for overflow and refused, never
 * rounded. No double takes part in any of it (rg_dec_to_double is for
 * charts only). Parsing is rg_parse_exact_as and rounding for display
 * rg_format_exact, both in model/format.c beside their double siblings. */
#include "model.h"

#include <string.h>

static const int64_t pow10_i64[RG_DEC_MAX_SCALE + 1] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
    1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL
};

/* a at scale `to` (>= a.scale) into *out; -1 when it does not fit. */
static int rescale(rg_dec a, int to, int64_t *out)
{
    if (to < a.scale || to > RG_DEC_MAX_SCALE) return -1;
    return __builtin_mul_overflow(a.units, pow10_i64[to - a.scale], out) ? -1 : 0;
}

int rg_dec_add(rg_dec a, rg_dec b, rg_dec *out)
{
    int s = a.scale > b.scale ? a.scale : b.scale;
    int64_t x, y, sum;
    if (rescale(a, s, &x) < 0 || rescale(b, s, &y) < 0) return -1;
    if (__builtin_add_overflow(x, y, &sum)) return -1;
    out->units = sum;
    out->scale = s;
    return 0;
}

int rg_dec_cmp(rg_dec a, rg_dec b)
{
    int s = a.scale > b.scale ? a.scale : b.scale;
    __int128 x = (__int128)a.units * pow10_i64[s - a.scale];
    __int128 y = (__int128)b.units * pow10_i64[s - b.scale];
    return x < y ? -1 : x > y;
}

/* |q| rounded half away from zero from |num| / den (den > 0). */
static unsigned __int128 div_round(unsigned __int128 num, unsigned __int128 den)
{
    unsigned __int128 q = num / den, r = num % den;
    return r * 2 >= den ? q + 1 : q;
}

int rg_dec_div(rg_dec a, int64_t n, int scale, rg_dec *out)
{
    if (n <= 0 || scale < 0 || scale > RG_DEC_MAX_SCALE) return -1;
    int neg = a.units < 0;
    unsigned __int128 mag = neg ? (unsigned __int128)(-(__int128)a.units) : (unsigned __int128)a.units;
    unsigned __int128 q;
    if (scale >= a.scale) {
        mag *= (unsigned __int128)pow10_i64[scale - a.scale];      /* < 2^63 * 10^18: fits */
        q = div_round(mag, (unsigned __int128)n);
    } else {
        q = div_round(mag, (unsigned __int128)n * (unsigned __int128)pow10_i64[a.scale - scale]);
    }
    if (q > (unsigned __int128)INT64_MAX) return -1;
    out->units = neg ? -(int64_t)q : (int64_t)q;
    out->scale = scale;
    return 0;
}

double rg_dec_to_double(rg_dec a)
{
    return (double)a.units / (double)pow10_i64[a.scale];
}

int rg_dec_sum_field(const rg_dataset *d, int field, const size_t *recs, size_t nrecs,
                     rg_dec *out, size_t *bad)
{
    rg_dec sum = { 0, 0 };
    for (size_t k = 0; k < (recs ? nrecs : d->nrecords); k++) {
        size_t r = recs ? recs[k] : k;
        const rg_value *v = &d->values[r * d->nfields + (size_t)field];
        if (v->missing) continue;
        if (!v->exact || rg_dec_add(sum, v->dec, &sum) < 0) {
            if (bad) *bad = r;
            return -1;
        }
    }
    *out = sum;
    return 0;
}
