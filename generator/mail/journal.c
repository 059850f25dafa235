/* mail/journal.c - the mail desk's exactly-once journal (see mail/desk.h):
 * what was done with each request, the counts the limits need, and the
 * lock that keeps two desks apart. Stage: mail; plain POSIX (no GMime).
 *
 * The file is text, one line per state change, appended and never
 * rewritten:
 *
 *   <unix time> <state> <key> <address> <detail>\n
 *
 * fields separated by one space; state is a name of rg_jstate_name; key
 * and address are percent-encoded (every byte below 0x21 or above 0x7e,
 * and '%', as %XX) so that they hold no space; address is "-" for none;
 * detail is the rest of the line (newlines and CRs made spaces; "-" when
 * empty). Each line goes out in one write() on an O_APPEND descriptor,
 * then fsync(): when rg_journal_record returns RG_OK the line is on disk.
 * A crash in the middle of a write can leave a last line without its
 * '\n': reading ignores it, and opening cuts the file back to the end of
 * the last whole line before anything is appended, so that the next line
 * does not glue onto it. The latest line of a key is its state.
 *
 * The whole file is read into memory at open (a hash table of keys and
 * the list of replies for the counts): 100,000 lines take a few tens of
 * milliseconds. */
#include "desk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* A journal larger than this is not the desk's (a mistaken --journal
 * naming some other big file): 1 GiB is some ten million requests,
 * decades of a busy desk. */
#define JOURNAL_MAX_BYTES ((size_t)1 << 30)

/* Lines that do not parse are each named in a warning up to this many;
 * the rest are counted in one more (a binary file named by mistake must
 * not flood the log). */
#define JOURNAL_MAX_LINE_WARNINGS 20

/* A Message-ID longer than this, or with bytes outside printable ASCII,
 * is no usable key (RFC 5322 lines are at most 998 bytes; real IDs are
 * under 100): the header hash is used instead. */
#define MESSAGE_ID_MAX 250

typedef struct jkey {
    char *key;                     /* decoded; NULL: an empty slot */
    rg_jstate state;               /* the latest */
    long reply;                    /* its reply in replies[], or -1 */
} jkey;

/* A reply that counts for the limits: recorded SENDING (or SENT without
 * SENDING before it). One per attempt; an attempt given up cleanly
 * (SENDING -> NONE: nothing was accepted) stops counting. */
typedef struct jreply {
    time_t when;
    char *address;                 /* decoded; "-" for none */
    int counts;
} jreply;

struct rg_journal {
    char *path;
    int fd, lock_fd;
    off_t end;                     /* the file's length: where the next line goes */
    jkey *slots;                   /* open addressing, linear probing */
    size_t nslots, nkeys;          /* nslots a power of two (or 0) */
    jreply *replies;
    size_t nreplies, replies_cap;
    const char **in_flight;        /* keys in state SENDING, in the order they got it */
    size_t nin_flight, in_flight_cap;
};

static const char *const state_names[] = { "none", "sending", "sent", "handmatig", "refused",
                                           "inflight" };
#define NSTATES (sizeof state_names / sizeof state_names[0])

const char *rg_jstate_name(rg_jstate s)
{
    return (unsigned)s < NSTATES ? state_names[s] : "unknown";
}

static int state_from_name(const char *s, rg_jstate *out)
{
    for (size_t i = 0; i < NSTATES; i++)
        if (!strcmp(s, state_names[i])) {
            *out = (rg_jstate)i;
            return 0;
        }
    return -1;
}

/* ---------------------------------------------------------- the table ---- */

static size_t slot_of(const rg_journal *j, const char *key)
{
    size_t mask = j->nslots - 1;
    size_t i = (size_t)rg_hash_bytes(0, key, strlen(key)) & mask;
    while (j->slots[i].key && strcmp(j->slots[i].key, key)) i = (i + 1) & mask;
    return i;
}

static const jkey *find_key(const rg_journal *j, const char *key)
{
    if (!j->nslots) return NULL;
    const jkey *e = &j->slots[slot_of(j, key)];
    return e->key ? e : NULL;
}

