/* test_mail_journal.c - mail/journal.c: the mail desk's exactly-once
 * journal. Lines written whole and read back; a torn last line ignored
 * and cut off before the next is appended; lines that do not parse
 * skipped with a warning naming path:line; states only forward (and the
 * one step back SENDING -> NONE); the counts for the limits; the keys in
 * flight; the lock against a second desk (a forked child); the key from a
 * Message-ID or from the SHA-256 of the headers; a journal of 100,000
 * lines. */
#include "mail/desk.h"
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The unit-test binary's fsync, standing in for libc's in the whole
 * binary (the executable's definition wins at link time): it counts the
 * calls and fails with EIO while fsync_fails is set, else it is the
 * system call itself, so every other caller sees no difference. It lets a
 * test see that a journal line is fsync'ed, and what a failed fsync does
 * (a crash cannot be simulated in a unit test). */
static int fsync_calls, fsync_fails;

int fsync(int fd)
{
    fsync_calls++;
    if (fsync_fails) {
        errno = EIO;
        return -1;
    }
    return (int)syscall(SYS_fsync, fd);
}

/* A fresh folder under TMPDIR and the journal path in it. */
static void temp_journal(char dir[256], char path[300])
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, 256, "%s/rg-journal-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) dir[0] = 0;
    snprintf(path, 300, "%s/journal", dir);
}

static void remove_journal(const char *dir, const char *path)
{
    char lock[320];
    snprintf(lock, sizeof lock, "%s.lock", path);
    unlink(path);
    unlink(lock);
    rmdir(dir);
}

static void write_bytes(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The whole file, malloc'd ("" when unreadable). */
static char *read_bytes(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = calloc(1, 1 << 16);
    if (f) {
        size_t n = fread(buf, 1, (1 << 16) - 1, f);
        buf[n] = 0;
        fclose(f);
    }
    return buf;
}

static rg_journal *open_ok(rg_ctx *ctx, const char *path)
{
    rg_journal *j = NULL;
    CHECK(rg_journal_open(ctx, path, &j) == RG_OK && j);
    return j;
}

TEST(mail_journal_records_lines_and_reads_them_back)
{
    char dir[256], path[300], lock[320];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_journal *j = open_ok(ctx, path);
    if (!j) goto out;
    time_t before = time(NULL);
    CHECK(rg_journal_record(j, ctx, "a@x", RG_J_SENDING, "p@q.nl", "r-2023-T1.pdf") == RG_OK);
    CHECK(rg_journal_record(j, ctx, "a@x", RG_J_SENT, "p@q.nl", "r-2023-T1.pdf") == RG_OK);
    CHECK(rg_journal_record(j, ctx, "b@x", RG_J_REFUSED, NULL, "List-Id") == RG_OK);
    CHECK(rg_journal_state(j, "a@x") == RG_J_SENT);
    CHECK(rg_journal_state(j, "b@x") == RG_J_REFUSED);
    CHECK(rg_journal_state(j, "c@x") == RG_J_NONE);
    rg_journal_close(j);

    /* the format: "<time> <state> <key> <address> <detail>\n" */
    char *text = read_bytes(path), expect[400];
    long long t = 0;
    CHECK(sscanf(text, "%lld ", &t) == 1 && t >= before && t <= before + 5);
    snprintf(expect, sizeof expect,
             "%lld sending a@x p@q.nl r-2023-T1.pdf\n%lld sent a@x p@q.nl r-2023-T1.pdf\n"
             "%lld refused b@x - List-Id\n", t, t, t);
    CHECK_STR(text, expect);
    free(text);

    /* both files are the desk's alone */
    struct stat st;
    snprintf(lock, sizeof lock, "%s.lock", path);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(stat(lock, &st) == 0 && (st.st_mode & 0777) == 0600);

    j = open_ok(ctx, path);
    CHECK(j && rg_journal_state(j, "a@x") == RG_J_SENT);
    CHECK(j && rg_journal_state(j, "b@x") == RG_J_REFUSED);
    rg_journal_close(j);
    CHECK(ctx->warnings == 0 && ctx->errors == 0);
out:
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_line_is_fsynced_and_taken_back_when_that_fails)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_journal *j = open_ok(ctx, path);
    if (!j) goto out;
    int before = fsync_calls;
    CHECK(rg_journal_record(j, ctx, "a", RG_J_SENDING, "a@x", "r.pdf") == RG_OK);
    CHECK(fsync_calls > before);
    /* the disk failed: the change did not happen, in memory or in the file */
    fsync_fails = 1;
    CHECK(rg_journal_record(j, ctx, "a", RG_J_SENT, "a@x", "r.pdf") == RG_EX_CANTCREAT);
    fsync_fails = 0;
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "cannot write to the journal: "));
    CHECK(rg_journal_state(j, "a") == RG_J_SENDING);
    char *text = read_bytes(path);
    CHECK(strstr(text, " sending a ") && !strstr(text, " sent a "));
    free(text);
    CHECK(rg_journal_record(j, ctx, "a", RG_J_SENT, "a@x", "r.pdf") == RG_OK);
    rg_journal_close(j);
    rg_ctx *again = rg_ctx_new(NULL);
    j = open_ok(again, path);
    CHECK(j && rg_journal_state(j, "a") == RG_J_SENT && again->warnings == 0);
    rg_journal_close(j);
    rg_ctx_free(again);
