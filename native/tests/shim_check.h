/*
 * A minimal check macro for the CTest programs of the shims: a failed check
 * prints the file, line, expression and both values, and the test continues,
 * so one run reports every failure.
 */
#ifndef MVHOST_SHIM_CHECK_H
#define MVHOST_SHIM_CHECK_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

extern int check_failures;

#define CHECK(condition)                                                          \
    do {                                                                          \
        if (!(condition)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,      \
                    #condition);                                                  \
            check_failures++;                                                     \
        }                                                                         \
    } while (0)

/* Compares two unsigned integers and prints both when they differ. */
#define CHECK_EQ(actual, expected)                                                \
    do {                                                                          \
        uint64_t actual_value = (uint64_t)(actual);                               \
        uint64_t expected_value = (uint64_t)(expected);                           \
        if (actual_value != expected_value) {                                     \
            fprintf(stderr, "%s:%d: check failed: %s is %" PRIu64                 \
                    ", expected %s = %" PRIu64 "\n",                              \
                    __FILE__, __LINE__, #actual, actual_value, #expected,         \
                    expected_value);                                              \
            check_failures++;                                                     \
        }                                                                         \
    } while (0)

/* Runs one test function and reports its name and verdict. */
#define RUN_TEST(setup, test)                                                     \
    do {                                                                          \
        int failures_before = check_failures;                                     \
        setup();                                                                  \
        test();                                                                   \
        printf("%s %s\n", check_failures == failures_before ? "ok  " : "FAIL", #test); \
    } while (0)

#endif /* MVHOST_SHIM_CHECK_H */
