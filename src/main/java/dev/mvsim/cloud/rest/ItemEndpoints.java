package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import dev.mvsim.cloud.ItemRules;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Map;

/** Configs and secrets of both scopes: list, create, fetch, update and delete. */
final class ItemEndpoints {

    private final SimulatedCloud cloud;
    private final JsonViews views;
    private final ListPages pages;

    ItemEndpoints(SimulatedCloud cloud, JsonViews views, ListPages pages) {
        this.cloud = cloud;
        this.views = views;
        this.pages = pages;
    }

    void handle(HttpServerExchange exchange, AccountRecord account, Route route, Map<String, String> form) {
        String deviceSid = route.scope() == ItemScope.DEVICE ? requireDevice(account, route.deviceRef()).sid() : null;

        if (route.kind() == Route.Kind.ITEM_LIST) {
            if (Route.isRead(exchange.getRequestMethod())) {
                list(exchange, account, route, deviceSid);
            } else {
                create(exchange, account, route, deviceSid, form);
            }
            return;
        }

        ItemId id = new ItemId(account.sid(), route.scope(), deviceSid, route.store(), route.key());
        if (Route.isRead(exchange.getRequestMethod())) {
            // A secret's fetch reads metadata only, so the store never decrypts its value.
            StoredItem item = (route.store() == ItemStore.CONFIG ? cloud.findItem(id) : cloud.findMetadata(id))
                    .orElseThrow(() -> notFound(id));
            sendItem(exchange, StatusCodes.OK, item);
        } else if (exchange.getRequestMethod().equals(Methods.POST)) {
            sendItem(exchange, StatusCodes.OK, cloud.updateItem(id, form.get("Value")));
        } else {
            cloud.deleteItem(id);
            Responses.noContent(exchange);
        }
    }

    private void create(
            HttpServerExchange exchange, AccountRecord account, Route route, String deviceSid, Map<String, String> form) {
        String key = form.get("Key");
        if (key == null) {
            throw missing("Key");
        }
        if (form.get("Value") == null) {
            throw missing("Value");
        }

        ItemId id = new ItemId(account.sid(), route.scope(), deviceSid, route.store(), key);
        sendItem(exchange, StatusCodes.CREATED, cloud.createItem(id, form.get("Value")));
    }

    private void list(HttpServerExchange exchange, AccountRecord account, Route route, String deviceSid) {
        String listPath = PublicUrls.itemListPath(route.scope(), deviceSid, route.store());
        String listKey = route.store() == ItemStore.CONFIG ? "configs" : "secrets";
        ListPages.Start start = pages.start(exchange, account.sid(), listPath);

        ListPages.Source<StoredItem> source = new ListPages.Source<>(
                (afterKey, limit) -> cloud.listItems(account.sid(), route.scope(), deviceSid, route.store(), afterKey, limit),
                (upToKey, limit) -> cloud.listItemsUpTo(account.sid(), route.scope(), deviceSid, route.store(), upToKey, limit),
                item -> item.id().key());
        ListPages.Page<StoredItem> page = pages.read(account.sid(), listPath, listKey, start, source);

        Responses.json(exchange, StatusCodes.OK, JsonViews.render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart(listKey);
            for (StoredItem item : page.records()) {
                views.writeItem(json, item);
            }
            json.writeEndArray();
            JsonViews.writeMeta(json, page.links());
            json.writeEndObject();
        }));
    }

    private void sendItem(HttpServerExchange exchange, int status, StoredItem item) {
        Responses.json(exchange, status, JsonViews.render(json -> views.writeItem(json, item)));
    }

    private DeviceRecord requireDevice(AccountRecord account, String deviceRef) {
        return cloud.findDevice(account.sid(), deviceRef)
                .orElseThrow(() -> new CloudException.NotFound("Device " + deviceRef + " was not found"));
    }

    private static CloudException.NotFound notFound(ItemId id) {
        String kind = id.store() == ItemStore.CONFIG ? "Config" : "Secret";
        return new CloudException.NotFound(kind + " with Key '" + id.key() + "' was not found");
    }

    private static CloudException.InvalidParameter missing(String parameter) {
        return ItemRules.missing(parameter);
    }
}
