package dev.mvsim.cli;

import picocli.CommandLine.Option;

/** Base of the secrets and configs commands: the kind of item and its account or device scope. */
abstract class ItemCommand extends ClientCommand {

    protected final ItemKind kind;

    @Option(names = "--device", paramLabel = "SID",
            description = "Work on the device's items (UV followed by 32 hex digits) instead of the account's.")
    String deviceSid;

    ItemCommand(ItemKind kind, CliEnvironment environment) {
        super(environment);
        this.kind = kind;
    }

    /** Returns the collection's path: {@code /v1/Secrets} or {@code /v1/Devices/UV…/Secrets}. */
    String collectionPath() {
        if (deviceSid == null) {
            return "/v1/" + kind.resource();
        }
        return "/v1/Devices/" + RestClient.pathSegment(deviceSid) + "/" + kind.resource();
    }

    String itemPath(String key) {
        return collectionPath() + "/" + RestClient.pathSegment(key);
    }

    /** Describes the item in messages, such as "secret 'api-key' of device UV…". */
    String describe(String key) {
        String item = kind.singular() + " '" + key + "'";
        return deviceSid == null ? "account " + item : item + " of device " + deviceSid;
    }
}
