/* test_base.c - arena, growth, diagnostics formatting and float-to-integer
 * conversions. */
#include "base/base.h"
#include "test.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

TEST(arena_strings_survive_many_blocks)
{
    rg_arena *a = rg_arena_new();
    char *first = rg_arena_strdup(a, "eerste");
    for (int i = 0; i < 20000; i++) rg_arena_alloc(a, 100);
    char *big = rg_arena_alloc(a, 1 << 20);          /* larger than a block */
    big[(1 << 20) - 1] = 'x';
    CHECK_STR(first, "eerste");
    CHECK(((uintptr_t)rg_arena_alloc(a, 3) & 15) == 0);
    rg_arena_free(a);
    rg_arena_free(NULL);
}

TEST(arena_reset_reuses_its_newest_block)
{
    rg_arena *a = rg_arena_new();
    rg_arena_reset(a);                               /* nothing allocated yet */
    for (int i = 0; i < 2000; i++) rg_arena_alloc(a, 100);   /* several blocks */
    char *last = rg_arena_alloc(a, 16);
    memset(last, 'x', 16);
    rg_arena_reset(a);
    char *again = rg_arena_alloc(a, 16);
    CHECK(again[0] == 0 && again[15] == 0);          /* zeroed as ever, in reused memory */
    char *s = rg_arena_strdup(a, "daarna");
    CHECK_STR(s, "daarna");
    rg_arena_reset(NULL);
    rg_arena_free(a);
}

TEST(diag_formats_file_line_col)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_diag(ctx, RG_SEV_ERROR, "def.xml", 12, 5, "unknown element '%s'\n", "foo");
    rg_diag(ctx, RG_SEV_WARNING, "def.xml", 3, 0, "soft");
    rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "font family 'X' not found");
    CHECK_STR(ctx->diag_text, "def.xml:12:5: error: unknown element 'foo'\n"
                              "def.xml:3: warning: soft\n"
                              "reportgen: error: font family 'X' not found\n");
    CHECK(ctx->errors == 2 && ctx->warnings == 1);
    rg_ctx_free(ctx);
}

TEST(grow_keeps_contents)
{
    int *v = NULL;
    size_t cap = 0;
    for (int i = 0; i < 1000; i++) {
        rg_grow(&v, &cap, (size_t)i + 1, sizeof *v);
        v[i] = i;
    }
    CHECK(cap >= 1000 && v[999] == 999 && v[0] == 0);
    free(v);
}

/* A quote cut at a byte count ends between characters: "in\xC2" (half a
 * soft hyphen) made a warning invalid UTF-8. */
TEST(utf8_prefix_cuts_between_characters)
{
    static const char S[] = "in\xC2\xAD" "formatie \xE2\x80\xA6";   /* in(SHY)formatie … */
    size_t len = strlen(S);
    CHECK(rg_utf8_prefix(S, len, 100) == len);
    CHECK(rg_utf8_prefix(S, len, 3) == 2);              /* not "in\xC2" */
    CHECK(rg_utf8_prefix(S, len, 4) == 4);
    CHECK(rg_utf8_prefix(S, len, len - 1) == len - 3);  /* not half the ellipsis */
    CHECK(rg_utf8_prefix(S, len, 0) == 0);
}

/* A growing string stays NUL-terminated and keeps every byte, also across
 * reallocations and with NULs inside. */
TEST(text_grows_and_stays_terminated)
{
    rg_text t = { 0 };
    rg_text_puts(&t, "");
    CHECK(t.p && t.len == 0 && t.p[0] == '\0');
    for (int i = 0; i < 1000; i++) rg_text_puts(&t, "ab");
    rg_text_put(&t, "x\0y", 3);
    CHECK(t.len == 2003 && t.p[2003] == '\0');
    CHECK(!memcmp(t.p + 1998, "abx\0y", 5) && t.p[0] == 'a' && t.p[1] == 'b');
    free(t.p);
}

/* Well-formed UTF-8 only: no overlong forms, surrogates, code points past
 * U+10FFFF or cut sequences. */
TEST(utf8_sequence_takes_only_well_formed)
{
    CHECK(rg_utf8_sequence((const unsigned char *)"a") == 1);
    CHECK(rg_utf8_sequence((const unsigned char *)"\xC3\xA9") == 2);          /* é */
    CHECK(rg_utf8_sequence((const unsigned char *)"\xE2\x80\x93") == 3);      /* – */
    CHECK(rg_utf8_sequence((const unsigned char *)"\xF0\x9F\x98\x80") == 4);  /* emoji */
    CHECK(rg_utf8_sequence((const unsigned char *)"\xC0\xAF") == 0);          /* overlong / */
    CHECK(rg_utf8_sequence((const unsigned char *)"\xE0\x80\xAF") == 0);      /* overlong */
    CHECK(rg_utf8_sequence((const unsigned char *)"\xED\xA0\x80") == 0);      /* surrogate */
    CHECK(rg_utf8_sequence((const unsigned char *)"\xF4\x90\x80\x80") == 0);  /* > U+10FFFF */
    CHECK(rg_utf8_sequence((const unsigned char *)"\xE2\x80") == 0);          /* cut by the NUL */
    CHECK(rg_utf8_sequence((const unsigned char *)"\x80") == 0);              /* continuation */
}