out:
    fsync_fails = 0;
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_torn_last_line_is_ignored_and_cut_off)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    /* a run was killed while writing "sent" for b: b stays SENDING */
    write_bytes(path, "100 sent a a@x one.pdf\n100 sending b b@x two.pdf\n101 sent b b@");
    rg_journal *j = open_ok(ctx, path);
    if (!j) goto out;
    CHECK(rg_journal_state(j, "a") == RG_J_SENT);
    CHECK(rg_journal_state(j, "b") == RG_J_SENDING);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, ":3: warning: an unfinished last line"));
    CHECK(rg_journal_record(j, ctx, "c", RG_J_HANDMATIG, "c@x", "unclear") == RG_OK);
    rg_journal_close(j);

    /* the torn bytes are gone: the new line starts a line of its own */
    char *text = read_bytes(path);
    const char *third = strchr(strchr(text, '\n') + 1, '\n') + 1;
    CHECK(!strncmp(text, "100 sent a a@x one.pdf\n100 sending b b@x two.pdf\n", 49));
    CHECK(strstr(third, " handmatig c c@x unclear\n") && !strstr(text, "b@1"));
    free(text);

    rg_ctx *again = rg_ctx_new(NULL);
    j = open_ok(again, path);
    CHECK(j && rg_journal_state(j, "c") == RG_J_HANDMATIG);
    CHECK(j && rg_journal_state(j, "b") == RG_J_SENDING);
    CHECK(again->warnings == 0);
    rg_journal_close(j);
    rg_ctx_free(again);
out:
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_lines_that_do_not_parse_are_skipped_with_a_warning)
{
    char dir[256], path[300], where[340];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    write_bytes(path, "100 sent good a@x r.pdf\n"
                      "garbage\n"
                      "12x sent k a@x r.pdf\n"
                      "100 flying k a@x r.pdf\n"
                      "100 sent k%zz a@x r.pdf\n"
                      "\n"
                      "100 sent k\n"
                      "100 refused other - no reply to lists\n");
    /* a line with a NUL in its key (blocks of zeros a crash can leave) */
    FILE *f = fopen(path, "a");
    if (f) {
        fwrite("100 sent k\0x a@x r.pdf\n", 1, 23, f);
        fclose(f);
    }
    rg_journal *j = open_ok(ctx, path);
    CHECK(j && rg_journal_state(j, "good") == RG_J_SENT);
    CHECK(j && rg_journal_state(j, "other") == RG_J_REFUSED);
    CHECK(j && rg_journal_state(j, "k") == RG_J_NONE);
    CHECK(ctx->warnings == 7);
    for (int line = 2; line <= 9; line += line == 7 ? 2 : 1) {
        snprintf(where, sizeof where, "%s:%d: warning: not a journal line", path, line);
        CHECK(ctx->diag_text && strstr(ctx->diag_text, where));
    }
    rg_journal_close(j);
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_state_moves_only_forward)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_journal *j = open_ok(ctx, path);
    if (!j) goto out;
    struct stat st;
    /* SENT without SENDING first would skip the mark made before a send */
    CHECK(rg_journal_record(j, ctx, "k", RG_J_SENT, "a@x", "r.pdf") == RG_EX_SOFTWARE);
    CHECK(rg_journal_record(j, ctx, "k", RG_J_INFLIGHT, "a@x", NULL) == RG_EX_SOFTWARE);
    CHECK(rg_journal_record(j, ctx, "k", RG_J_NONE, "a@x", NULL) == RG_EX_SOFTWARE);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "cannot go from state none to sent"));
    CHECK(rg_journal_record(j, ctx, "k", RG_J_SENDING, "a@x", "r.pdf") == RG_OK);
    CHECK(rg_journal_record(j, ctx, "k", RG_J_SENDING, "a@x", "r.pdf") == RG_EX_SOFTWARE);
    CHECK(rg_journal_record(j, ctx, "k", RG_J_SENT, "a@x", "r.pdf") == RG_OK);
    CHECK(stat(path, &st) == 0);
    off_t size = st.st_size;
    for (rg_jstate s = RG_J_NONE; s <= RG_J_INFLIGHT; s++)
        CHECK(rg_journal_record(j, ctx, "k", s, "a@x", NULL) == RG_EX_SOFTWARE);
    CHECK(rg_journal_record(j, ctx, "r", RG_J_REFUSED, "-", "bulk") == RG_OK);
    CHECK(rg_journal_record(j, ctx, "r", RG_J_SENDING, "a@x", NULL) == RG_EX_SOFTWARE);
    CHECK(rg_journal_record(j, ctx, "h", RG_J_HANDMATIG, "a@x", NULL) == RG_OK);
    CHECK(rg_journal_record(j, ctx, "h", RG_J_REFUSED, "a@x", NULL) == RG_EX_SOFTWARE);
    CHECK(rg_journal_record(j, ctx, "", RG_J_REFUSED, "a@x", NULL) == RG_EX_SOFTWARE);
    CHECK(rg_journal_state(j, "k") == RG_J_SENT);
    rg_journal_close(j);
    /* nothing refused reached the file: k's lines, r's, h's */
    char *text = read_bytes(path);
    CHECK(stat(path, &st) == 0 && st.st_size > size);
    int lines = 0;
    for (const char *p = text; *p; p++) lines += *p == '\n';
    CHECK(lines == 4);
    free(text);
