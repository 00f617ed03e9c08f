package dev.mvsim.kernel;

/**
 * Counters of one kernel, for tests and the console.
 *
 * @param fetchesSent                config fetches accepted by {@code mvSendConfigFetchRequest}
 * @param fetchesArrived             fetches whose response arrived (OK or RESPONSETOOLARGE)
 * @param fetchesFailed              fetches whose channel lost its connection before the response
 * @param fetchesAbandoned           fetches whose channel the app closed before the response
 * @param fetchesPending             fetches still waiting for their response
 * @param liveHandles                handles that name a live object
 * @param notificationsWithoutCentre records dropped because their centre was closed
 */
public record KernelStats(
        long fetchesSent,
        long fetchesArrived,
        long fetchesFailed,
        long fetchesAbandoned,
        long fetchesPending,
        int liveHandles,
        long notificationsWithoutCentre) {
}
