package dev.mvsim.bench;

import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.rest.RestServer;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.ItemStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Serves the REST API on the in-memory store at 127.0.0.1 for an external load client such as
 * {@code wrk}, with one account and one secret {@code bench-key}. Prints the time from process
 * start to a listening server, the port and the Authorization header value, then runs until
 * standard input closes.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.mvsim.bench.RestLoadTarget [PORT]
 * wrk -t2 -c4 -d10s -H "Authorization: ..." http://127.0.0.1:PORT/v1/Secrets/bench-key
 * </pre>
 */
public final class RestLoadTarget {

    private RestLoadTarget() {}

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        try (SimulatedCloud cloud = SimulatedCloud.inMemory()) {
            AccountRecord account = cloud.createAccount();
            cloud.createItem(ItemId.account(account.sid(), ItemStore.SECRET, "bench-key"), "bench-value");
            RestServer server = cloud.startRest(new InetSocketAddress("127.0.0.1", port), null);

            String credentials = account.sid() + ":" + account.authToken();
            long readyMillis = ProcessHandle.current().info().startInstant()
                    .map(start -> java.time.Duration.between(start, java.time.Instant.now()).toMillis())
                    .orElse(-1L);
            System.out.println("ready " + readyMillis + " ms after process start");
            System.out.println("port " + server.port());
            System.out.println("authorization Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.US_ASCII)));
            System.out.flush();

            while (System.in.read() >= 0) {
                // Wait for standard input to close.
            }
        }
    }
}
