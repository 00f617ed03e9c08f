/*
 * A firmware library with its own TIM4 handler, loaded with dlopen after the
 * shims, as a JVM loads firmware through JNA after libmvhost.
 */
int late_handler_runs(void);
void TIM4_IRQHandler(void);

static int runs;

void TIM4_IRQHandler(void) {
    runs++;
}

int late_handler_runs(void) {
    return runs;
}