out:
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_sending_may_step_back_to_none)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_journal *j = open_ok(ctx, path);
    if (!j) goto out;
    size_t n = 9;
    time_t now = time(NULL);
    CHECK(rg_journal_record(j, ctx, "k", RG_J_SENDING, "a@x", "r.pdf") == RG_OK);
    CHECK(rg_journal_sent_to(j, "a@x", now - 60) == 1);
    /* the server said 4xx: nothing was sent, the next run tries again */
    CHECK(rg_journal_record(j, ctx, "k", RG_J_NONE, "a@x", "450 try later") == RG_OK);
    CHECK(rg_journal_state(j, "k") == RG_J_NONE);
    CHECK(rg_journal_sent_to(j, "a@x", now - 60) == 0);
    CHECK(rg_journal_in_flight(j, &n) && n == 0);
    rg_journal_close(j);

    j = open_ok(ctx, path);
    if (!j) goto out;
    CHECK(rg_journal_state(j, "k") == RG_J_NONE);
    CHECK(rg_journal_sent_total(j, now - 60) == 0);
    CHECK(rg_journal_record(j, ctx, "k", RG_J_SENDING, "a@x", "r.pdf") == RG_OK);
    CHECK(rg_journal_record(j, ctx, "k", RG_J_SENT, "a@x", "r.pdf") == RG_OK);
    CHECK(rg_journal_sent_to(j, "a@x", now - 60) == 1);
    rg_journal_close(j);
out:
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_counts_replies_per_address_and_in_total_since)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    write_bytes(path, "1000 sending k1 A@x r.pdf\n"
                      "1000 sent k1 A@x r.pdf\n"        /* one reply, two lines */
                      "2000 sending k2 a@X r.pdf\n"
                      "2001 sent k2 a@X r.pdf\n"
                      "3000 sending k3 b@y r.pdf\n"
                      "3001 none k3 b@y 421 busy\n"     /* given up: nothing sent */
                      "4000 sent k4 a@x r.pdf\n"        /* SENT alone counts too */
                      "5000 handmatig k5 a@x unclear\n"
                      "5500 refused k7 a@x List-Id\n"
                      "6000 sending k6 c@z r.pdf\n");   /* may have gone out: counts */
    rg_journal *j = open_ok(ctx, path);
    if (!j) goto out;
    CHECK(rg_journal_sent_to(j, "a@x", 0) == 3);
    CHECK(rg_journal_sent_to(j, "A@X", 0) == 3);
    CHECK(rg_journal_sent_to(j, "a@x", 1500) == 2);
    CHECK(rg_journal_sent_to(j, "a@x", 2000) == 2);
    CHECK(rg_journal_sent_to(j, "a@x", 4001) == 0);
    CHECK(rg_journal_sent_to(j, "b@y", 0) == 0);
    CHECK(rg_journal_sent_to(j, "c@z", 6000) == 1);
    CHECK(rg_journal_sent_to(j, "nobody@x", 0) == 0);
    CHECK(rg_journal_sent_total(j, 0) == 4);
    CHECK(rg_journal_sent_total(j, 5000) == 1);
    CHECK(rg_journal_sent_total(j, 6001) == 0);
    /* a request in flight at start-up is filed for a person, and still counts */
    CHECK(rg_journal_record(j, ctx, "k6", RG_J_INFLIGHT, "c@z", "in flight") == RG_OK);
    CHECK(rg_journal_sent_to(j, "c@z", 0) == 1);
    rg_journal_close(j);
