/* test_mail_maildir.c - mail/maildir.c: the requests a Maildir holds (new/,
 * and cur/ without the S flag, in name order), filing them in cur/ with
 * sorted flags (again and again: idempotent) or in a .Handmatig subfolder
 * made when missing, delivering with unique names, always by rename (the
 * file keeps its inode) and never losing a message when a move fails. */
#include "mail/desk.h"
#include "test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh Maildir (new/ cur/ tmp/) under TMPDIR into dir. */
static void temp_maildir(char dir[256])
{
    const char *t = getenv("TMPDIR");
    char sub[320];
    snprintf(dir, 256, "%s/rg-maildir-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) {
        dir[0] = 0;
        return;
    }
    static const char *const subs[] = { "new", "cur", "tmp" };
    for (int i = 0; i < 3; i++) {
        snprintf(sub, sizeof sub, "%s/%s", dir, subs[i]);
        mkdir(sub, 0700);
    }
}

/* Writes text into dir/rel. */
static void put(const char *dir, const char *rel, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *dir, const char *rel)
{
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return lstat(path, &st) == 0;
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Does path end in dir/rel? */
static int is_at(const char *path, const char *dir, const char *rel)
{
    char want[600];
    snprintf(want, sizeof want, "%s/%s", dir, rel);
    return path && !strcmp(path, want);
}

/* Files in dir/sub that are not dot files (-1 when it cannot be read). */
static int count_files(const char *dir, const char *sub)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
    if (system(cmd) != 0) fprintf(stderr, "  cannot remove %s\n", dir);
}

/* A message named name in new/, as a scan gives it. */
static rg_maildir_msg new_message(const char *dir, const char *name)
{
    char rel[300], path[600];
    snprintf(rel, sizeof rel, "new/%s", name);
    put(dir, rel, "From: a@x\nSubject: T1 2023\n\nbody\n");
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return (rg_maildir_msg){ strdup(path), strdup(name) };
}

TEST(mail_maildir_scan_lists_new_and_unseen_in_name_order)
{
    char dir[256], path[600];
    temp_maildir(dir);
    put(dir, "new/1002.b.host", "b");
    put(dir, "new/1001.a.host", "a");
    put(dir, "new/.hidden", "dot files are not messages");
    snprintf(path, sizeof path, "%s/new/1000.folder", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/new/1001.a.host", dir);
    char link[600];
    snprintf(link, sizeof link, "%s/new/1000.link", dir);
    CHECK(symlink(path, link) == 0);
    put(dir, "cur/1000.z.host:2,RS", "seen: handled");
    put(dir, "cur/1003.c.host:2,R", "replied but not seen");
    put(dir, "cur/1004.d.host", "no info at all");
    put(dir, "cur/1005.e.host:2,FS", "seen and flagged");
    put(dir, "tmp/0999.t.host", "being delivered");
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_maildir_msg *msgs = NULL;
    size_t n = 0;
    CHECK(rg_maildir_scan(ctx, dir, &msgs, &n) == RG_OK);
    CHECK(n == 4);
    if (n == 4) {
        CHECK_STR(msgs[0].name, "1001.a.host");
        CHECK(is_at(msgs[0].path, dir, "new/1001.a.host"));
        CHECK_STR(msgs[1].name, "1002.b.host");
        CHECK_STR(msgs[2].name, "1003.c.host");
        CHECK(is_at(msgs[2].path, dir, "cur/1003.c.host:2,R"));
        CHECK_STR(msgs[3].name, "1004.d.host");
        CHECK(is_at(msgs[3].path, dir, "cur/1004.d.host"));
    }
    rg_maildir_msgs_free(msgs, n);
    rg_ctx_free(ctx);
    remove_tree(dir);
}

TEST(mail_maildir_scan_refuses_what_is_no_maildir)
{
    char dir[256], sub[300];
    temp_maildir(dir);
    snprintf(sub, sizeof sub, "%s/tmp", dir);
    rmdir(sub);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_maildir_msg *msgs = NULL;
    size_t n = 7;
    CHECK(rg_maildir_scan(ctx, dir, &msgs, &n) == RG_EX_NOINPUT && !msgs && n == 0);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "not a Maildir: it has no tmp/ folder"));
    rg_ctx_free(ctx);
    remove_tree(dir);
}

