/*
 * Command-line driver for the config fetch example.
 *
 *   config_fetch_demo [--interrupt-thread] SCOPE:STORE:KEY[=EXPECTED] ...
 *
 * SCOPE is account or device, STORE is secret or config. Prints one line per
 * key and, when EXPECTED is given, whether the value matched. Secret values
 * are never printed, only their length. Exits 0 when the fetch succeeded and
 * every expectation held.
 *
 * This file is the only place that calls mvhost.h: the retrieval code in
 * config_fetch.c uses the Microvisor API alone.
 * Run on its own, it reaches a running simulator when MVHOST_CONNECT,
 * MVHOST_DEVICE and MVHOST_DEVICE_KEY are set (docs/bridge.md). Without them
 * every syscall returns MV_STATUS_UNAVAILABLE and the fetch stops at
 * notification setup.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_fetch.h"
#include "mvhost.h"

struct key_argument {
    struct config_fetch_key key;
    /* NULL when no =EXPECTED part was given. */
    const char *expected;
};

static void print_usage(FILE *stream) {
    fprintf(stream,
            "usage: config_fetch_demo [--interrupt-thread] SCOPE:STORE:KEY[=EXPECTED] ...\n"
            "  SCOPE     account or device\n"
            "  STORE     secret or config\n"
            "  EXPECTED  value the key must have; secrets are compared, never printed\n"
            "  at most %d keys\n",
            CONFIG_FETCH_MAX_KEYS);
}

/* Splits "scope:store:key=expected" in place. Returns 0, or -1 with a message
   on stderr. */
static int parse_key_argument(char *text, struct key_argument *argument) {
    char *scope = text;
    char *store = strchr(scope, ':');
    char *name = store != NULL ? strchr(store + 1, ':') : NULL;
    if (store == NULL || name == NULL) {
        fprintf(stderr, "invalid key '%s': expected SCOPE:STORE:KEY[=EXPECTED]\n", text);
        return -1;
    }
    *store++ = '\0';
    *name++ = '\0';

    char *expected = strchr(name, '=');
    if (expected != NULL) {
        *expected++ = '\0';
    }
    argument->expected = expected;
    argument->key.name = name;

    if (strcmp(scope, "account") == 0) {
        argument->key.scope = MV_CONFIGKEYFETCHSCOPE_ACCOUNT;
    } else if (strcmp(scope, "device") == 0) {
        argument->key.scope = MV_CONFIGKEYFETCHSCOPE_DEVICE;
    } else {
        fprintf(stderr, "invalid scope '%s' for key '%s': use account or device\n", scope, name);
        return -1;
    }

    if (strcmp(store, "secret") == 0) {
        argument->key.store = MV_CONFIGKEYFETCHSTORE_SECRET;
    } else if (strcmp(store, "config") == 0) {
        argument->key.store = MV_CONFIGKEYFETCHSTORE_CONFIG;
    } else {
        fprintf(stderr, "invalid store '%s' for key '%s': use secret or config\n", store, name);
        return -1;
    }
    return 0;
}

static const char *key_result_name(enum MvConfigKeyFetchResult result) {
    switch (result) {
    case MV_CONFIGKEYFETCHRESULT_OK:
        return "OK";
    case MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND:
        return "KEYNOTFOUND";
    case MV_CONFIGKEYFETCHRESULT_SERVERERROR:
        return "SERVERERROR";
    default:
        return "not read";
    }
}

/* Prints one item and returns 1 if it met its expectation (or had none). */
static int report_item(const struct key_argument *argument, const struct config_fetch_item *item) {
    bool is_secret = argument->key.store == MV_CONFIGKEYFETCHSTORE_SECRET;

    /* Columns as wide as their longest words: "secret"/"config" (6) and "account" (7). */
    printf("%-6s %-7s %-24s read status %u, result %s", is_secret ? "secret" : "config",
           argument->key.scope == MV_CONFIGKEYFETCHSCOPE_DEVICE ? "device" : "account",
           argument->key.name, (unsigned)item->read_status, key_result_name(item->result));
    if (item->result == MV_CONFIGKEYFETCHRESULT_OK) {
        if (is_secret) {
            printf(", %u bytes", (unsigned)item->length);
        } else {
            printf(", value '%s'", item->value);
        }
    }

    int met = 1;
    if (argument->expected != NULL) {
        met = item->result == MV_CONFIGKEYFETCHRESULT_OK &&
              strcmp(item->value, argument->expected) == 0;
        printf(", %s", met ? "as expected" : "NOT as expected");
    }
    printf("\n");
    return met;
}

int main(int argc, char **argv) {
    struct key_argument arguments[CONFIG_FETCH_MAX_KEYS];
    struct config_fetch_key keys[CONFIG_FETCH_MAX_KEYS];
    uint32_t key_count = 0;
    bool interrupt_thread = false;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--interrupt-thread") == 0) {
            interrupt_thread = true;
            continue;
        }
        if (strcmp(argv[i], "--help") == 0) {
            print_usage(stdout);
            return EXIT_SUCCESS;
        }
        if (key_count == CONFIG_FETCH_MAX_KEYS) {
            fprintf(stderr, "too many keys: at most %d per request\n", CONFIG_FETCH_MAX_KEYS);
            return EXIT_FAILURE;
        }
        if (parse_key_argument(argv[i], &arguments[key_count]) != 0) {
            return EXIT_FAILURE;
        }
        keys[key_count] = arguments[key_count].key;
        key_count++;
    }
    if (key_count == 0) {
        print_usage(stderr);
        return EXIT_FAILURE;
    }

    if (interrupt_thread && mvhost_set_interrupt_mode(MVHOST_INTERRUPTS_THREAD) != 0) {
        fprintf(stderr, "failed to start the interrupt thread\n");
        return EXIT_FAILURE;
    }

    struct config_fetch_result result;
    enum config_fetch_outcome outcome = config_fetch_run(keys, key_count, NULL, &result);
    if (outcome != CONFIG_FETCH_OK) {
        fprintf(stderr, "config fetch failed: %s (syscall status %u, fetch result %u, closure reason %u)\n",
                config_fetch_outcome_name(outcome), (unsigned)result.status,
                (unsigned)result.fetch_result, (unsigned)result.closure_reason);
    }

    int all_met = outcome == CONFIG_FETCH_OK;
    uint32_t printed_count = result.item_count < key_count ? result.item_count : key_count;
    for (uint32_t i = 0; i < printed_count; i++) {
        all_met &= report_item(&arguments[i], &result.items[i]);
    }

    if (interrupt_thread) {
        mvhost_set_interrupt_mode(MVHOST_INTERRUPTS_SYNCHRONOUS);
    }
    return all_met ? EXIT_SUCCESS : EXIT_FAILURE;
}
