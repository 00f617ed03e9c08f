/* fileno, dup and dup2 are POSIX. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "stderr_capture.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int prints(void (*action)(void), const char *expected)
{
    static char printed[8192];
    char path[64];
    snprintf(path, sizeof path, "/tmp/mvhost-test-stderr-%ld.txt", (long)getpid());
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    FILE *capture = fopen(path, "w+");
    if (saved < 0 || capture == NULL) {
        return 0;
    }
    dup2(fileno(capture), STDERR_FILENO);
    action();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);

    rewind(capture);
    size_t length = fread(printed, 1, sizeof printed - 1, capture);
    printed[length] = '\0';
    fclose(capture);
    remove(path);
    return strstr(printed, expected) != NULL;
}
