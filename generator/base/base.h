/* base/base.h - shared foundation of every stage: status codes (sysexits), the
 * context, diagnostics, the per-document arena, abort-on-OOM allocation and
 * the command-line parser every subcommand uses (base/args.c).
 * Includes no third-party header. */
#ifndef RG_BASE_H
#define RG_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Status codes double as process exit codes (BSD sysexits). */
typedef enum {
    RG_OK = 0,
    RG_EX_USAGE = 64,       /* bad command line */
    RG_EX_DATAERR = 65,     /* invalid definition or layout */
    RG_EX_NOINPUT = 66,     /* input file missing or unreadable */
    RG_EX_UNAVAILABLE = 69, /* font or other dependency missing */
    RG_EX_SOFTWARE = 70,    /* internal error */
    RG_EX_CANTCREAT = 73,   /* cannot write output */
    RG_EX_TEMPFAIL = 75     /* temporary failure: trying again later may work */
} rg_status;

#define RG_VERSION "0.1.0"

/* Limits of one paragraph (all runs of one rg_text_break call). Real
 * paragraphs are under 10000 characters and table cells far less; a single
 * text node of megabytes is a mistake (a file pasted into <p>) and would
 * take shaping, UAX #14 and Knuth-Plass many seconds. Bytes are checked
 * before shaping, glyphs after it; a glyph bound is also a bound on the
 * glyphs of any one line (and of one cluster: a base with 100000
 * combining marks). The load stage refuses such text at the element's
 * line already (load/load.c); the text stage catches what reaches layout
 * another way (CSV cells, chart labels). */
enum {
    RG_MAX_PARA_BYTES = 1000000,
    RG_MAX_PARA_GLYPHS = 100000
};

/* ---- allocation: out of memory aborts with a message (CLI policy) ---- */
void *rg_xmalloc(size_t n);
void *rg_xcalloc(size_t count, size_t size);
void *rg_xrealloc(void *p, size_t n);
char *rg_xstrdup(const char *s);

/* Grow *p (array of elem_size items, capacity *cap) so that it holds at
 * least need items. Cannot fail (aborts on OOM). */
void rg_grow(void *p, size_t *cap, size_t need, size_t elem_size);

/* A string that grows as bytes are appended, always NUL-terminated (p is
 * NULL until the first append); the caller frees p. Cannot fail (aborts
 * on OOM, as rg_grow). */
typedef struct rg_text {
    char *p;
    size_t len, cap;
} rg_text;
void rg_text_put(rg_text *t, const void *s, size_t n);
void rg_text_puts(rg_text *t, const char *s);

/* Length of the UTF-8 sequence at s (well-formed, shortest form, no
 * surrogates, at most U+10FFFF), or 0 when there is none. Reads no
 * further than a byte that ends the sequence early (a NUL does). */
size_t rg_utf8_sequence(const unsigned char *s);

/* How many bytes of s (len bytes of UTF-8) to quote in at most max: the
 * longest prefix that ends between two characters, so that a message cut
 * there stays valid UTF-8. Cannot fail. */
size_t rg_utf8_prefix(const char *s, size_t len, size_t max);

/* Mixes n bytes at p into h, eight at a time (multiply-xorshift; n takes
 * part, so "ab" + "c" and "a" + "bc" differ). Not cryptographic: for
 * in-memory keys and for telling files apart. Cannot fail. */
uint64_t rg_hash_bytes(uint64_t h, const void *p, size_t n);

/* SHA-256 (FIPS 180-4; base/sha256.c): init, update with the bytes in any
 * pieces, final writes the 32-byte digest (the state is then spent).
 * rg_sha256_hex writes a digest as 64 lowercase hex digits and a NUL. For
 * keys that must not collide by accident or by design (the mail desk's
 * journal keys a request without a Message-ID by its headers). Cannot fail. */
typedef struct rg_sha256 {
    uint32_t h[8];
    uint64_t total;                /* bytes so far */
    unsigned char buf[64];
    size_t nbuf;
} rg_sha256;
void rg_sha256_init(rg_sha256 *s);
void rg_sha256_update(rg_sha256 *s, const void *data, size_t n);
void rg_sha256_final(rg_sha256 *s, unsigned char digest[32]);
void rg_sha256_hex(const unsigned char digest[32], char hex[65]);