static void grow_table(rg_journal *j)
{
    jkey *old = j->slots;
    size_t nold = j->nslots;
    j->nslots = nold ? nold * 2 : 1024;
    j->slots = rg_xcalloc(j->nslots, sizeof *j->slots);
    for (size_t i = 0; i < nold; i++)
        if (old[i].key) j->slots[slot_of(j, old[i].key)] = old[i];
    free(old);
}

/* key's entry, made (state NONE) when it has none. */
static jkey *key_entry(rg_journal *j, const char *key)
{
    if ((j->nkeys + 1) * 10 > j->nslots * 7) grow_table(j);
    jkey *e = &j->slots[slot_of(j, key)];
    if (!e->key) {
        e->key = rg_xstrdup(key);
        e->state = RG_J_NONE;
        e->reply = -1;
        j->nkeys++;
    }
    return e;
}

static void add_reply(rg_journal *j, jkey *e, time_t when, const char *address)
{
    rg_grow(&j->replies, &j->replies_cap, j->nreplies + 1, sizeof *j->replies);
    j->replies[j->nreplies] = (jreply){ when, rg_xstrdup(address), 1 };
    e->reply = (long)j->nreplies++;
}

static void forget_in_flight(rg_journal *j, const char *key)
{
    for (size_t i = 0; i < j->nin_flight; i++)
        if (j->in_flight[i] == key) {
            memmove(&j->in_flight[i], &j->in_flight[i + 1],
                    (j->nin_flight - i - 1) * sizeof *j->in_flight);
            j->nin_flight--;
            return;
        }
}

/* One state change into memory: the key's state, the replies counted,
 * the keys in flight. The file's order is the truth: no rule is checked
 * here (rg_journal_record checks before it writes). */
static void apply(rg_journal *j, const char *key, rg_jstate state, const char *address,
                  time_t when)
{
    jkey *e = key_entry(j, key);
    rg_jstate old = e->state;
    int counting = e->reply >= 0 && j->replies[e->reply].counts;
    if (state == RG_J_SENDING || (state == RG_J_SENT && !counting))
        add_reply(j, e, when, address);
    else if (state == RG_J_NONE && counting)
        j->replies[e->reply].counts = 0;
    e->state = state;
    if (old == RG_J_SENDING && state != RG_J_SENDING) forget_in_flight(j, e->key);
    if (state == RG_J_SENDING && old != RG_J_SENDING) {
        rg_grow(&j->in_flight, &j->in_flight_cap, j->nin_flight + 1, sizeof *j->in_flight);
        j->in_flight[j->nin_flight++] = e->key;
    }
}

/* ------------------------------------------------------- the format ---- */

static int needs_escape(unsigned char c)
{
    return c < 0x21 || c > 0x7e || c == '%';
}

/* s percent-encoded into out (at least 3 * strlen(s) + 1 bytes). */
static void encode_field(const char *s, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (needs_escape(*p)) {
            *out++ = '%';
            *out++ = hex[*p >> 4];
            *out++ = hex[*p & 15];
        } else {
            *out++ = (char)*p;
        }
    }
    *out = 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes the NUL-terminated field s in place: 0, or -1 for a bad or
 * NUL-making escape or an empty field. */
static int decode_field(char *s)
{
    char *out = s;
    if (!*s) return -1;
    for (const char *p = s; *p; p++) {
        if (*p != '%') {
            *out++ = *p;
            continue;
        }
        int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
        if (lo < 0 || (hi == 0 && lo == 0)) return -1;
        *out++ = (char)(hi * 16 + lo);
        p += 2;
    }
    *out = 0;
    return 0;
}

/* The next field of the line at *p (up to a space or the line's end),
 * NUL-terminated in place; *p moves past its space. NULL when none. */
static char *next_field(char **p, char *end)
{
    char *start = *p;
    if (start >= end) return NULL;
    char *sp = memchr(start, ' ', (size_t)(end - start));
    if (!sp) sp = end;
    if (sp == start) return NULL;
    *sp = 0;
    *p = sp < end ? sp + 1 : end;
    return start;
}

static int parse_time(const char *s, time_t *out)
{
    long long v = 0;
    if (!*s || strlen(s) > 18) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        v = v * 10 + (*s - '0');
    }
    *out = (time_t)v;
    return 0;
}

/* Parses one line (its bytes [line, end), end at its '\n', which may be
 * overwritten) into memory. 0, or -1 when it does not parse. */
