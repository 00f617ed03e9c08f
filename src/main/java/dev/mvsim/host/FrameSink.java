package dev.mvsim.host;

/**
 * Receives encoded frames from a {@link DeviceSession}, one complete frame per call, in the order
 * the app must see them. A transport writes them to its connection or reply buffer.
 */
@FunctionalInterface
public interface FrameSink {

    void send(byte[] frame);
}
