package dev.mvsim.cloud.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AssociatedDataTest {

    @Test
    void fieldBoundariesMatter() {
        byte[] first = AssociatedData.forPurpose("item").add("ab").add("c").toBytes();
        byte[] second = AssociatedData.forPurpose("item").add("a").add("bc").toBytes();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void nullDiffersFromEmpty() {
        byte[] withNull = AssociatedData.forPurpose("item").add(null).toBytes();
        byte[] withEmpty = AssociatedData.forPurpose("item").add("").toBytes();

        assertThat(withNull).isNotEqualTo(withEmpty);
    }

    @Test
    void purposeSeparatesKinds() {
        byte[] item = AssociatedData.forPurpose("item").add("UV1").toBytes();
        byte[] deviceKey = AssociatedData.forPurpose("device-key").add("UV1").toBytes();

        assertThat(item).isNotEqualTo(deviceKey);
    }

    @Test
    void lengthPrefixedUtf8Layout() {
        byte[] bytes = AssociatedData.forPurpose("p").add("\u00e9").toBytes();

        assertThat(bytes).containsExactly(0, 0, 0, 1, 'p', 0, 0, 0, 2, 0xC3, 0xA9);
    }
}