out:
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_lists_the_keys_in_flight)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_journal *j = open_ok(ctx, path);
    if (!j) goto out;
    size_t n = 9;
    const char *const *keys = rg_journal_in_flight(j, &n);
    CHECK(n == 0);
    CHECK(rg_journal_record(j, ctx, "a", RG_J_SENDING, "a@x", NULL) == RG_OK);
    CHECK(rg_journal_record(j, ctx, "b", RG_J_SENDING, "b@x", NULL) == RG_OK);
    CHECK(rg_journal_record(j, ctx, "c", RG_J_SENDING, "c@x", NULL) == RG_OK);
    CHECK(rg_journal_record(j, ctx, "b", RG_J_SENT, "b@x", NULL) == RG_OK);
    CHECK(rg_journal_record(j, ctx, "d", RG_J_REFUSED, "d@x", NULL) == RG_OK);
    keys = rg_journal_in_flight(j, &n);
    CHECK(n == 2 && !strcmp(keys[0], "a") && !strcmp(keys[1], "c"));
    rg_journal_close(j);

    /* a run died there: the next one finds them */
    j = open_ok(ctx, path);
    if (!j) goto out;
    keys = rg_journal_in_flight(j, &n);
    CHECK(n == 2 && !strcmp(keys[0], "a") && !strcmp(keys[1], "c"));
    CHECK(rg_journal_record(j, ctx, "a", RG_J_INFLIGHT, "a@x", "may have been sent") == RG_OK);
    keys = rg_journal_in_flight(j, &n);
    CHECK(n == 1 && !strcmp(keys[0], "c"));
    CHECK(rg_journal_state(j, "a") == RG_J_INFLIGHT);
    rg_journal_close(j);
out:
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

/* In a child: opens the journal at path and exits with the status it got
 * (75 only with the diagnostic that says why). */
static int open_in_child(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_journal *j = NULL;
        rg_status st = rg_journal_open(ctx, path, &j);
        if (st == RG_EX_TEMPFAIL &&
            !(ctx->diag_text && strstr(ctx->diag_text, "another reportgen inbox is working on") &&
              strstr(ctx->diag_text, ".lock)")))
            st = RG_EX_SOFTWARE;
        rg_journal_close(j);
        rg_ctx_free(ctx);   /* nothing left for valgrind to report in the child */
        _exit((int)st);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

TEST(mail_journal_lock_refuses_a_second_desk)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_journal *j = open_ok(ctx, path);
    fflush(NULL);
    CHECK(open_in_child(path) == RG_EX_TEMPFAIL);
    rg_journal_close(j);
    CHECK(open_in_child(path) == RG_OK);
    /* a second opener in the same process is refused too (another open
     * file description) */
    j = open_ok(ctx, path);
    rg_journal *k = NULL;
    CHECK(rg_journal_open(ctx, path, &k) == RG_EX_TEMPFAIL && !k);
    rg_journal_close(j);
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_key_from_message_id)
{
    char key[RG_JOURNAL_KEY_SIZE], id[300];
    const char *req = "From: a@x\nSubject: T1\n\nbody\n";
    rg_journal_key("<abc.123@mail.example>", req, strlen(req), key, sizeof key);
    CHECK_STR(key, "abc.123@mail.example");
    rg_journal_key("  <abc.123@mail.example>\r\n", req, strlen(req), key, sizeof key);
    CHECK_STR(key, "abc.123@mail.example");
    rg_journal_key("abc.123@mail.example", req, strlen(req), key, sizeof key);
    CHECK_STR(key, "abc.123@mail.example");
    /* an ID of 250 bytes is kept; 251, a blank, a control or a non-ASCII
     * byte, or nothing at all: the headers' hash */
    memset(id, 'x', 250);
    id[250] = 0;
    rg_journal_key(id, req, strlen(req), key, sizeof key);
    CHECK(strlen(key) == 250);
    id[250] = 'x';
    id[251] = 0;
    const char *unusable[] = { id, "a b@x", "a\001b@x", "caf\xc3\xa9@x", "", "<>", NULL };
    for (size_t i = 0; i < sizeof unusable / sizeof *unusable; i++) {
        rg_journal_key(unusable[i], req, strlen(req), key, sizeof key);
        CHECK(!strncmp(key, "sha256:", 7) && strlen(key) == 71);
    }
}

