package dev.mvsim.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JNA binding to the example firmware's retrieval API ({@code native/examples/config_fetch.h}):
 * the function names, struct names and field order are the C ones.
 */
public interface ConfigFetchExample extends Library {

    /** {@code CONFIG_FETCH_MAX_KEYS}: most keys one run fetches. */
    int CONFIG_FETCH_MAX_KEYS = 8;
    /** {@code CONFIG_FETCH_VALUE_CAPACITY}: bytes of each item buffer, NUL included. */
    int CONFIG_FETCH_VALUE_CAPACITY = 256;

    /** {@code enum config_fetch_outcome}: every item was read. */
    int CONFIG_FETCH_OK = 0;
    /** {@code enum config_fetch_outcome}: CHANNELNOTCONNECTED arrived before the response. */
    int CONFIG_FETCH_CHANNEL_DISCONNECTED = 8;
    /** {@code enum config_fetch_outcome}: the fetch as a whole failed; see {@code fetch_result}. */
    int CONFIG_FETCH_RESPONSE_NOT_OK = 10;

    /** {@code struct config_fetch_key}. */
    @Structure.FieldOrder({"scope", "store", "name"})
    class config_fetch_key extends Structure {
        public int scope;
        public int store;
        /** The NUL-terminated key name; JNA keeps its native copy alive with this structure. */
        public String name;
    }

    /** {@code struct config_fetch_options}; zero fields take the firmware's defaults. */
    @Structure.FieldOrder({"network_timeout_ms", "response_timeout_ms", "leave_irq_disabled"})
    class config_fetch_options extends Structure {
        public int network_timeout_ms;
        public int response_timeout_ms;
        public int leave_irq_disabled;
    }

    /** {@code struct config_fetch_item}. */
    @Structure.FieldOrder({"read_status", "result", "length", "value"})
    class config_fetch_item extends Structure {
        public int read_status;
        public int result;
        public int length;
        public byte[] value = new byte[CONFIG_FETCH_VALUE_CAPACITY];

        /** Returns the value's bytes up to its NUL terminator. */
        public byte[] valueBytes() {
            int end = 0;
            while (end < value.length && value[end] != 0) {
                end++;
            }
            return Arrays.copyOf(value, end);
        }

        public String valueText() {
            return new String(valueBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code struct config_fetch_result}. */
    @Structure.FieldOrder({"outcome", "status", "fetch_result", "closure_reason", "item_count", "items"})
    class config_fetch_result extends Structure {
        public int outcome;
        public int status;
        public int fetch_result;
        public int closure_reason;
        public int item_count;
        public config_fetch_item[] items = (config_fetch_item[]) new config_fetch_item().toArray(CONFIG_FETCH_MAX_KEYS);
    }

    /** {@code struct MvNotification}: one ring record. */
    @Structure.FieldOrder({"microseconds", "event_type", "tag"})
    class MvNotification extends Structure {
        public long microseconds;
        public int event_type;
        public int tag;

        public MvNotification() {
        }

        public MvNotification(Pointer pointer) {
            super(pointer);
            read();
        }
    }

    int config_fetch_run(config_fetch_key[] keys, int key_count, config_fetch_options options,
                         config_fetch_result result);

    Pointer config_fetch_notification_ring(int[] record_count);

    String config_fetch_outcome_name(int outcome);
}
