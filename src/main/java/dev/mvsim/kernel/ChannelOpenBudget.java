package dev.mvsim.kernel;

import java.util.List;

/**
 * What the channel limit and the rate limit of {@code mvOpenChannel} allow at one clock time. An
 * open at a later time returns neither TOOMANYCHANNELS nor RATELIMITED when no channel was opened
 * since, {@code freeChannels} is above 0, and fewer than {@code maxOpensPerWindow} of
 * {@code opensInWindow} lie within {@code windowMicros} before it. Time passing and closing a
 * channel only free more.
 *
 * @param freeChannels       channels the app may open before the kernel returns TOOMANYCHANNELS
 * @param maxOpensPerWindow  successful opens allowed in a rolling window
 * @param windowMicros       the rolling window's length in µs
 * @param opensInWindow      the clock times in µs of the successful opens still inside the window, oldest first
 */
public record ChannelOpenBudget(int freeChannels, int maxOpensPerWindow, long windowMicros, List<Long> opensInWindow) {

    public ChannelOpenBudget {
        opensInWindow = List.copyOf(opensInWindow);
    }
}