TEST(mail_journal_key_from_header_hash)
{
    char a[RG_JOURNAL_KEY_SIZE], b[RG_JOURNAL_KEY_SIZE];
    const char *one = "From: a@x\nSubject: T1 2023\n\nfirst body\n";
    const char *same = "From: a@x\r\nSubject: T1 2023\r\n\r\nanother body\r\n";
    const char *other = "From: a@x\nSubject: T2 2023\n\nfirst body\n";
    rg_journal_key(NULL, one, strlen(one), a, sizeof a);
    /* sha256("From: a@x\nSubject: T1 2023\n") */
    CHECK_STR(a, "sha256:bec326a6e221c21ea7bd1516afc898d10f7f071c1fe4a24c37b3f7f5e8ba67fb");
    rg_journal_key(NULL, same, strlen(same), b, sizeof b);
    CHECK_STR(a, b);
    rg_journal_key("", other, strlen(other), b, sizeof b);
    CHECK(strcmp(a, b) != 0 && !strncmp(b, "sha256:", 7));
    /* no empty line: all of it is headers */
    const char *headers_only = "From: a@x\nSubject: T1 2023\n";
    rg_journal_key(NULL, headers_only, strlen(headers_only), b, sizeof b);
    CHECK_STR(a, b);
}

TEST(mail_journal_escapes_keys_and_addresses_and_flattens_details)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_journal *j = open_ok(ctx, path);
    if (!j) goto out;
    CHECK(rg_journal_record(j, ctx, "50%\x01 off@x", RG_J_HANDMATIG, "odd addr@x",
                            "line one\nline two\r\nthree") == RG_OK);
    rg_journal_close(j);
    char *text = read_bytes(path);
    CHECK(strstr(text, " handmatig 50%25%01%20off@x odd%20addr@x line one line two  three\n"));
    int lines = 0;
    for (const char *p = text; *p; p++) lines += *p == '\n';
    CHECK(lines == 1);
    free(text);
    j = open_ok(ctx, path);
    CHECK(j && rg_journal_state(j, "50%\x01 off@x") == RG_J_HANDMATIG);
    rg_journal_close(j);
    CHECK(ctx->warnings == 0);
out:
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_refuses_what_is_not_a_journal_file)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_journal *j = NULL;
    CHECK(mkdir(path, 0700) == 0);
    CHECK(rg_journal_open(ctx, path, &j) == RG_EX_CANTCREAT && !j);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "cannot open the journal"));
    rmdir(path);
    /* a FIFO would hang a blocking open */
    CHECK(mkfifo(path, 0600) == 0);
    CHECK(rg_journal_open(ctx, path, &j) == RG_EX_CANTCREAT && !j);
    CHECK(strstr(ctx->diag_text, "cannot open the journal: not a regular file"));
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}

TEST(mail_journal_opens_100000_lines)
{
    char dir[256], path[300];
    temp_journal(dir, path);
    FILE *f = fopen(path, "w");
    if (!f) return;
    /* 50,000 requests answered, a year of a busy desk */
    for (int i = 0; i < 50000; i++) {
        fprintf(f, "%d sending <%d.%d@mail.example.nl> person%d@example.nl r-2023-T1.pdf\n",
                1700000000 + i, i, i * 7919, i % 977);
        fprintf(f, "%d sent <%d.%d@mail.example.nl> person%d@example.nl r-2023-T1.pdf\n",
                1700000000 + i, i, i * 7919, i % 977);
    }
    fclose(f);
    rg_ctx *ctx = rg_ctx_new(NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rg_journal *j = open_ok(ctx, path);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (getenv("RG_TEST_TIMES")) fprintf(stderr, "  100,000-line journal opened in %.3f s\n", seconds);
    CHECK(seconds < 2.0);   /* 0.2 s is the aim; generous for a loaded machine */
    CHECK(j && rg_journal_sent_total(j, 0) == 50000);
    CHECK(j && rg_journal_sent_to(j, "PERSON5@example.nl", 0) == 52);
    CHECK(j && rg_journal_state(j, "<49999.395942081@mail.example.nl>") == RG_J_SENT);
    CHECK(ctx->warnings == 0);
    rg_journal_close(j);
    rg_ctx_free(ctx);
    remove_journal(dir, path);
}