static int read_line(rg_journal *j, char *line, char *end)
{
    char *p = line;
    if (memchr(line, 0, (size_t)(end - line))) return -1;   /* zeros a crash left */
    *end = 0;
    char *when_s = next_field(&p, end), *state_s = next_field(&p, end);
    char *key = next_field(&p, end), *address = next_field(&p, end);
    time_t when;
    rg_jstate state;
    if (!address || parse_time(when_s, &when) || state_from_name(state_s, &state) ||
        decode_field(key) || decode_field(address))
        return -1;
    apply(j, key, state, address, when);
    return 0;
}

/* Reads the whole file (size bytes) into memory and cuts a torn last line
 * off it. RG_OK, or an error after a diagnostic. */
static rg_status load(rg_journal *j, rg_ctx *ctx, size_t size)
{
    char *buf = rg_xmalloc(size + 1);
    size_t got = 0;
    while (got < size) {
        ssize_t r = pread(j->fd, buf + got, size - got, (off_t)got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            rg_diag(ctx, RG_SEV_ERROR, j->path, 0, 0, "cannot read the journal: %s",
                    r < 0 ? strerror(errno) : "it shrank while being read");
            free(buf);
            return RG_EX_NOINPUT;
        }
        got += (size_t)r;
    }
    size_t whole = size, skipped = 0;
    while (whole && buf[whole - 1] != '\n') whole--;
    long lineno = 0;
    for (char *line = buf, *stop = buf + whole; line < stop;) {
        char *nl = memchr(line, '\n', (size_t)(stop - line));
        lineno++;
        if (read_line(j, line, nl) && ++skipped <= JOURNAL_MAX_LINE_WARNINGS)
            rg_diag(ctx, RG_SEV_WARNING, j->path, (int)lineno, 0,
                    "not a journal line (\"<time> <state> <key> <address> <detail>\"): "
                    "skipped");
        line = nl + 1;
    }
    free(buf);
    if (skipped > JOURNAL_MAX_LINE_WARNINGS)
        rg_diag(ctx, RG_SEV_WARNING, j->path, 0, 0, "%zu more lines that are not journal lines "
                "skipped", skipped - JOURNAL_MAX_LINE_WARNINGS);
    j->end = (off_t)whole;
    if (whole == size) return RG_OK;
    /* a run stopped in the middle of writing its last line: that change
     * never happened (its caller never heard RG_OK) */
    rg_diag(ctx, RG_SEV_WARNING, j->path, (int)lineno + 1, 0,
            "an unfinished last line (%zu bytes, left by a run that stopped while writing it) "
            "is ignored and removed", size - whole);
    if (ftruncate(j->fd, j->end) != 0 || fsync(j->fd) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, j->path, 0, 0,
                "cannot cut the unfinished last line off the journal: %s", strerror(errno));
        return RG_EX_CANTCREAT;
    }
    return RG_OK;
}

/* ------------------------------------------------- opening, locking ---- */

/* The lock on path + ".lock", held by lock_fd until close. */
static rg_status take_lock(rg_journal *j, rg_ctx *ctx)
{
    size_t n = strlen(j->path) + 6;
    char *lock_path = rg_xmalloc(n);
    snprintf(lock_path, n, "%s.lock", j->path);
    rg_status st = RG_OK;
    j->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
    if (j->lock_fd < 0) {
        rg_diag(ctx, RG_SEV_ERROR, lock_path, 0, 0, "cannot make the journal's lock file: %s",
                strerror(errno));
        st = RG_EX_CANTCREAT;
    } else if (flock(j->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                    "another reportgen inbox is working on %s (lock %s)", j->path, lock_path);
            st = RG_EX_TEMPFAIL;
        } else {
            rg_diag(ctx, RG_SEV_ERROR, lock_path, 0, 0, "cannot lock the journal: %s",
                    strerror(errno));
            st = RG_EX_CANTCREAT;
        }
    }
    free(lock_path);
    return st;
}

/* Opens (or creates, 0600, its name made durable) the journal file
 * itself, a regular file; its size into *size. */
