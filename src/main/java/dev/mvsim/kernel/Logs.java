package dev.mvsim.kernel;

import static dev.mvsim.kernel.MvStatus.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server logging ({@code mvServerLoggingInit}, {@code mvServerLog}) and application-test logging
 * ({@code mvTestLoggingInit}, {@code mvTestLog}, {@code mvTestingComplete}), captured per device.
 *
 * <p>A server log message takes {@link #MESSAGE_OVERHEAD_BYTES} plus its length in the app's log
 * buffer while it waits. Messages wait while the device is offline and all go out when it
 * connects; a message that does not fit the free space gives INVALIDBUFFERSIZE. Test log messages
 * go to the provisioning console at once, so they never wait.
 */
final class Logs {

    /** Bytes a queued server log message takes in the log buffer on top of its text. */
    static final int MESSAGE_OVERHEAD_BYTES = 8;
    static final int BUFFER_UNIT = 512;

    private static final Logger log = LoggerFactory.getLogger(Logs.class);

    private final KernelState state;
    private Network network;
    private final List<String> serverMessages = new ArrayList<>();
    private final List<String> testMessages = new ArrayList<>();
    private long queuedBytes;
    private Integer testingCompleteStatus;

    Logs(KernelState state) {
        this.state = state;
    }

    void attach(Network network) {
        this.network = network;
    }

    /**
     * Sets the server log buffer. Calling it again with another buffer replaces the first one and
     * keeps the messages that wait.
     */
    MvStatus serverInit(AppBuffer buffer) {
        MvStatus check = checkBuffer(buffer);
        if (check != OKAY) {
            return check;
        }
        state.serverLogBuffer = buffer;
        return OKAY;
    }

    MvStatus serverLog(byte[] message, int lengthBytes) {
        if (state.serverLogBuffer == null) {
            return UNAVAILABLE;
        }
        int length = lengthBytes & 0xFFFF;
        if (message == null || message.length < length) {
            return PARAMETERFAULT;
        }
        if (length > state.config.maxLogMessageBytes()) {
            return LOGMESSAGETOOLONG;
        }
        if (state.config.loggingDisabledByServer()) {
            return LOGGINGDISABLEDBYSERVER;
        }

        boolean online = network.status() == MvNetworkStatus.CONNECTED;
        long needed = MESSAGE_OVERHEAD_BYTES + length;
        if (!online && queuedBytes + needed > state.serverLogBuffer.unsignedSize()) {
            return INVALIDBUFFERSIZE;
        }
        if (!online) {
            queuedBytes += needed;
        }
        String text = new String(message, 0, length, StandardCharsets.UTF_8);
        serverMessages.add(text);
        log.debug("device {} server log: {}", state.deviceSid, text);
        return OKAY;
    }

    MvStatus testInit(AppBuffer buffer) {
        if (!state.config.applicationTestMode()) {
            return UNAVAILABLE;
        }
        MvStatus check = checkBuffer(buffer);
        if (check != OKAY) {
            return check;
        }
        state.testLogBuffer = buffer;
        return OKAY;
    }

    MvStatus testLog(byte[] message, int lengthBytes) {
        if (state.testLogBuffer == null) {
            return UNAVAILABLE;
        }
        int length = lengthBytes & 0xFFFF;
        if (message == null || message.length < length) {
            return PARAMETERFAULT;
        }
        if (length > state.config.maxLogMessageBytes()) {
            return LOGMESSAGETOOLONG;
        }
        String text = new String(message, 0, length, StandardCharsets.UTF_8);
        testMessages.add(text);
        log.debug("device {} test log: {}", state.deviceSid, text);
        return OKAY;
    }

    /**
     * Records the test result. On a device the call does not return in test mode; mvsim returns
     * OKAY so that the front end can end the run.
     */
    MvStatus testingComplete(int status) {
        if (!state.config.applicationTestMode()) {
            return UNAVAILABLE;
        }
        testingCompleteStatus = status;
        return OKAY;
    }

    /** Sends the waiting messages: the buffer is empty again. */
    void onConnected() {
        queuedBytes = 0;
    }

    List<String> serverMessages() {
        return List.copyOf(serverMessages);
    }

    List<String> testMessages() {
        return List.copyOf(testMessages);
    }

    long queuedBytes() {
        return queuedBytes;
    }

    Integer testingCompleteStatus() {
        return testingCompleteStatus;
    }

    /** Applies the rules every known firmware meets: 512-byte alignment and a size that is a non-zero multiple of 512. */
    private static MvStatus checkBuffer(AppBuffer buffer) {
        if (buffer == null || buffer.isNull() || buffer.wrapsAround()) {
            return PARAMETERFAULT;
        }
        if (buffer.address() % BUFFER_UNIT != 0) {
            return INVALIDBUFFERALIGNMENT;
        }
        long size = buffer.unsignedSize();
        if (size < BUFFER_UNIT || size % BUFFER_UNIT != 0) {
            return INVALIDBUFFERSIZE;
        }
        return OKAY;
    }
}