TEST(mail_maildir_done_files_in_cur_with_sorted_flags_again_and_again)
{
    char dir[256];
    temp_maildir(dir);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_maildir_msg m = new_message(dir, "1001.a.host");
    ino_t ino = inode_of(m.path);
    CHECK(rg_maildir_done(ctx, dir, &m, "SR") == RG_OK);
    CHECK(is_at(m.path, dir, "cur/1001.a.host:2,RS"));
    CHECK(!exists(dir, "new/1001.a.host") && exists(dir, "cur/1001.a.host:2,RS"));
    CHECK(inode_of(m.path) == ino);             /* renamed, not copied */
    CHECK(rg_maildir_done(ctx, dir, &m, "RS") == RG_OK);
    CHECK(is_at(m.path, dir, "cur/1001.a.host:2,RS"));
    /* a rerun that still holds the new/ path finds it done */
    rg_maildir_msg stale = { 0, 0 };
    char path[600];
    snprintf(path, sizeof path, "%s/new/1001.a.host", dir);
    stale.path = strdup(path);
    stale.name = strdup("1001.a.host");
    CHECK(rg_maildir_done(ctx, dir, &stale, "RS") == RG_OK);
    CHECK(is_at(stale.path, dir, "cur/1001.a.host:2,RS"));
    /* other flags: renamed to the new set */
    CHECK(rg_maildir_done(ctx, dir, &m, "S") == RG_OK);
    CHECK(is_at(m.path, dir, "cur/1001.a.host:2,S") && !exists(dir, "cur/1001.a.host:2,RS"));
    CHECK(inode_of(m.path) == ino);
    CHECK(rg_maildir_done(ctx, dir, &m, "S,R") == RG_EX_SOFTWARE);
    CHECK(count_files(dir, "cur") == 1 && count_files(dir, "new") == 0);
    free(m.path);
    free(m.name);
    free(stale.path);
    free(stale.name);
    rg_ctx_free(ctx);
    remove_tree(dir);
}

TEST(mail_maildir_to_folder_makes_handmatig_and_moves_into_its_new)
{
    char dir[256], path[600];
    temp_maildir(dir);
    rg_ctx *ctx = rg_ctx_new(NULL);
    put(dir, "cur/1003.c.host:2,R", "replied, not seen");
    snprintf(path, sizeof path, "%s/cur/1003.c.host:2,R", dir);
    rg_maildir_msg m = { strdup(path), strdup("1003.c.host") };
    ino_t ino = inode_of(path);
    CHECK(!exists(dir, ".Handmatig"));
    CHECK(rg_maildir_to_folder(ctx, dir, "Handmatig", &m) == RG_OK);
    /* new/ names carry no ":2," info */
    CHECK(is_at(m.path, dir, ".Handmatig/new/1003.c.host"));
    CHECK(inode_of(m.path) == ino && !exists(dir, "cur/1003.c.host:2,R"));
    CHECK(exists(dir, ".Handmatig/maildirfolder"));
    static const char *const subs[] = { ".Handmatig", ".Handmatig/new", ".Handmatig/cur",
                                        ".Handmatig/tmp" };
    for (int i = 0; i < 4; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, subs[i]);
        CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
    }
    /* again: already there */
    CHECK(rg_maildir_to_folder(ctx, dir, "Handmatig", &m) == RG_OK);
    CHECK(is_at(m.path, dir, ".Handmatig/new/1003.c.host"));
    /* a second message into the folder that now exists; ".Handmatig" says the same */
    rg_maildir_msg m2 = new_message(dir, "1004.d.host");
    CHECK(rg_maildir_to_folder(ctx, dir, ".Handmatig", &m2) == RG_OK);
    CHECK(is_at(m2.path, dir, ".Handmatig/new/1004.d.host"));
    CHECK(count_files(dir, ".Handmatig/new") == 2);
    CHECK(rg_maildir_to_folder(ctx, dir, "../x", &m2) == RG_EX_SOFTWARE);
    /* the scan of the Maildir itself no longer lists them */
    rg_maildir_msg *msgs = NULL;
    size_t n = 9;
    CHECK(rg_maildir_scan(ctx, dir, &msgs, &n) == RG_OK && n == 0);
    rg_maildir_msgs_free(msgs, n);
    free(m.path);
    free(m.name);
    free(m2.path);
    free(m2.name);
    rg_ctx_free(ctx);
    remove_tree(dir);
}