static rg_status open_file(rg_journal *j, rg_ctx *ctx, size_t *size)
{
    int flags = O_RDWR | O_APPEND | O_CLOEXEC | O_NONBLOCK;   /* a FIFO must not hang us */
    int created = 1;
    j->fd = open(j->path, flags | O_CREAT | O_EXCL, 0600);
    if (j->fd < 0 && errno == EEXIST) {
        created = 0;
        j->fd = open(j->path, flags);
    }
    struct stat st;
    const char *why = NULL;
    if (j->fd < 0) why = strerror(errno);
    else if (fstat(j->fd, &st) != 0) why = strerror(errno);
    else if (!S_ISREG(st.st_mode)) why = "not a regular file";
    else if ((uint64_t)st.st_size > JOURNAL_MAX_BYTES) why = "larger than 1 GiB: not a journal";
    if (why) {
        rg_diag(ctx, RG_SEV_ERROR, j->path, 0, 0, "cannot open the journal: %s", why);
        return RG_EX_CANTCREAT;
    }
    fcntl(j->fd, F_SETFL, fcntl(j->fd, F_GETFL) & ~O_NONBLOCK);
    *size = (size_t)st.st_size;
    if (created) {
        if (rg_sync_parent(j->path) != 0) {
            rg_diag(ctx, RG_SEV_ERROR, j->path, 0, 0, "cannot make the new journal last: %s",
                    strerror(errno));
            return RG_EX_CANTCREAT;
        }
    }
    return RG_OK;
}

rg_status rg_journal_open(rg_ctx *ctx, const char *path, rg_journal **out)
{
    *out = NULL;
    rg_journal *j = rg_xcalloc(1, sizeof *j);
    j->path = rg_xstrdup(path);
    j->fd = j->lock_fd = -1;
    size_t size = 0;
    rg_status st = take_lock(j, ctx);
    if (st == RG_OK) st = open_file(j, ctx, &size);
    if (st == RG_OK) st = load(j, ctx, size);
    if (st != RG_OK) {
        rg_journal_close(j);
        return st;
    }
    *out = j;
    return RG_OK;
}

void rg_journal_close(rg_journal *j)
{
    if (!j) return;
    if (j->fd >= 0) close(j->fd);
    if (j->lock_fd >= 0) close(j->lock_fd);   /* releases the flock */
    for (size_t i = 0; i < j->nslots; i++) free(j->slots[i].key);
    for (size_t i = 0; i < j->nreplies; i++) free(j->replies[i].address);
    free(j->slots);
    free(j->replies);
    free(j->in_flight);
    free(j->path);
    free(j);
}

/* ------------------------------------------------------------ keys ---- */

/* The Message-ID without blanks around it and without its <>, when it is
 * usable as a key: into out, 0; else -1. */
static int key_from_message_id(const char *id, char *out, size_t out_size)
{
    if (!id) return -1;
    while (*id == ' ' || *id == '\t') id++;
    size_t n = strlen(id);
    while (n && (id[n - 1] == ' ' || id[n - 1] == '\t' || id[n - 1] == '\r' || id[n - 1] == '\n'))
        n--;
    if (n >= 2 && id[0] == '<' && id[n - 1] == '>') {
        id++;
        n -= 2;
    }
    if (n < 1 || n > MESSAGE_ID_MAX || n >= out_size) return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x21 || (unsigned char)id[i] > 0x7e) return -1;
    memcpy(out, id, n);
    out[n] = 0;
    return 0;
}

/* SHA-256 of the header block (up to the first empty line), with CRLF
 * line ends read as LF: the same message stored by a Maildir (LF) and
 * piped by an MTA (CRLF) gets the same key. */
static void header_digest(const char *req, size_t len, char hex[65])
{
    rg_sha256 s;
    unsigned char digest[32];
    rg_sha256_init(&s);
    size_t at = 0;
    while (req && at < len) {
        const char *nl = memchr(req + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - req) : len;
        size_t text_end = end > at && req[end - 1] == '\r' ? end - 1 : end;
        if (text_end == at && nl) break;              /* the empty line */
        rg_sha256_update(&s, req + at, text_end - at);
        if (nl) rg_sha256_update(&s, "\n", 1);
        at = end + 1;
    }
    rg_sha256_final(&s, digest);
    rg_sha256_hex(digest, hex);
}

