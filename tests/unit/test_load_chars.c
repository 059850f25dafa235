/* test_load_chars.c - rg_text_fault (load/chars.c), whose clean inputs
 * take a fast path: random texts of clean pieces (printable ASCII, tabs,
 * line breaks, accented letters, euro signs, emoji) are clean; the same
 * with one faulty piece put in (a control character, a C1 control, a
 * noncharacter, invalid or overlong UTF-8, a surrogate, NUL) give that
 * fault with its line and column, whatever follows it. */
#include "load/chars.h"
#include "test.h"

#include <stdlib.h>

typedef struct piece {
    const char *bytes;
    size_t len;
    int chars;                     /* characters (columns) it takes */
    int breaks;                    /* a line break: the next piece starts a line */
    const char *fault;             /* the message it gives, or NULL */
} piece;

static const piece CLEAN[] = {
    { "a", 1, 1, 0, NULL }, { "Zo", 2, 2, 0, NULL }, { " ", 1, 1, 0, NULL },
    { "<p>", 3, 3, 0, NULL }, { "\t", 1, 1, 0, NULL }, { "\n", 1, 0, 1, NULL },
    { "\r\n", 2, 0, 1, NULL }, { "\xC3\xA9", 2, 1, 0, NULL }, { "\xE2\x82\xAC", 3, 1, 0, NULL },
    { "\xF0\x9F\x98\x80", 4, 1, 0, NULL },
};

static const piece FAULTY[] = {
    { "\x01", 1, 0, 0, "control character U+0001" },
    { "\x7F", 1, 0, 0, "control character U+007F" },
    { "\x1B", 1, 0, 0, "control character U+001B" },
    { "\xC2\x85", 2, 0, 0, "control character U+0085" },
    { "\xEF\xB7\x90", 3, 0, 0, "noncharacter U+FDD0" },
    { "\xEF\xBF\xBE", 3, 0, 0, "noncharacter U+FFFE" },
    { "\xC0\xAF", 2, 0, 0, "invalid UTF-8 (byte 0xC0)" },
    { "\xED\xA0\x80", 3, 0, 0, "invalid UTF-8 (byte 0xED)" },
    { "\xFF", 1, 0, 0, "invalid UTF-8 (byte 0xFF)" },
    { "\x80", 1, 0, 0, "invalid UTF-8 (byte 0x80)" },
    { "\0", 1, 0, 0, "NUL byte" },
};

enum { NCLEAN = sizeof CLEAN / sizeof *CLEAN, NFAULTY = sizeof FAULTY / sizeof *FAULTY };

/* Appends up to n random clean pieces to buf at *len, moving *line and *col. */
static void clean_text(unsigned char *buf, size_t cap, size_t *len, int n, int *line, int *col)
{
    for (int i = 0; i < n; i++) {
        const piece *p = &CLEAN[rand() % NCLEAN];
        if (*len + p->len > cap) return;
        memcpy(buf + *len, p->bytes, p->len);
        *len += p->len;
        *col = p->breaks ? 1 : *col + p->chars;
        *line += p->breaks;
    }
}

TEST(load_text_fault_place_and_message)
{
    srand(22);
    for (int r = 0; r < 3000; r++) {
        unsigned char buf[512];
        size_t len = 0;
        int line = 1, col = 1, got_line, got_col;
        char why[80] = "";
        clean_text(buf, 200, &len, rand() % 60, &line, &col);
        if (r % 2 == 0) {                      /* clean */
            CHECK(rg_text_fault((const char *)buf, len, &got_line, &got_col, why,
                                sizeof why) == 0);
            continue;
        }
        const piece *bad = &FAULTY[rand() % NFAULTY];
        memcpy(buf + len, bad->bytes, bad->len);
        len += bad->len;
        int l2 = 0, c2 = 0;
        clean_text(buf, sizeof buf, &len, rand() % 10, &l2, &c2);   /* whatever follows */
        CHECK(rg_text_fault((const char *)buf, len, &got_line, &got_col, why, sizeof why) < 0);
        CHECK(got_line == line && got_col == col);
        CHECK_STR(why, bad->fault);
    }
}