TEST(mail_maildir_deliver_makes_the_maildir_and_unique_names)
{
    char dir[256], outbox[300];
    temp_maildir(dir);
    snprintf(outbox, sizeof outbox, "%s/outbox", dir);   /* does not exist yet */
    rg_ctx *ctx = rg_ctx_new(NULL);
    char *first = NULL;
    int failures = 0;
    for (int i = 0; i < 1000; i++) {
        char *name = NULL;
        if (rg_maildir_deliver(ctx, outbox, "Subject: x\r\n\r\nhi\r\n", 18, &name) != RG_OK)
            failures++;
        if (i == 0) first = name;
        else free(name);
    }
    CHECK(failures == 0);
    /* 1000 files: no name came twice (a repeat would have replaced one) */
    CHECK(count_files(outbox, "new") == 1000);
    CHECK(count_files(outbox, "tmp") == 0 && count_files(outbox, "cur") == 0);
    char pid[40];
    snprintf(pid, sizeof pid, ".P%ldQ", (long)getpid());
    CHECK(first && strstr(first, pid) && strchr(strstr(first, pid), 'R'));
    CHECK(first && !strchr(first, '/') && !strchr(first, ':'));
    if (first) {
        char rel[600], path[1000];
        snprintf(rel, sizeof rel, "new/%s", first);
        snprintf(path, sizeof path, "%s/%s", outbox, rel);
        FILE *f = fopen(path, "rb");
        char buf[64] = "";
        size_t got = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f) fclose(f);
        CHECK(got == 18 && !memcmp(buf, "Subject: x\r\n\r\nhi\r\n", 18));
    }
    free(first);
    rg_ctx_free(ctx);
    remove_tree(dir);
}

TEST(mail_maildir_a_failed_move_leaves_the_message_where_it_was)
{
    char dir[256], path[600];
    temp_maildir(dir);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_maildir_msg m = new_message(dir, "1001.a.host");
    char *before = strdup(m.path);

    /* .Handmatig/new cannot be made: a file of that name is in the way */
    snprintf(path, sizeof path, "%s/.Handmatig", dir);
    mkdir(path, 0700);
    put(dir, ".Handmatig/new", "not a folder");
    CHECK(rg_maildir_to_folder(ctx, dir, "Handmatig", &m) == RG_EX_CANTCREAT);
    CHECK(!strcmp(m.path, before) && exists(dir, "new/1001.a.host"));

    /* a file of the target's name is never replaced */
    put(dir, "cur/1001.a.host:2,RS", "another message of the same name");
    CHECK(rg_maildir_done(ctx, dir, &m, "RS") == RG_EX_CANTCREAT);
    CHECK(!strcmp(m.path, before) && exists(dir, "new/1001.a.host"));
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "(not replaced)"));

    /* a message in the wrong place for rename: it stays */
    snprintf(path, sizeof path, "%s/cur/1001.a.host:2,S", dir);
    mkdir(path, 0700);
    put(dir, "cur/1001.a.host:2,S/inside", "a folder in the way");
    CHECK(rg_maildir_done(ctx, dir, &m, "S") == RG_EX_CANTCREAT);
    CHECK(!strcmp(m.path, before) && exists(dir, "new/1001.a.host"));

    /* a folder that cannot be written (root ignores modes: only as
     * another user) */
    if (geteuid() != 0) {
        snprintf(path, sizeof path, "%s/cur", dir);
        chmod(path, 0500);
        CHECK(rg_maildir_done(ctx, dir, &m, "R") == RG_EX_CANTCREAT);
        CHECK(!strcmp(m.path, before) && exists(dir, "new/1001.a.host"));
        chmod(path, 0700);
    }

    /* a delivery that cannot reach new/ leaves nothing behind in tmp/ */
    char outbox[300];
    snprintf(outbox, sizeof outbox, "%s/out", dir);
    mkdir(outbox, 0700);
    put(outbox, "new", "not a folder");
    CHECK(rg_maildir_deliver(ctx, outbox, "x", 1, NULL) == RG_EX_CANTCREAT);
    snprintf(path, sizeof path, "%s/new", outbox);
    unlink(path);
    snprintf(path, sizeof path, "%s/new", outbox);
    mkdir(path, 0700);
    put(outbox, "new/.keep", "");
    if (geteuid() != 0) {
        chmod(path, 0500);
        CHECK(rg_maildir_deliver(ctx, outbox, "x", 1, NULL) == RG_EX_CANTCREAT);
        CHECK(count_files(outbox, "tmp") == 0);
        chmod(path, 0700);
    }
    CHECK(rg_maildir_deliver(ctx, outbox, "x", 1, NULL) == RG_OK);
    CHECK(count_files(outbox, "new") == 1 && count_files(outbox, "tmp") == 0);

    free(before);
    free(m.path);
    free(m.name);
    rg_ctx_free(ctx);
    remove_tree(dir);
}
