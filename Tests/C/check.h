/* Minimal assertion helpers for the C tests: every CHECK counts as one test, failures
 * print their location and keep going, and `check_summary()` prints "N passed, N failed". */
#ifndef CB_TEST_CHECK_H
#define CB_TEST_CHECK_H

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "chatbot.h"

static atomic_int check_passed;
static atomic_int check_failed;

#define CHECK(cond, ...)                                                          \
    do {                                                                          \
        if (cond) {                                                               \
            atomic_fetch_add(&check_passed, 1);                                   \
        } else {                                                                  \
            atomic_fetch_add(&check_failed, 1);                                   \
            fprintf(stderr, "FAIL %s:%d: %s — ", __FILE__, __LINE__, #cond);      \
            fprintf(stderr, __VA_ARGS__);                                         \
            fprintf(stderr, " (last error: \"%s\")\n", cb_last_error());          \
        }                                                                         \
    } while (0)

/* A call that must return `expected`, with a last-error message set on failure. */
#define CHECK_STATUS(call, expected)                                              \
    do {                                                                          \
        cb_status check_got_ = (call);                                            \
        CHECK(check_got_ == (expected), "%s: got %d (%s), expected %d (%s)", #call, \
              (int)check_got_, cb_status_string(check_got_), (int)(expected),      \
              cb_status_string(expected));                                         \
        if ((expected) != CB_OK)                                                  \
            CHECK(cb_last_error()[0] != '\0', "%s: no last-error message", #call); \
        else                                                                      \
            CHECK(cb_last_error()[0] == '\0', "%s: stale last-error message", #call); \
    } while (0)

#define CHECK_STR(got, want)                                                      \
    do {                                                                          \
        const char *check_g_ = (got), *check_w_ = (want);                         \
        CHECK(check_g_ != NULL && strcmp(check_g_, check_w_) == 0,                \
              "%s: got \"%s\", expected \"%s\"", #got, check_g_ ? check_g_ : "(null)", check_w_); \
    } while (0)

static int check_summary(void) {
    int passed = atomic_load(&check_passed), failed = atomic_load(&check_failed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

#endif
