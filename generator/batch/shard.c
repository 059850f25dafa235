/* batch/shard.c - which share of a batch a definition belongs to
 * (--shard K/N, see batch.h), and the lexical path arithmetic shards and
 * --merge need. Stage: batch.
 *
 * The share must come out the same on every machine, whatever folder the
 * batch root is mounted at, whatever the byte order: so it hashes the
 * definition's path relative to the batch root, byte by byte, with
 * 64-bit FNV-1a (not rg_hash_bytes, which reads words in the machine's
 * byte order). Paths are made absolute and normalised lexically ("." and
 * ".." taken away, no symbolic link followed), so that the same names give
 * the same path wherever they are read. */
#include "manifest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t fnv1a64(uint64_t h, const void *p, size_t n)
{
    for (const unsigned char *b = p, *e = b + n; b < e; b++) h = (h ^ *b) * FNV1A64_PRIME;
    return h;
}

unsigned shard_of(const char *relative, unsigned n)
{
    return (unsigned)(fnv1a64(FNV1A64_BASIS, relative, strlen(relative)) % n) + 1;
}

/* Appends component c (len bytes) to the normalised absolute path out,
 * taking "." and ".." away. */
static void push_component(char *out, size_t *o, const char *c, size_t len)
{
    if (len == 0 || (len == 1 && c[0] == '.')) return;
    if (len == 2 && c[0] == '.' && c[1] == '.') {
        while (*o > 0 && out[*o - 1] != '/') (*o)--;
        if (*o > 0) (*o)--;         /* the '/' before it; "/.." is "/" */
        out[*o] = 0;
        return;
    }
    out[(*o)++] = '/';
    memcpy(out + *o, c, len);
    *o += len;
    out[*o] = 0;
}

char *lexical_path(const char *base, const char *path)
{
    char cwd[4096];
    if (path[0] != '/' && !base) {
        if (!getcwd(cwd, sizeof cwd)) return NULL;
        base = cwd;
    }
    size_t cap = (path[0] == '/' ? 0 : strlen(base)) + strlen(path) + 3, o = 0;
    char *out = rg_xmalloc(cap);
    out[0] = 0;
    for (int part = path[0] == '/'; part < 2; part++) {
        const char *s = part ? path : base;
        while (*s) {
            size_t len = strcspn(s, "/");
            push_component(out, &o, s, len);
            s += len + (s[len] == '/');
        }
    }
    if (o == 0) strcpy(out, "/");
    return out;
}

char *common_folder(const char *a, const char *b)
{
    size_t common = 0;             /* the last '/' (or end) both share */
    for (size_t i = 0;; i++) {
        char x = a[i], y = b[i];
        if ((x == '/' || !x) && (y == '/' || !y)) common = i;
        if (x != y || !x) break;
    }
    char *out = rg_xmalloc(common + 2);
    snprintf(out, common + 2, "%.*s", (int)common, a);
    if (!out[0]) strcpy(out, "/");
    return out;
}

char *path_under(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (!strcmp(root, "/")) n = 0;
    if (strncmp(path, root, n) || (path[n] != '/' && path[n])) return rg_xstrdup(path);
    return rg_xstrdup(path[n] ? path + n + 1 : "");
}

char *relative_to(const char *dir, const char *path)
{
    char *common = common_folder(dir, path);
    if (!strcmp(common, "/")) {
        free(common);
        return rg_xstrdup(path);
    }
    size_t ups = 0, skip = strlen(common);
    for (const char *p = dir + skip; *p; p++)
        if (p[0] != '/' && p[-1] == '/') ups++;
    const char *rest = path + skip + (path[skip] == '/');
    char *rel = rg_xmalloc(ups * 3 + strlen(rest) + 1);
    rel[0] = 0;
    for (size_t k = 0; k < ups; k++) strcat(rel, "../");
    strcat(rel, rest);
    free(common);
    return rel;
}

int parse_shard(const char *s, unsigned *k, unsigned *n)
{
    char *end;
    errno = 0;
    if (!s || *s < '0' || *s > '9') return -1;
    unsigned long kk = strtoul(s, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9' || errno) return -1;
    unsigned long nn = strtoul(end + 1, &end, 10);
    if (*end || errno || nn < 1 || nn > SHARD_MAX || kk < 1 || kk > nn) return -1;
    *k = (unsigned)kk;
    *n = (unsigned)nn;
    return 0;
}