/* ---- arena: one per document; everything in it is freed at once ---- */
typedef struct rg_arena rg_arena;
rg_arena *rg_arena_new(void);
void rg_arena_free(rg_arena *a);                 /* accepts NULL */
/* Frees everything allocated from a at once but keeps its newest block
 * for reuse: a scratch arena refilled for every item (issue 22). */
void rg_arena_reset(rg_arena *a);                /* accepts NULL */
void *rg_arena_alloc(rg_arena *a, size_t n);     /* zeroed, 16-aligned */
char *rg_arena_strdup(rg_arena *a, const char *s);
char *rg_arena_strndup(rg_arena *a, const char *s, size_t n);

/* ---- diagnostics ---- */
typedef enum { RG_SEV_WARNING, RG_SEV_ERROR } rg_severity;

/* Caches that stages keep in the context; each is created and freed by its
 * owner (rg_ctx_on_free), the base only carries the pointer. */
typedef struct rg_fontcache rg_fontcache;       /* fonts/fonts.c */
typedef struct rg_hyphen_cache rg_hyphen_cache; /* hyphen/hyphenate.c */
typedef struct rg_shape_cache rg_shape_cache;   /* text/cache.c */
typedef struct rg_ctx_cleanup rg_ctx_cleanup;   /* base/base.c */

/* The context every stage receives first: diagnostics, caches, options. */
/* Pages a document has before layout starts spilling (rg_ctx.spill_after_pages):
 * a report of the usual size never touches the scratch file. */
#define RG_SPILL_AFTER_PAGES 48
/* Rows of a big table whose cells' lines layout keeps at a time
 * (rg_ctx.table_window_rows, layout/table.c). */
#define RG_TABLE_WINDOW_ROWS 1024

typedef struct rg_ctx {
    FILE *diag_out;        /* where diagnostics are printed as they come; may be NULL */
    char *diag_text;       /* every diagnostic so far, one per line (for tests) */
    size_t diag_len, diag_cap;
    int errors, warnings;
    int strict;            /* warnings that matter become errors (--strict) */
    rg_fontcache *fonts;   /* lazily created by fonts/fonts.c, which frees it */
    int fonts_borrowed;    /* fonts belongs to another context (rg_fonts_share) */
    int fonts_lookup_only; /* find faces already loaded, never load one (a helper thread) */
    int fonts_declined;    /* set when a lookup found nothing because of that */
    char *fallback[4];     /* the layout's fallback families (fonts/fonts.c) */
    int nfallback;
    unsigned char fallback_missing[4];   /* a family of the chain was not found */
    rg_hyphen_cache *hyphens;      /* lazily created by hyphen/hyphenate.c, which frees it */
    rg_shape_cache *shapes;        /* shaped words; lazily created by text/cache.c, which frees it */
    uint32_t missing_glyphs[32];   /* characters already reported as missing (text/text.c) */
    int nmissing_glyphs;
    uint64_t *warned;              /* hashes of warnings printed (each is printed once) */
    size_t nwarned, warned_cap;
    uint64_t input_hash;           /* over every input file read so far (rg_ctx_note_input) */
    unsigned documents;            /* how often rg_ctx_reset ran: which document this is */
    size_t paras_ahead;            /* running paragraphs a layout thread set ahead (--stage-times) */
    size_t items_ahead;            /* table cells it measured or broke */
    int helper_patterns[2];        /* pattern files its setters loaded: from images, parsed */
    /* when set, rg_diag hands each formatted diagnostic line here instead
     * (a helper thread's context, whose owner replays them in order, with
     * the topic of an rg_warn_once warning, else NULL) */
    void (*diag_hook)(void *data, rg_severity sev, const char *once, const char *line);
    void *diag_hook_data;
    int ninputs;
    struct rg_file_id *input_files; /* every file read for this document (rg_ctx_note_file) */
    size_t ninput_files, input_files_cap;
    /* when set, told the path of every file the document reads
     * (rg_ctx_note_path): what build --watch watches (pipeline/watch.c) */
    void (*path_hook)(void *data, const char *path);
    void *path_hook_data;
    const char *at_file;           /* where diagnostics without a place point (rg_ctx_at) */
    int at_line;
    rg_ctx_cleanup *cleanups;      /* run by rg_ctx_free (rg_ctx_on_free) */
    size_t ncleanups, cleanups_cap;
    /* issue 22: the folder where stages may keep unlinked temporary files
     * (rg_scratch_file: the display list's spilled pages, the PDF before
     * its objects are packed), set by the pipeline to the folder the
     * output is written in; NULL: keep everything in memory. Not owned. */
    const char *scratch_dir;
    /* issue 22: layout spills the pages it has finished with to a scratch
     * file in scratch_dir once the document has more than this many pages;
     * -1: never. rg_ctx_new sets RG_SPILL_AFTER_PAGES. */
    long spill_after_pages;
    /* issue 22: set by the pipeline when neither the layout checker nor
     * the dump will read the display list, so that layout records no
     * boxes nor paragraph sources (rg_dl.no_sources); 0 in a new context */
    int layout_unchecked;
    /* issue 22: a table of more rows than this keeps its cells' lines a
     * window of this many rows at a time (layout/table.c); -1: never.
     * rg_ctx_new sets RG_TABLE_WINDOW_ROWS. */
    long table_window_rows;
} rg_ctx;

