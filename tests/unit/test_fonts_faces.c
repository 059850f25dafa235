/* test_fonts_faces.c - facts about faces kept between runs (fonts/faces.c):
 * what is saved loads back while the face's file is unchanged; a file
 * changed since is unknown again and its fact is not written again; a
 * damaged file is no facts; a FIFO in its place neither hangs a load nor
 * is replaced. */
#include "fonts/faces.h"
#include "test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

TEST(fonts_faces_kept_while_file_unchanged)
{
    char dir[] = "/tmp/rg-faces-XXXXXX", face[96], facts[96], status[RG_FACE_STATUS_MAX];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(face, sizeof face, "%s/Face.ttf", dir);
    snprintf(facts, sizeof facts, "%s/cache/reportgen/faces", dir);
    CHECK(write_text(face, "not really a font") == 0);
    CHECK(rg_face_status(face, status, sizeof status) == 0);

    rg_face_facts *m = rg_face_facts_load(facts);           /* no file yet: none */
    CHECK(rg_face_facts_space_plain(m, face, 0, status) == -1);
    CHECK(!rg_face_facts_changed(m));
    rg_face_facts_put_space_plain(m, face, 0, status, 1);
    rg_face_facts_put_space_plain(m, face, 1, status, 0);
    CHECK(rg_face_facts_changed(m));
    CHECK(rg_face_facts_save(m, facts) == 0);                /* makes the folders */
    rg_face_facts_free(m);

    m = rg_face_facts_load(facts);
    CHECK(rg_face_facts_space_plain(m, face, 0, status) == 1);
    CHECK(rg_face_facts_space_plain(m, face, 1, status) == 0);
    CHECK(rg_face_facts_space_plain(m, face, 2, status) == -1);
    CHECK(rg_face_facts_space_plain(m, face, 0, NULL) == -1);
    rg_face_facts_free(m);

    /* the file changes (another size): unknown, and left out when saved */
    CHECK(write_text(face, "another font, longer") == 0);
    char now[RG_FACE_STATUS_MAX];
    CHECK(rg_face_status(face, now, sizeof now) == 0);
    CHECK(strcmp(now, status) != 0);
    m = rg_face_facts_load(facts);
    CHECK(rg_face_facts_space_plain(m, face, 0, now) == -1);
    rg_face_facts_put_space_plain(m, face, 3, now, 1);
    CHECK(rg_face_facts_save(m, facts) == 0);
    rg_face_facts_free(m);
    m = rg_face_facts_load(facts);
    CHECK(rg_face_facts_space_plain(m, face, 0, status) == -1);   /* the old fact is gone */
    CHECK(rg_face_facts_space_plain(m, face, 3, now) == 1);
    rg_face_facts_free(m);

    /* damaged: no facts at all */
    CHECK(write_text(facts, "reportgen face facts 1\nf x y\n") == 0);
    m = rg_face_facts_load(facts);
    CHECK(rg_face_facts_space_plain(m, face, 3, now) == -1);
    rg_face_facts_free(m);

    /* a FIFO in its place: read as none, without blocking; not replaced */
    unlink(facts);
    CHECK(mkfifo(facts, 0600) == 0);
    m = rg_face_facts_load(facts);
    rg_face_facts_put_space_plain(m, face, 3, now, 1);
    CHECK(rg_face_facts_save(m, facts) == -1);
    rg_face_facts_free(m);
    struct stat st;
    CHECK(lstat(facts, &st) == 0 && S_ISFIFO(st.st_mode));

    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}
