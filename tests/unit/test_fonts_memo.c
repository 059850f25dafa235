/* test_fonts_memo.c - fontconfig's answers remembered between runs
 * (fonts/memo.c): what is saved loads back; the memo is refused once
 * anything its stamp covers changed (a font folder, a variable that
 * steers fontconfig, the file itself); answers read under an old stamp
 * are not written again under a new one. Uses a fontconfig configuration
 * of its own in a temporary folder, with one font folder. */
#include "fonts/memo.h"
#include "test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
    char dir[64];
    char fonts[96], memo[96], conf[96];
} fixture;

static int setup(fixture *fx)
{
    strcpy(fx->dir, "/tmp/rg-fontmemo-XXXXXX");
    if (!mkdtemp(fx->dir)) return -1;
    snprintf(fx->fonts, sizeof fx->fonts, "%s/fonts", fx->dir);
    snprintf(fx->memo, sizeof fx->memo, "%s/cache/reportgen/fonts", fx->dir);
    snprintf(fx->conf, sizeof fx->conf, "%s/fonts.conf", fx->dir);
    if (mkdir(fx->fonts, 0700) != 0) return -1;
    FILE *f = fopen(fx->conf, "w");
    if (!f) return -1;
    fprintf(f, "<?xml version=\"1.0\"?>\n<fontconfig><dir>%s</dir>"
               "<cachedir>%s/fc-cache</cachedir></fontconfig>\n", fx->fonts, fx->dir);
    fclose(f);
    return 0;
}

static FcConfig *config_of(const fixture *fx)
{
    FcConfig *cfg = FcConfigCreate();
    if (cfg && (!FcConfigParseAndLoad(cfg, (const FcChar8 *)fx->conf, FcTrue) ||
                !FcConfigBuildFonts(cfg))) {
        FcConfigDestroy(cfg);
        return NULL;
    }
    return cfg;
}

static void teardown(const fixture *fx)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0) fprintf(stderr, "  could not remove %s\n", fx->dir);
}

/* A memo with two answers (one "not installed") saved under cfg. */
static int save_two(const fixture *fx, FcConfig *cfg)
{
    rg_font_memo *m = rg_font_memo_new();
    rg_font_memo_put(m, "Noto Sans", 1, 0, "/usr/share/fonts/x/NotoSans-Bold.ttf", 0, 1);
    rg_font_memo_put(m, "Missing Family", 0, 0, NULL, 0, 1);
    rg_font_memo_put(m, "Bad\tName", 0, 0, "/x.ttf", 0, 1);          /* not stored */
    int rc = rg_font_memo_save(m, cfg, fx->memo);
    rg_font_memo_free(m);
    return rc;
}

/* A fixture with save_two's memo written; its configuration, or NULL. */
static FcConfig *saved_memo(fixture *fx)
{
    FcConfig *cfg = setup(fx) == 0 ? config_of(fx) : NULL;
    if (cfg && save_two(fx, cfg) != 0) {
        FcConfigDestroy(cfg);
        cfg = NULL;
    }
    return cfg;
}

TEST(font_memo_saves_and_loads_answers)
{
    fixture fx;
    FcConfig *cfg = saved_memo(&fx);
    CHECK(cfg != NULL);
    if (!cfg) return;
    rg_font_memo *m = rg_font_memo_load(fx.memo);
    CHECK(m != NULL);
    const char *path = "x";
    unsigned index = 9;
    int ok = 0;
    CHECK(rg_font_memo_get(m, "noto sans", 1, 0, &path, &index, &ok) == 1);
    CHECK_STR(path, "/usr/share/fonts/x/NotoSans-Bold.ttf");
    CHECK(index == 0 && ok == 1);
    CHECK(rg_font_memo_get(m, "Noto Sans", 0, 0, &path, &index, &ok) == 0);   /* not asked */
    CHECK(rg_font_memo_get(m, "Missing Family", 0, 0, &path, &index, &ok) == 1);
    CHECK(path == NULL);
    CHECK(rg_font_memo_get(m, "Bad\tName", 0, 0, &path, &index, &ok) == 0);
    CHECK(!rg_font_memo_changed(m));
    rg_font_memo_free(m);
    FcConfigDestroy(cfg);
    teardown(&fx);
}

/* Moves path's modification time 2 s on (whatever the clock's grain). */
static void touch_later(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return;
    struct timespec later[2] = { st.st_atim, st.st_mtim };
    later[1].tv_sec += 2;
    utimensat(AT_FDCWD, path, later, 0);
}

