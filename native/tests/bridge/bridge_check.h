/* A minimal check macro for the bridge tests: prints the failed condition and counts it. */
#ifndef BRIDGE_CHECK_H
#define BRIDGE_CHECK_H

#include <stdio.h>

static int bridge_failures;

#define CHECK(condition)                                                                      \
    do {                                                                                      \
        if (!(condition)) {                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition);     \
            bridge_failures++;                                                                \
        }                                                                                     \
    } while (0)

/* Prints the closing line CTest logs show and returns the process exit status. */
static int bridge_finish(const char *suite, int checks)
{
    printf("%s: %d checks, %d failed\n", suite, checks, bridge_failures);
    return bridge_failures == 0 ? 0 : 1;
}

#endif
