package dev.mvsim.cloud.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes the REST API's JSON: resources with the vendor's property names and order, lists with
 * their {@code meta} block, and errors. Uses Jackson's streaming generator, so no per-request
 * reflection happens.
 */
final class JsonViews {

    private static final JsonFactory JSON = new JsonFactory();

    private final PublicUrls urls;

    JsonViews(PublicUrls urls) {
        this.urls = urls;
    }

    /** Writes one JSON document through {@code body}. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    static byte[] render(Body body) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            body.write(json);
        } catch (IOException e) {
            // ByteArrayBuilder does no I/O, so only a generator bug can get here.
            throw new UncheckedIOException("Failed to render JSON", e);
        }
        return bytes.toByteArray();
    }

    /** Writes a config (with its value) or a secret (without it), of either scope. */
    void writeItem(JsonGenerator json, StoredItem item) throws IOException {
        json.writeStartObject();
        if (item.id().scope() == ItemScope.DEVICE) {
            json.writeStringField("device_sid", item.id().deviceSid());
        }
        json.writeStringField("key", item.id().key());
        if (item.id().store() == ItemStore.CONFIG) {
            json.writeStringField("value", item.value());
            json.writeStringField("date_updated", date(item.dateUpdated()));
        } else {
            json.writeStringField("date_rotated", date(item.dateUpdated()));
        }
        json.writeStringField("url", urls.item(item.id()));
        json.writeEndObject();
    }

    /**
     * Writes a device. mvsim simulates no apps or logging, so every {@code app} property is null and
     * {@code logging.enabled} is false.
     */
    void writeDevice(JsonGenerator json, DeviceRecord device, String deviceKeyHex) throws IOException {
        String url = urls.device(device.sid());

        json.writeStartObject();
        json.writeStringField("sid", device.sid());
        json.writeStringField("unique_name", device.uniqueName());
        json.writeStringField("account_sid", device.accountSid());

        json.writeObjectFieldStart("app");
        for (String field : List.of("target_sid", "target_hash", "date_targeted", "update_status",
                "update_error_code", "reported_sid", "date_reported")) {
            json.writeNullField(field);
        }
        json.writeEndObject();

        json.writeObjectFieldStart("logging");
        json.writeBooleanField("enabled", false);
        json.writeNullField("date_expires");
        json.writeEndObject();

        json.writeStringField("date_created", date(device.dateCreated()));
        json.writeStringField("date_updated", date(device.dateUpdated()));
        json.writeStringField("url", url);

        json.writeObjectFieldStart("links");
        json.writeStringField("device_configs", url + "/Configs");
        json.writeStringField("device_secrets", url + "/Secrets");
        json.writeEndObject();

        if (deviceKeyHex != null) {
            json.writeStringField("device_key", deviceKeyHex);
        }
        json.writeEndObject();
    }

    /** Writes the {@code meta} block of a list page; every field is present, null where empty. */
    static void writeMeta(JsonGenerator json, PageLinks page) throws IOException {
        json.writeObjectFieldStart("meta");
        json.writeNumberField("page", page.page());
        json.writeNumberField("page_size", page.pageSize());
        json.writeStringField("first_page_url", page.firstPageUrl());
        json.writeStringField("previous_page_url", page.previousPageUrl());
        json.writeStringField("url", page.url());
        json.writeStringField("next_page_url", page.nextPageUrl());
        json.writeStringField("key", page.key());
        json.writeEndObject();
    }

    static byte[] error(int code, String message, int status) {
        return render(json -> {
            json.writeStartObject();
            json.writeNumberField("code", code);
            json.writeStringField("message", message);
            json.writeStringField("more_info", "https://www.twilio.com/docs/errors/" + code);
            json.writeNumberField("status", status);
            json.writeEndObject();
        });
    }

    /** Formats an instant as ISO-8601 UTC, such as {@code 2021-01-01T12:34:56Z}. */
    static String date(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