rg_ctx *rg_ctx_new(FILE *diag_out);
void rg_ctx_free(rg_ctx *ctx);                   /* accepts NULL */

/* Makes rg_ctx_free call fn(data), the latest registered first: how a stage
 * that keeps a cache in the context frees it, so that the base calls no
 * stage above it. Registering the same fn and data again does nothing.
 * Cannot fail. */
void rg_ctx_on_free(rg_ctx *ctx, void (*fn)(void *data), void *data);

/* Forgets the diagnostics, warnings printed and inputs noted so far, so a
 * context can serve the next document (batch workers). Caches stay. */
void rg_ctx_reset(rg_ctx *ctx);

/* Adds a file's bytes to ctx->input_hash (the load stage calls it for every
 * file it reads: definition, includes, data, layout, schemas), so that a
 * batch can tell whether a report's inputs changed. Cannot fail. */
void rg_ctx_note_input(rg_ctx *ctx, const void *data, size_t len);

/* Says which definition element the work that follows concerns (layout
 * sets it per block): a diagnostic given no place (file NULL, line 0)
 * then names file:line. file NULL forgets it. file must outlive its use. */
void rg_ctx_at(rg_ctx *ctx, const char *file, int line);

/* Report a diagnostic printed as "file:line:col: error: message".
 * line/col <= 0 are left out ("file: error: ..."); file NULL prints "reportgen"
 * (or the place rg_ctx_at gave, when line is 0 too).
 * A warning identical to an earlier one is not repeated (layout runs more
 * than one pass over the same text). */
