package io.rayforce.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void parsesUnitsAsPowersOf1024() {
        assertThat(ByteSize.parse("4G")).isEqualTo(4L << 30);
        assertThat(ByteSize.parse("512m")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("64K")).isEqualTo(64L << 10);
        assertThat(ByteSize.parse("2GiB")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("1T")).isEqualTo(1L << 40);
        assertThat(ByteSize.parse("12345")).isEqualTo(12345);
    }

    @Test
    void rejectsOtherText() {
        assertThatThrownBy(() -> ByteSize.parse("4X")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4G");
        assertThatThrownBy(() -> ByteSize.parse("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteSize.parse("99999999999T")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }
}
