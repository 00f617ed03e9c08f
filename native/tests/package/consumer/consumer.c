/* Calls libmvhost through its public headers only; exits 0 when the call links and runs. */
#include <stdio.h>

#include "mv_syscalls.h"
#include "mvhost.h"

int main(void)
{
    struct mvhost_stats stats;
    mvhost_get_stats(&stats);
    if (stats.exchanges != 0) {
        fprintf(stderr, "consumer: expected no exchanges before any syscall, got %llu\n",
                (unsigned long long)stats.exchanges);
        return 1;
    }
    printf("consumer: linked libmvhost\n");
    return 0;
}
