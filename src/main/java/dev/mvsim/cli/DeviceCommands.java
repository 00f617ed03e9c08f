package dev.mvsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The commands of {@code mvsim devices}. */
final class DeviceCommands {

    /** The simulator-only registration route; the vendor API has no way to create a device. */
    static final String REGISTER_PATH = "/mvsim/Devices";

    private DeviceCommands() {
    }

    static final class Add extends ClientCommand {

        @Option(names = "--name", paramLabel = "NAME", description = "Unique name of the device within the account.")
        String uniqueName;

        Add(CliEnvironment environment) {
            super(environment);
        }

        @Override
        public Integer call() {
            Map<String, String> form = new LinkedHashMap<>();
            if (uniqueName != null) {
                form.put("UniqueName", uniqueName);
            }
            JsonNode device = restClient().post(REGISTER_PATH, form);
            if (client.json) {
                output().json(device);
            } else {
                output().fields(device);
            }
            return ExitCode.OK;
        }
    }

    static final class ListDevices extends ClientCommand {

        ListDevices(CliEnvironment environment) {
            super(environment);
        }

        @Override
        public Integer call() {
            List<JsonNode> devices = Pages.readAll(restClient(), "/v1/Devices", "devices");
            if (client.json) {
                ObjectNode root = JsonNodeFactory.instance.objectNode();
                root.putArray("devices").addAll(devices);
                output().json(root);
            } else {
                output().table(devices, List.of("sid", "unique_name", "date_created"));
            }
            return ExitCode.OK;
        }
    }
}
