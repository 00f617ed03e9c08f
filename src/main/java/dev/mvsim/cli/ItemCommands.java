package dev.mvsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The five commands of {@code mvsim secrets} and {@code mvsim configs}. */
final class ItemCommands {

    private ItemCommands() {
    }

    static final class Create extends ItemCommand {

        @Parameters(index = "0", paramLabel = "KEY", description = "Key of the new item, 1 to 100 characters.")
        String key;

        @Mixin
        ValueOptions value;

        Create(ItemKind kind, CliEnvironment environment) {
            super(kind, environment);
        }

        @Override
        public Integer call() {
            String text = value.read(environment, key);
            JsonNode created = restClient().post(collectionPath(), Map.of("Key", key, "Value", text));
            if (client.json) {
                output().json(created);
            } else {
                output().line("Created " + describe(key) + ".");
            }
            return ExitCode.OK;
        }
    }

    static final class Get extends ItemCommand {

        @Parameters(index = "0", paramLabel = "KEY", description = "Key of the item.")
        String key;

        Get(ItemKind kind, CliEnvironment environment) {
            super(kind, environment);
        }

        @Override
        public Integer call() {
            JsonNode item = restClient().get(itemPath(key));
            if (client.json) {
                output().json(item);
            } else if (kind == ItemKind.CONFIG) {
                // A config's value alone, so that "mvsim configs get KEY > FILE" round-trips.
                output().raw(item.path("value").asText());
            } else {
                output().fields(item);
            }
            return ExitCode.OK;
        }
    }

    static final class ListItems extends ItemCommand {

        ListItems(ItemKind kind, CliEnvironment environment) {
            super(kind, environment);
        }

        @Override
        public Integer call() {
            List<JsonNode> items = Pages.readAll(restClient(), collectionPath(), kind.listKey());
            if (client.json) {
                ObjectNode root = JsonNodeFactory.instance.objectNode();
                root.putArray(kind.listKey()).addAll(items);
                output().json(root);
            } else {
                output().table(items, List.of("key", kind.dateField()));
            }
            return ExitCode.OK;
        }
    }

    static final class Update extends ItemCommand {

        @Parameters(index = "0", paramLabel = "KEY", description = "Key of the existing item.")
        String key;

        @Mixin
        ValueOptions value;

        Update(ItemKind kind, CliEnvironment environment) {
            super(kind, environment);
        }

        @Override
        public Integer call() {
            String text = value.read(environment, key);
            JsonNode updated = restClient().post(itemPath(key), Map.of("Value", text));
            if (client.json) {
                output().json(updated);
            } else {
                String verb = kind == ItemKind.SECRET ? "Rotated " : "Updated ";
                output().line(verb + describe(key) + " at " + updated.path(kind.dateField()).asText() + ".");
            }
            return ExitCode.OK;
        }
    }

    static final class Delete extends ItemCommand {

        @Parameters(index = "0", paramLabel = "KEY", description = "Key of the item to delete.")
        String key;

        Delete(ItemKind kind, CliEnvironment environment) {
            super(kind, environment);
        }

        @Override
        public Integer call() {
            RestClient rest = restClient();
            // --device takes a SID or a unique name, but the JSON output promises the SID, which
            // only the device resource holds: the 204 of a delete has no body.
            String resolvedSid = deviceSid != null && client.json
                    ? rest.get("/v1/Devices/" + RestClient.pathSegment(deviceSid)).path("sid").asText()
                    : null;
            rest.delete(itemPath(key));
            if (client.json) {
                ObjectNode result = JsonNodeFactory.instance.objectNode();
                if (resolvedSid != null) {
                    result.put("device_sid", resolvedSid);
                }
                result.put("key", key);
                result.put("deleted", true);
                output().json(result);
            } else {
                output().line("Deleted " + describe(key) + ".");
            }
            return ExitCode.OK;
        }
    }
}