void rg_journal_key(const char *message_id, const char *req, size_t len, char *out,
                    size_t out_size)
{
    if (!out_size) return;
    if (key_from_message_id(message_id, out, out_size) == 0) return;
    char hex[65];
    header_digest(req, len, hex);
    snprintf(out, out_size, "sha256:%s", hex);
}

/* --------------------------------------------------------- reading ---- */

rg_jstate rg_journal_state(const rg_journal *j, const char *key)
{
    const jkey *e = find_key(j, key);
    return e ? e->state : RG_J_NONE;
}

static size_t count_replies(const rg_journal *j, const char *address, time_t since)
{
    size_t n = 0;
    for (size_t i = 0; i < j->nreplies; i++) {
        const jreply *r = &j->replies[i];
        if (r->counts && r->when >= since && (!address || !strcasecmp(r->address, address)))
            n++;
    }
    return n;
}

size_t rg_journal_sent_to(const rg_journal *j, const char *address, time_t since)
{
    return address ? count_replies(j, address, since) : 0;
}

size_t rg_journal_sent_total(const rg_journal *j, time_t since)
{
    return count_replies(j, NULL, since);
}

const char *const *rg_journal_in_flight(const rg_journal *j, size_t *n)
{
    *n = j->nin_flight;
    return j->in_flight;
}

/* --------------------------------------------------------- writing ---- */

/* May a key in state from be recorded in state to? Forward only, along
 * the paths of desk.h: (none) -> sending | handmatig | refused; sending
 * -> sent | inflight (and handmatig or refused, when the desk gives up on
 * a send for good), and the one step back sending -> none. Handled states
 * are final. */
static int allowed_move(rg_jstate from, rg_jstate to)
{
    switch (from) {
    case RG_J_NONE:
        return to == RG_J_SENDING || to == RG_J_HANDMATIG || to == RG_J_REFUSED;
    case RG_J_SENDING:
        return to != RG_J_SENDING && (unsigned)to < NSTATES;
    default:
        return 0;
    }
}

/* The line for one change, malloc'd. */
static char *format_line(time_t when, rg_jstate state, const char *key, const char *address,
                         const char *detail)
{
    char *ekey = rg_xmalloc(3 * strlen(key) + 1), *eaddr = rg_xmalloc(3 * strlen(address) + 1);
    encode_field(key, ekey);
    encode_field(address, eaddr);
    size_t n = 40 + strlen(ekey) + strlen(eaddr) + strlen(detail);
    char *line = rg_xmalloc(n);
    snprintf(line, n, "%lld %s %s %s %s\n", (long long)when, rg_jstate_name(state), ekey, eaddr,
             detail);
    free(ekey);
    free(eaddr);
    /* the detail is one line: the only '\n' is the last */
    size_t len = strlen(line);
    for (size_t i = 0; i + 1 < len; i++)
        if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
    return line;
}

rg_status rg_journal_record(rg_journal *j, rg_ctx *ctx, const char *key, rg_jstate state,
                            const char *address, const char *detail)
{
    rg_jstate from = key ? rg_journal_state(j, key) : RG_J_NONE;
    if (!key || !*key || !allowed_move(from, state)) {
        rg_diag(ctx, RG_SEV_ERROR, j->path, 0, 0,
                "internal error: request %s cannot go from state %s to %s", key ? key : "(null)",
                rg_jstate_name(from), rg_jstate_name(state));
        return RG_EX_SOFTWARE;
    }
    if (!address || !*address) address = "-";
    if (!detail || !*detail) detail = "-";
    time_t now = time(NULL);
    char *line = format_line(now, state, key, address, detail);
    size_t len = strlen(line);
    /* one write of the whole line: a crash leaves all of it or a torn
     * tail that the next open cuts off */
    ssize_t w = write(j->fd, line, len);
    int err = w < 0 ? errno : (size_t)w < len ? ENOSPC : 0;
    if (!err && fsync(j->fd) != 0) err = errno;
    free(line);
    if (err) {
        /* take a partial line back so that the next one starts clean; the
         * change did not happen */
        if (ftruncate(j->fd, j->end) == 0) fsync(j->fd);
        rg_diag(ctx, RG_SEV_ERROR, j->path, 0, 0, "cannot write to the journal: %s",
                strerror(err));
        return RG_EX_CANTCREAT;
    }
    j->end += (off_t)len;
    apply(j, key, state, address, now);
    return RG_OK;
}
