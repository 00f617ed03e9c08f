/* Captures what libmvhost prints on stderr during a call, for the bridge tests that check messages. */
#ifndef STDERR_CAPTURE_H
#define STDERR_CAPTURE_H

/*
 * Runs `action` with stderr sent to a temporary file, and returns 1 if what it printed contains
 * `expected`. Only the first 8 KiB of the output are searched.
 */
int prints(void (*action)(void), const char *expected);

#endif
