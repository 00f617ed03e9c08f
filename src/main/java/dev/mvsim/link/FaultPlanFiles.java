package dev.mvsim.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@link FaultPlan} from a JSON scenario file. Times are milliseconds after the device's
 * boot and may have a fraction. Every member is optional:
 *
 * <pre>
 * {
 *   "description": "free text",
 *   "latencyMs": 50,                          or {"min": 20, "max": 200}
 *   "connectDelayMs": 200,
 *   "dropsAtMs": [1500, 9000],
 *   "downWindowsMs": [{"from": 2000, "until": 5000}],
 *   "serverErrorKeys": ["password"],
 *   "responseTooLarge": "all"                 or [1, 3] (1-based fetch ordinals)
 * }
 * </pre>
 */
public final class FaultPlanFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> MEMBERS = Set.of("description", "latencyMs", "connectDelayMs", "dropsAtMs",
            "downWindowsMs", "serverErrorKeys", "responseTooLarge");

    private FaultPlanFiles() {
    }

    /** Reads the scenario file; a malformed file raises {@link IllegalArgumentException} naming the file and the member. */
    public static FaultPlan read(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fault plan file " + file, e);
        }
        try {
            return parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid fault plan file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a fault plan from JSON text. */
    public static FaultPlan parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the top level must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException("unknown member \"" + name + "\"; known members are "
                        + new TreeSet<>(MEMBERS));
            }
        }

        FaultPlan.Builder plan = FaultPlan.builder();
        readLatency(root.get("latencyMs"), plan);
        if (root.has("connectDelayMs")) {
            plan.connectDelay(millis(root.get("connectDelayMs"), "connectDelayMs"));
        }
        for (JsonNode drop : array(root, "dropsAtMs")) {
            plan.dropConnectionAt(millis(drop, "dropsAtMs[]"));
        }
        for (JsonNode window : array(root, "downWindowsMs")) {
            if (!window.isObject() || !window.has("from") || !window.has("until")) {
                throw new IllegalArgumentException("each downWindowsMs entry needs \"from\" and \"until\", got " + window);
            }
            plan.downBetween(millis(window.get("from"), "downWindowsMs[].from"),
                    millis(window.get("until"), "downWindowsMs[].until"));
        }
        for (JsonNode key : array(root, "serverErrorKeys")) {
            if (!key.isTextual()) {
                throw new IllegalArgumentException("serverErrorKeys entries must be strings, got " + key);
            }
            plan.serverErrorFor(key.asText());
        }
        readResponseTooLarge(root.get("responseTooLarge"), plan);
        return plan.build();
    }

    private static void readLatency(JsonNode latency, FaultPlan.Builder plan) {
        if (latency == null) {
            return;
        }
        if (latency.isNumber()) {
            plan.latency(millis(latency, "latencyMs"));
            return;
        }
        if (latency.isObject() && latency.has("min") && latency.has("max") && latency.size() == 2) {
            plan.latencyBetween(millis(latency.get("min"), "latencyMs.min"), millis(latency.get("max"), "latencyMs.max"));
            return;
        }
        throw new IllegalArgumentException("latencyMs must be a number or {\"min\": ..., \"max\": ...}, got " + latency);
    }

    private static void readResponseTooLarge(JsonNode node, FaultPlan.Builder plan) {
        if (node == null) {
            return;
        }
        if (node.isTextual() && node.asText().equals("all")) {
            plan.responseTooLarge();
            return;
        }
        if (node.isArray()) {
            for (JsonNode ordinal : node) {
                if (!ordinal.canConvertToInt() || !ordinal.isIntegralNumber() || ordinal.asInt() < 1) {
                    throw new IllegalArgumentException("responseTooLarge ordinals must be integers from 1, got " + ordinal);
                }
                plan.responseTooLargeOnFetch(ordinal.asInt());
            }
            return;
        }
        throw new IllegalArgumentException("responseTooLarge must be \"all\" or an array of fetch ordinals, got " + node);
    }

    private static Iterable<JsonNode> array(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(name + " must be an array, got " + node);
        }
        return node;
    }

    private static Duration millis(JsonNode node, String name) {
        if (node == null || !node.isNumber() || node.asDouble() < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative number of milliseconds, got " + node);
        }
        return Duration.ofNanos(Math.round(node.asDouble() * 1_000_000));
    }
}
