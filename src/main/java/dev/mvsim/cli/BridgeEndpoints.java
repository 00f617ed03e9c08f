package dev.mvsim.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mvsim.bridge.BridgeLaunch;
import dev.mvsim.bridge.BridgeServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The endpoints a started bridge listens on, each written as the {@code MVHOST_CONNECT} value that
 * reaches it, and the clock of devices that leave the choice to the server.
 */
record BridgeEndpoints(Map<String, String> endpoints, String clock) {

    /** Describes the listeners of {@code settings} once {@code bridge} has bound them. */
    static BridgeEndpoints of(BridgeLaunch.Settings settings, BridgeServer bridge) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        if (settings.tcp() != null) {
            endpoints.put("tcp", tcpEndpoint(settings.tcp().getHostString(), bridge.tcpPort()));
        }
        if (settings.unix() != null) {
            endpoints.put("unix", "unix:" + settings.unix().toAbsolutePath());
        }
        if (settings.serial() != null) {
            endpoints.put("serial", "serial:" + settings.serial());
        }
        return new BridgeEndpoints(endpoints, BridgeClockOption.name(settings.clock()));
    }

    /** Returns {@code tcp://HOST:PORT}, with an IPv6 literal in brackets as in a URL. */
    static String tcpEndpoint(String host, int port) {
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        return "tcp://" + urlHost + ":" + port;
    }

    /** Returns the JSON object of the start-up output: one field per endpoint, then {@code clock}. */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        endpoints.forEach(node::put);
        node.put("clock", clock);
        return node;
    }

    /** Returns the start-up text line, such as {@code mvsim bridge listening at tcp://127.0.0.1:8461 ...}. */
    String toLine() {
        return "mvsim bridge listening at " + String.join(", ", endpoints.values())
                + " for devices (default clock: " + clock + ")";
    }
}