/* Replaces the file's bytes [at, at + n) by s (same length). */
static void overwrite(const char *path, long at, const char *s)
{
    FILE *f = fopen(path, "r+b");
    if (!f) return;
    fseek(f, at, SEEK_SET);
    fwrite(s, 1, strlen(s), f);
    fclose(f);
}

TEST(font_memo_refused_when_its_stamp_changes)
{
    fixture fx;
    FcConfig *cfg = saved_memo(&fx);
    CHECK(cfg != NULL);
    if (!cfg) return;
    rg_font_memo *m = rg_font_memo_load(fx.memo);
    CHECK(m != NULL);
    rg_font_memo_free(m);

    /* a variable that steers fontconfig */
    setenv("FONTCONFIG_SYSROOT", "/nonexistent", 1);
    CHECK(rg_font_memo_load(fx.memo) == NULL);
    unsetenv("FONTCONFIG_SYSROOT");
    m = rg_font_memo_load(fx.memo);
    CHECK(m != NULL);                              /* the same again: valid */
    rg_font_memo_free(m);

    /* a font added to a font folder fontconfig scanned */
    char font[128];
    snprintf(font, sizeof font, "%s/new.ttf", fx.fonts);
    FILE *f = fopen(font, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
    touch_later(fx.fonts);
    CHECK(rg_font_memo_load(fx.memo) == NULL);

    /* saved again under the new stamp: valid; damaged: refused */
    FcConfigDestroy(cfg);
    cfg = config_of(&fx);
    CHECK(cfg && save_two(&fx, cfg) == 0);
    m = rg_font_memo_load(fx.memo);
    CHECK(m != NULL);
    rg_font_memo_free(m);
    overwrite(fx.memo, 0, "x");
    CHECK(rg_font_memo_load(fx.memo) == NULL);
    CHECK(rg_font_memo_load("/nonexistent/fonts") == NULL);
    CHECK(rg_font_memo_load(NULL) == NULL);
    if (cfg) FcConfigDestroy(cfg);
    teardown(&fx);
}

TEST(font_memo_drops_answers_of_an_old_stamp)
{
    fixture fx;
    FcConfig *cfg = saved_memo(&fx);
    CHECK(cfg != NULL);
    if (!cfg) return;
    rg_font_memo *m = rg_font_memo_load(fx.memo);
    CHECK(m != NULL);
    if (!m) return;
    /* the font folder changes after the memo was read, then fontconfig
     * answers a new question: only that answer is written */
    touch_later(fx.fonts);
    rg_font_memo_put(m, "DejaVu Sans", 0, 1, "/usr/share/fonts/d/DejaVuSans-Oblique.ttf", 0, 1);
    CHECK(rg_font_memo_changed(m));
    FcConfigDestroy(cfg);
    cfg = config_of(&fx);
    CHECK(cfg && rg_font_memo_save(m, cfg, fx.memo) == 0);
    rg_font_memo_free(m);
    m = rg_font_memo_load(fx.memo);
    CHECK(m != NULL);
    const char *path;
    unsigned index;
    int ok;
    CHECK(m && rg_font_memo_get(m, "DejaVu Sans", 0, 1, &path, &index, &ok) == 1);
    CHECK(m && rg_font_memo_get(m, "Noto Sans", 1, 0, &path, &index, &ok) == 0);
    rg_font_memo_free(m);
    if (cfg) FcConfigDestroy(cfg);
    teardown(&fx);
}

TEST(font_memo_path_from_the_environment)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char *save_xdg = xdg ? strdup(xdg) : NULL, *save_home = home ? strdup(home) : NULL;
    setenv("XDG_CACHE_HOME", "/c", 1);
    char *p = rg_font_memo_path();
    CHECK_STR(p, "/c/reportgen/fonts");
    free(p);
    setenv("XDG_CACHE_HOME", "relative", 1);       /* not absolute: ignored */
    setenv("HOME", "/h", 1);
    p = rg_font_memo_path();
    CHECK_STR(p, "/h/.cache/reportgen/fonts");
    free(p);
    unsetenv("XDG_CACHE_HOME");
    unsetenv("HOME");
    CHECK(rg_font_memo_path() == NULL);
    if (save_xdg) setenv("XDG_CACHE_HOME", save_xdg, 1);
    if (save_home) setenv("HOME", save_home, 1);
    free(save_xdg);
    free(save_home);
}
