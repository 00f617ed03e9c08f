package dev.mvsim.cli;

/** The two kinds of stored item, with the names the REST API gives them. */
enum ItemKind {

    SECRET("secret", "Secrets", "secrets", "date_rotated"),
    CONFIG("config", "Configs", "configs", "date_updated");

    private final String singular;
    private final String resource;
    private final String listKey;
    private final String dateField;

    ItemKind(String singular, String resource, String listKey, String dateField) {
        this.singular = singular;
        this.resource = resource;
        this.listKey = listKey;
        this.dateField = dateField;
    }

    /** Returns the word for one item in messages: "secret" or "config". */
    String singular() {
        return singular;
    }

    /** Returns the path segment of the collection: "Secrets" or "Configs". */
    String resource() {
        return resource;
    }

    /** Returns the property of a list response that contains the items, and the command group's name. */
    String listKey() {
        return listKey;
    }

    /** Returns the property with the item's last change: a secret's rotation, a config's update. */
    String dateField() {
        return dateField;
    }
}
