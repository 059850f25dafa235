/* test_hyphen_image.c - images of libhyphen dictionaries (hyphen/image.c):
 * an image gives back exactly the states libhyphen built (every field of
 * every level) and the same hyphens for real words, and is refused for
 * other pattern bytes and when damaged. */
#include "hyphen/image.h"
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
    *len = b && n > 0 ? fread(b, 1, (size_t)n, f) : 0;
    fclose(f);
    return b;
}

static HyphenDict *parse(const unsigned char *src, size_t len)
{
    FILE *f = fmemopen((void *)src, len, "r");
    if (!f) return NULL;
    HyphenDict *d = hnj_hyphen_load_file(f);
    fclose(f);
    return d;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Every field libhyphen reads, level by level; 1 when all are equal. */
static int same_dict(const HyphenDict *a, const HyphenDict *b)
{
    for (; a && b; a = a->nextlevel, b = b->nextlevel) {
        if (a->lhmin != b->lhmin || a->rhmin != b->rhmin || a->clhmin != b->clhmin ||
            a->crhmin != b->crhmin || a->nohyphenl != b->nohyphenl ||
            a->num_states != b->num_states || a->utf8 != b->utf8 || strcmp(a->cset, b->cset))
            return 0;
        if (!a->nohyphen != !b->nohyphen) return 0;
        const char *na = a->nohyphen, *nb = b->nohyphen;
        for (int i = 0; na && i <= a->nohyphenl; i++) {
            if (strcmp(na, nb)) return 0;
            na += strlen(na) + 1;
            nb += strlen(nb) + 1;
        }
        for (int s = 0; s < a->num_states; s++) {
            const HyphenState *x = &a->states[s], *y = &b->states[s];
            /* libhyphen leaves replindex and replcut unset without a match */
            if (!same_str(x->match, y->match) || !same_str(x->repl, y->repl) ||
                (x->match && (x->replindex != y->replindex || x->replcut != y->replcut)) ||
                x->fallback_state != y->fallback_state || x->num_trans != y->num_trans)
                return 0;
            for (int k = 0; k < x->num_trans; k++)
                if (x->trans[k].ch != y->trans[k].ch ||
                    x->trans[k].new_state != y->trans[k].new_state)
                    return 0;
        }
    }
    return !a && !b;
}

/* Writes the image of src (as libhyphen parses it) to path; 0 on success. */
static int make_image(const unsigned char *src, size_t len, const char *path)
{
    HyphenDict *d = parse(src, len);
    FILE *f = fopen(path, "wb");
    int rc = d && f ? rg_hyphen_image_write(d, src, len, f) : -1;
    if (f && fclose(f) != 0) rc = -1;
    if (d) hnj_hyphen_free(d);
    return rc;
}

/* The dictionary of src as libhyphen parses it and as its image (written
 * to the temporary file img, a mkstemp template) loads; 0 when both exist
 * (the caller frees both and unlinks img either way). */
static int parse_and_load(const unsigned char *src, size_t len, char *img, HyphenDict **parsed,
                          HyphenDict **loaded)
{
    *parsed = *loaded = NULL;
    int fd = mkstemp(img);
    if (fd < 0) return -1;
    close(fd);
    if (make_image(src, len, img) != 0) return -1;
    *parsed = parse(src, len);
    *loaded = rg_hyphen_image_load(img, src, len);
    return *parsed && *loaded ? 0 : -1;
}

/* hnj_hyphen_hyphenate2's vector for an ISO8859-1 word, as a string. */
static void hyphens_of(HyphenDict *d, const char *word, char *out)
{
    char **rep = NULL;
    int *pos = NULL, *cut = NULL, n = (int)strlen(word);
    memset(out, '0', (size_t)n + 5);
    hnj_hyphen_hyphenate2(d, word, n, out, NULL, &rep, &pos, &cut);
    out[n] = 0;
    if (rep) {
        for (int i = 0; i < n; i++) free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
}

TEST(hyphen_image_dutch_same_states_and_hyphens)
{
    size_t len = 0, tlen = 0;
    unsigned char *src = slurp("/usr/share/hyphen/hyph_nl_NL.dic", &len);
    CHECK(src && len > 100000);
    if (!src) return;
    char img[] = "/tmp/rg-hyimg-XXXXXX";
    HyphenDict *parsed, *loaded;
    int ok = parse_and_load(src, len, img, &parsed, &loaded) == 0;
    CHECK(ok);
    if (ok) {
        CHECK(same_dict(parsed, loaded));
        CHECK(loaded->nextlevel && loaded->nextlevel->num_states > 18000);
        /* every lowercase ASCII word of the sample's text */
        char path[512];
        snprintf(path, sizeof path, "%s/tests/data/seed-2023-T1.txt", test_root);
        unsigned char *text = slurp(path, &tlen);
        CHECK(text && tlen > 4000);
        int words = 0, same = 0;
        char word[64], h1[70], h2[70];
        size_t w = 0;
        for (size_t i = 0; text && i <= tlen; i++) {
            int c = i < tlen ? text[i] : ' ';
            if (c >= 'a' && c <= 'z' && w + 1 < sizeof word) {
                word[w++] = (char)c;
                continue;
            }
            if (w >= 4) {
                word[w] = 0;
                hyphens_of(parsed, word, h1);
                hyphens_of(loaded, word, h2);
                words++;
                same += !strcmp(h1, h2);
            }
            w = 0;
        }
        CHECK(words > 300);
        CHECK(same == words);
        const char *bw = "beschikbaarheidscijfers";
        hyphens_of(loaded, bw, h2);
        char shown[80];
        size_t k = 0;
        for (size_t i = 0; bw[i]; i++) {
            shown[k++] = bw[i];
            if (bw[i + 1] && (h2[i] & 1)) shown[k++] = '-';
        }
        shown[k] = 0;
        CHECK_STR(shown, "be-schik-baar-heids-cij-fers");
        free(text);
    }
    if (parsed) hnj_hyphen_free(parsed);
    rg_hyphen_image_free(loaded);
    unlink(img);
    free(src);
}

/* A UTF-8 pattern file with every field libhyphen fills: both levels
 * (NEXTLEVEL), the minimums, NOHYPHEN with several entries and a
 * non-standard pattern (repl, replindex, replcut). */
TEST(hyphen_image_every_field)
{
    static const char pats[] =
        "UTF-8\nLEFTHYPHENMIN 3\nRIGHTHYPHENMIN 4\nCOMPOUNDLEFTHYPHENMIN 2\n"
        "COMPOUNDRIGHTHYPHENMIN 5\nNOHYPHEN ',\xe2\x80\x99,-\n1-1\nNEXTLEVEL\n"
        "a1b\n\xc5\xbe" "1o\nf1f/ff=f,1,2\n.ab4c\nx3y2z\n";
    const unsigned char *src = (const unsigned char *)pats;
    size_t len = sizeof pats - 1;
    char img[] = "/tmp/rg-hyimg-XXXXXX";
    HyphenDict *parsed, *loaded;
    int ok = parse_and_load(src, len, img, &parsed, &loaded) == 0;
    CHECK(ok);
    if (ok) {
        CHECK(same_dict(parsed, loaded));
        CHECK(loaded->utf8 && loaded->nohyphenl == 2 && loaded->lhmin == 3);
        int repl = 0;
        for (const HyphenDict *d = loaded; d; d = d->nextlevel)
            for (int s = 0; s < d->num_states; s++) repl += d->states[s].repl != NULL;
        CHECK(repl == 1);
    }
    if (parsed) hnj_hyphen_free(parsed);
    rg_hyphen_image_free(loaded);
    unlink(img);
}

/* Flips byte at of the file at path (a copy of an image). */
static void flip_byte(const char *path, long at)
{
    FILE *f = fopen(path, "r+b");
    if (!f) return;
    fseek(f, at, SEEK_SET);
    int c = fgetc(f);
    fseek(f, at, SEEK_SET);
    fputc(c ^ 0x40, f);
    fclose(f);
}

static void copy_file(const char *from, const char *to, long keep)
{
    size_t n = 0;
    unsigned char *b = slurp(from, &n);
    FILE *f = fopen(to, "wb");
    if (b && f) fwrite(b, 1, keep >= 0 && (size_t)keep < n ? (size_t)keep : n, f);
    if (f) fclose(f);
    free(b);
}

TEST(hyphen_image_refused_for_other_bytes_or_damage)
{
    static const char pats[] = "ISO8859-1\na1b\n.ab4c\nx3y2z\nr1t\n";
    const unsigned char *src = (const unsigned char *)pats;
    size_t len = sizeof pats - 1;
    char img[] = "/tmp/rg-hyimg-XXXXXX", bad[] = "/tmp/rg-hyimg-XXXXXX";
    int fd = mkstemp(img), fd2 = mkstemp(bad);
    CHECK(fd >= 0 && fd2 >= 0);
    if (fd < 0 || fd2 < 0) return;
    close(fd);
    close(fd2);
    CHECK(make_image(src, len, img) == 0);
    HyphenDict *d = rg_hyphen_image_load(img, src, len);
    CHECK(d != NULL);
    rg_hyphen_image_free(d);

    /* other pattern bytes: one letter, or one byte fewer */
    char other[sizeof pats];
    memcpy(other, pats, sizeof pats);
    other[len - 2] = 's';
    CHECK(rg_hyphen_image_load(img, (const unsigned char *)other, len) == NULL);
    CHECK(rg_hyphen_image_load(img, src, len - 1) == NULL);
    CHECK(rg_hyphen_image_load("/nonexistent/x.img", src, len) == NULL);
    CHECK(rg_hyphen_image_load("/tmp", src, len) == NULL);          /* a directory */

    /* damage: any one byte changed (every header field and the body's
     * every byte are checked), or the file cut short */
    size_t n = 0;
    free(slurp(img, &n));
    CHECK(n > 200);
    int accepted = 0;
    for (long at = 0; at < (long)n; at++) {
        copy_file(img, bad, -1);
        flip_byte(bad, at);
        d = rg_hyphen_image_load(bad, src, len);
        accepted += d != NULL;
        rg_hyphen_image_free(d);
    }
    CHECK(accepted == 0);
    copy_file(img, bad, (long)n - 1);
    CHECK(rg_hyphen_image_load(bad, src, len) == NULL);
    copy_file(img, bad, 30);
    CHECK(rg_hyphen_image_load(bad, src, len) == NULL);
    unlink(img);
    unlink(bad);
}