void rg_diag(rg_ctx *ctx, rg_severity sev, const char *file, int line, int col,
             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* A warning given once per document however often its topic (once, e.g.
 * "no-patterns:en") comes up, at the first place it does in the order the
 * owner of ctx hears of it: also when helper contexts give it too (their
 * lines carry the topic to rg_diag_replay). Topics are forgotten with the
 * warnings (rg_ctx_reset). */
void rg_warn_once(rg_ctx *ctx, const char *once, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Reports a diagnostic line that a helper context's diag_hook received, as
 * rg_diag would have (a warning printed once, counted; one with a topic
 * only if that topic was not warned of yet); a line without a place
 * ("reportgen: ...") gets the one rg_ctx_at gave ctx. */
void rg_diag_replay(rg_ctx *ctx, rg_severity sev, const char *once, const char *line);

/* ---- float to integer (base/convert.c) ---- */

/* C leaves converting a floating value to an integer type undefined when
 * it is NaN or its integer part lies outside the type (a negative room
 * made a huge line count that way). Every such conversion in reportgen
 * goes through these, which are defined for every double. They truncate
 * toward zero as a cast does (floor, ceil or round first as needed) and
 * clamp to [lo, hi] (NaN gives lo). Return 0 when the integer part of v
 * lay in [lo, hi], -1 when *out was clamped (or v was NaN): the caller
 * decides whether that changes what the reader sees (then it warns or
 * fails) or not. lo <= hi. Cannot fail otherwise. */
int rg_double_to_int(double v, int lo, int hi, int *out);
int rg_double_to_size(double v, size_t lo, size_t hi, size_t *out);

/* ---- files (base/files.c): every file reportgen reads or writes ---- */

/* Which file a path named when it was opened (st_dev, st_ino). */
typedef struct rg_file_id {
    uint64_t dev, ino;
} rg_file_id;

/* Opens path for reading without ever blocking (a FIFO or a device cannot
 * hold the open: O_NONBLOCK, cleared again once fstat shows a regular
 * file) and checks, before a byte is read, that it is a regular file of at
 * most cap bytes. Returns the descriptor (O_CLOEXEC, blocking) with its
 * size and identity (id may be NULL); or -1 with the reason in why and
 * *status RG_EX_DATAERR for a file larger than cap, RG_EX_NOINPUT else. */
int rg_open_regular(const char *path, size_t cap, size_t *size, rg_file_id *id,
                    rg_status *status, char *why, size_t whylen);

/* Reads a whole regular file of at most cap bytes (rg_open_regular) into a
 * malloc'd, NUL-terminated buffer; a file that grows or shrinks while it
 * is read is refused. Returns RG_OK, or RG_EX_NOINPUT / RG_EX_DATAERR
 * with the reason in why (nothing allocated). */
rg_status rg_read_regular(const char *path, size_t cap, char **out, size_t *len,
                          rg_file_id *id, char *why, size_t whylen);

/* Reads what fd (standard input: a pipe, a terminal or a redirected
 * file) holds up to its end into a malloc'd, NUL-terminated buffer, but
 * never more than cap bytes: a stream longer than that is refused as soon
 * as byte cap + 1 arrives (RG_EX_DATAERR, "more than cap bytes"), not read
 * to its end into memory. When fd is a regular file its identity goes to
 * *id (may be NULL) and *have_id is set (may be NULL). Returns RG_OK, or
 * RG_EX_NOINPUT (a read error) / RG_EX_DATAERR with the reason in why
 * (nothing allocated). */
rg_status rg_read_stream(int fd, size_t cap, char **out, size_t *len, rg_file_id *id,
                         int *have_id, char *why, size_t whylen);

/* Writes all len bytes at p to fd, again after EINTR and short writes:
 * 0, or -1 with errno (ENOSPC, EIO, EPIPE...). */
int rg_write_all(int fd, const void *p, size_t len);

/* Reads exactly len bytes at offset off of fd into p (pread, again after
 * EINTR and short reads): 0, or -1 with errno (EIO; end of file is EIO
 * too: the caller asked for bytes it wrote). */
int rg_read_at(int fd, void *p, size_t len, uint64_t off);

/* A temporary file in folder dir that has no name (O_TMPFILE where the
 * file system has it, else made by mkstemp and unlinked at once), open
 * for reading and writing: nothing is left behind when the process ends,
 * however it ends. Returns the descriptor (close-on-exec), or -1 with
 * errno. */
int rg_scratch_file(const char *dir);

/* Makes the names in folder dir last (a file created, renamed into or out
 * of it, removed): fsync of the folder. 0, or -1 with errno. */
int rg_sync_folder(const char *dir);
/* The same for the folder that holds path ("." for a bare name). */
int rg_sync_parent(const char *path);

/* Remembers that the document in ctx read the file id (the load stage
 * calls it for every file it reads), so that rg_output_check can refuse to
 * write over it. Forgotten by rg_ctx_reset. Cannot fail. */
void rg_ctx_note_file(rg_ctx *ctx, rg_file_id id);

/* Tells ctx->path_hook, when set, that the document reads the file at
 * path (the load stage calls it for every file it reads or tries to read,
 * one missing included, with the path it opens). Cannot fail. */
void rg_ctx_note_path(rg_ctx *ctx, const char *path);

/* May path be written (replaced by rename) by this run? "-" (standard
 * output) may; a path that does not exist may; an existing regular file
 * may unless it is one of the files ctx noted as read. Anything else that
 * exists (a device node, FIFO, socket, folder or symbolic link) is never
 * replaced. Returns RG_OK or RG_EX_CANTCREAT after an error naming path. */
rg_status rg_output_check(rg_ctx *ctx, const char *path);

/* ---- command lines (base/args.c): one parser for every subcommand ----
 *
 * A subcommand describes itself with an rg_command: its usage lines, what
 * it does, and a table of rg_option, one entry per option. rg_args_parse
 * reads the arguments by that table with GNU conventions, and the help
 * (rg_args_help, also on -h and --help, which every command has) is made
 * from the same table, so it cannot leave an option out:
 *
 *   --output=FILE  --output FILE  -oFILE  -o FILE    a value, four ways
 *   -qv                                             short flags bundled
 *   -qj4                                            ... the last one may take a value
 *   --                                              what follows are operands
 *   -                                               an operand (standard input)
 *
 * Options and operands may come in any order. Long options are never
 * abbreviated (--out is unknown, not --output: an abbreviation that works
 * today breaks when an option is added; the message suggests the option
 * it is a prefix of). An option that takes a value takes the next argument
 * even when it starts with '-' (-o - is standard output). An option that
 * takes a value may be given once. Unknown options, missing values,
 * numbers out of range and values not among the choices are usage errors
 * (RG_EX_USAGE) with a message naming the option and the command and
 * pointing at 'reportgen COMMAND --help'. */

typedef enum {
    RG_OPT_FLAG,     /* no value: stores the entry's flag (0 means 1) in an int */
    RG_OPT_STRING,   /* a value, stored as a const char * into argv */
    RG_OPT_INT,      /* a whole number from min to max, stored in an int */
    RG_OPT_CHOICE    /* one of choices, stored as its index in an int */
} rg_opt_kind;

typedef struct rg_option {
    const char *name;              /* long name without "--" ("output"); NULL ends a table */
    char letter;                   /* short name ('o'), or 0 for none */
    rg_opt_kind kind;
    size_t at;                     /* where in the options struct: RG_OPT_AT */
    const char *value;             /* the value's name in help ("FILE"); NULL for a flag */
    const char *help;              /* one paragraph; help wraps it, and adds the
                                    * range of a number and the choices */
    int flag;                      /* RG_OPT_FLAG: the value stored; 0 stores 1 */
    int min, max;                  /* RG_OPT_INT: the range, both included */
    const char *const *choices;    /* RG_OPT_CHOICE: NULL-terminated */
} rg_option;

/* The offset of field in the options struct T, checked to be of type
 * ctype (int for flags, numbers and choices; const char * for strings):
 * a table entry that names a field of another type draws an
 * incompatible-pointer warning, an error with WERROR=-Werror (CI). */
#define RG_OPT_AT(T, field, ctype) \
    (offsetof(T, field) + 0 * sizeof((ctype *){ 0 } = &((T *)0)->field))

/* The -q and -v entries every command's table has (what they do is the
 * command's to say in help): -q stores -1 in the int field of T, -v 1, so
 * the last one given counts and 0 means neither. */
#define RG_OPT_QUIET(T, field, help_)                                                  \
    { .name = "quiet", .letter = 'q', .kind = RG_OPT_FLAG, .flag = -1,                 \
      .at = RG_OPT_AT(T, field, int), .help = help_ }
#define RG_OPT_VERBOSE(T, field, help_)                                                \
    { .name = "verbose", .letter = 'v', .kind = RG_OPT_FLAG, .flag = 1,                \
      .at = RG_OPT_AT(T, field, int), .help = help_ }

typedef struct rg_command {
    const char *name;              /* "build"; messages say "reportgen build: ..." */
    const char *synopsis;          /* what follows "usage: reportgen build "; one line
                                    * per form, separated by '\n' */
    const char *about;             /* what the command does: paragraphs ("\n\n"), wrapped */
    const rg_option *options;      /* the table; may be NULL (only -h, --help) */
    const char *epilogue;          /* printed as it is after the options, or NULL */
} rg_command;

typedef struct rg_args {
    FILE *out, *err;               /* where help and messages go; NULL: stdout, stderr */
    const rg_command *cmd;         /* set by rg_args_parse; NULL: the program itself */
    char **operands;               /* the arguments that are not options, in order:
                                    * pointers into argv, in an array of the parser's */
    int noperands;
    int help;                      /* -h or --help came: the help was printed on out */
} rg_args;

/* Parses argc arguments at argv (the command's own: argv[0] is its first
 * argument, not its name) into opts, the struct the table's offsets are
 * in (fields of options not given are left as they are: set defaults
 * first). a->out and a->err are read; the rest is set. Returns RG_OK with
 * the operands, or RG_EX_USAGE after a message on a->err (at the first
 * fault). -h and --help (which no table may take) print the help on
 * a->out and set a->help: what follows them is not parsed, and the caller
 * exits 0. Free with rg_args_free either way. */
rg_status rg_args_parse(const rg_command *cmd, int argc, char **argv, void *opts, rg_args *a);
void rg_args_free(rg_args *a);

/* Prints cmd's help: usage lines, what it does, every option of its table
 * (and -h, --help) with its help wrapped at 79 columns, the epilogue. */
void rg_args_help(const rg_command *cmd, FILE *out);

/* A usage error found after parsing ("no definition given"): prints
 * "reportgen COMMAND: message" and "Try 'reportgen COMMAND --help'." on
 * a->err (a->cmd NULL: "reportgen: ..." and 'reportgen --help') and
 * returns RG_EX_USAGE. */
rg_status rg_args_error(const rg_args *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
