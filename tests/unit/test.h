/* test.h - a tiny test runner: TEST(name) defines a test, CHECK(cond)
 * records a failure with file:line and goes on. The runner (main.c) ends
 * with "N passed, N failed". */
#ifndef RG_TEST_H
#define RG_TEST_H

#include <stdio.h>
#include <string.h>

typedef struct test_case {
    const char *name;
    void (*fn)(void);
    struct test_case *next;
} test_case;

extern int test_failed_checks;
void test_register(test_case *tc);

#define TEST(name)                                                          \
    static void name(void);                                                 \
    static test_case name##_case = { #name, name, NULL };                   \
    __attribute__((constructor)) static void name##_reg(void)               \
    {                                                                       \
        test_register(&name##_case);                                        \
    }                                                                       \
    static void name(void)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__,        \
                    __LINE__, #cond);                                       \
            test_failed_checks++;                                           \
        }                                                                   \
    } while (0)

#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (!a_ || !b_ || strcmp(a_, b_)) {                                 \
            fprintf(stderr, "  %s:%d: CHECK_STR failed: \"%s\" != \"%s\"\n", \
                    __FILE__, __LINE__, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
            test_failed_checks++;                                           \
        }                                                                   \
    } while (0)

/* path of the source tree's root, for test data (set by the runner) */
extern const char *test_root;

#endif
