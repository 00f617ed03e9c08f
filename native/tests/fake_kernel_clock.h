/*
 * A virtual kernel clock for the shim tests, standing in for libmvhost's
 * mvhost_clock_now_us, mvhost_clock_sleep_us and mvhost_clock_wait_us. A test schedules pends at
 * given times; sleeping past such a time pends the line, as libmvhost does
 * when a notification falls due.
 */
#ifndef FAKE_KERNEL_CLOCK_H
#define FAKE_KERNEL_CLOCK_H

#include <stdint.h>

typedef void (*fake_clock_action)(int32_t argument);

/* Sets the clock to 0 and drops every scheduled action and failure. */
void fake_clock_reset(void);

/* Runs action(argument) once the clock reaches at_us; an action already due
   runs at the next sleep. At most 8 may be scheduled. */
void fake_clock_schedule(uint64_t at_us, fake_clock_action action, int32_t argument);

/* Pends line irqn once the clock reaches at_us. */
void fake_clock_schedule_pend(uint64_t at_us, int32_t irqn);

/* Returns the clock's time in microseconds. */
uint64_t fake_clock_now_us(void);

/* Makes every later clock call fail, as a broken transport would. */
void fake_clock_fail_from_now(void);

/* Returns how many times mvhost_clock_sleep_us was called since the reset. */
uint32_t fake_clock_sleep_calls(void);

/* Returns how many times mvhost_clock_wait_us was called since the reset. */
uint32_t fake_clock_wait_calls(void);

#endif /* FAKE_KERNEL_CLOCK_H */