/* A topic warned once per document: a second rg_warn_once, and a helper's
 * line with the same topic replayed later, print nothing more; a reset
 * forgets it. */
TEST(warn_once_per_topic_also_from_helpers)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_ctx_at(ctx, "def.xml", 7);
    rg_warn_once(ctx, "no-patterns:en", "no patterns for '%s'", "en");
    rg_ctx_at(ctx, "def.xml", 9);
    rg_warn_once(ctx, "no-patterns:en", "no patterns for '%s'", "en");
    rg_diag_replay(ctx, RG_SEV_WARNING, "no-patterns:en", "def.xml:12: warning: no patterns\n");
    rg_diag_replay(ctx, RG_SEV_WARNING, "no-patterns:la", "def.xml:13: warning: no la\n");
    CHECK_STR(ctx->diag_text, "def.xml:7: warning: no patterns for 'en'\n"
                              "def.xml:13: warning: no la\n");
    rg_ctx_reset(ctx);
    rg_warn_once(ctx, "no-patterns:en", "again");
    CHECK(ctx->warnings == 1);
    rg_ctx_free(ctx);
}

/* Float to int: truncation as a cast inside the range; clamped, with -1,
 * outside it, for NaN and infinities (a cast would be undefined there). */
TEST(double_to_int_clamps_nan_and_range)
{
    int n = 7;
    CHECK(rg_double_to_int(3.9, 0, 10, &n) == 0 && n == 3);
    CHECK(rg_double_to_int(-3.9, -10, 10, &n) == 0 && n == -3);
    CHECK(rg_double_to_int(-0.5, 0, 10, &n) == 0 && n == 0);   /* truncates to 0 */
    CHECK(rg_double_to_int(10.0, 0, 10, &n) == 0 && n == 10);
    CHECK(rg_double_to_int(10.5, 0, 10, &n) == 0 && n == 10);  /* integer part in range */
    CHECK(rg_double_to_int(11.0, 0, 10, &n) == -1 && n == 10);
    CHECK(rg_double_to_int(-1.0, 0, 10, &n) == -1 && n == 0);
    CHECK(rg_double_to_int(NAN, 1, 3, &n) == -1 && n == 1);
    CHECK(rg_double_to_int(INFINITY, 1, 3, &n) == -1 && n == 3);
    CHECK(rg_double_to_int(-INFINITY, 1, 3, &n) == -1 && n == 1);
    CHECK(rg_double_to_int(1e300, INT_MIN, INT_MAX, &n) == -1 && n == INT_MAX);
    CHECK(rg_double_to_int(-1e300, INT_MIN, INT_MAX, &n) == -1 && n == INT_MIN);
    CHECK(rg_double_to_int((double)INT_MAX, INT_MIN, INT_MAX, &n) == 0 && n == INT_MAX);
    CHECK(rg_double_to_int((double)INT_MAX + 1, INT_MIN, INT_MAX, &n) == -1 && n == INT_MAX);
    CHECK(rg_double_to_int((double)INT_MIN, INT_MIN, INT_MAX, &n) == 0 && n == INT_MIN);
    CHECK(rg_double_to_int((double)INT_MIN - 1, INT_MIN, INT_MAX, &n) == -1 && n == INT_MIN);
}

TEST(double_to_size_clamps_nan_and_range)
{
    size_t n = 7;
    CHECK(rg_double_to_size(41.99, 0, SIZE_MAX, &n) == 0 && n == 41);
    CHECK(rg_double_to_size(-1.0, 0, SIZE_MAX, &n) == -1 && n == 0);    /* negative room */
    CHECK(rg_double_to_size(-0.99, 0, SIZE_MAX, &n) == 0 && n == 0);
    CHECK(rg_double_to_size(NAN, 0, SIZE_MAX, &n) == -1 && n == 0);
    CHECK(rg_double_to_size(NAN, 2, 5, &n) == -1 && n == 2);
    CHECK(rg_double_to_size(INFINITY, 0, SIZE_MAX, &n) == -1 && n == SIZE_MAX);
    CHECK(rg_double_to_size(-INFINITY, 0, SIZE_MAX, &n) == -1 && n == 0);
    CHECK(rg_double_to_size(1e30, 0, SIZE_MAX, &n) == -1 && n == SIZE_MAX);
    /* (double)SIZE_MAX rounds up to SIZE_MAX + 1: not convertible */
    CHECK(rg_double_to_size((double)SIZE_MAX, 0, SIZE_MAX, &n) == -1 && n == SIZE_MAX);
    CHECK(rg_double_to_size(0x1p52, 0, SIZE_MAX, &n) == 0 && n == ((size_t)1 << 52));
    CHECK(rg_double_to_size(6.0, 2, 5, &n) == -1 && n == 5);
    CHECK(rg_double_to_size(1.0, 2, 5, &n) == -1 && n == 2);
    CHECK(rg_double_to_size(5.5, 2, 5, &n) == 0 && n == 5);
}
