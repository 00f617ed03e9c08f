/* Minimal assertions for the CTest programs: each failure prints file:line, the check and the values. */
#ifndef MVHOST_TEST_CHECK_H
#define MVHOST_TEST_CHECK_H

#include <stdio.h>

extern int check_failures;

#define CHECK(condition)                                                                   \
    do {                                                                                   \
        if (!(condition)) {                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                       \
    do {                                                                                                 \
        unsigned long long actual_value = (unsigned long long)(actual);                                  \
        unsigned long long expected_value = (unsigned long long)(expected);                              \
        if (actual_value != expected_value) {                                                            \
            fprintf(stderr, "%s:%d: %s is %llu (0x%llx), expected %s = %llu (0x%llx)\n", __FILE__, __LINE__, \
                    #actual, actual_value, actual_value, #expected, expected_value, expected_value);     \
            check_failures++;                                                                            \
        }                                                                                                \
    } while (0)


#endif
