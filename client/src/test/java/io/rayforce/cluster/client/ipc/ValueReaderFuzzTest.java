package io.rayforce.cluster.client.ipc;

import static io.rayforce.cluster.client.testing.FuzzContract.assertAllocationBounded;
import static io.rayforce.cluster.client.testing.FuzzContract.valueOrClearError;
import static io.rayforce.cluster.client.testing.FuzzContract.withinTime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.value.RayValue;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Fuzzes the value deserializer with arbitrary payloads, in both modes (results and requests).
 * Contract: within 10 s, a value or a {@link RayforceProtocolError}; at most 64 bytes allocated
 * per payload byte (a length field alone never buys memory); a decoded value encodes again and
 * decodes to itself. Seeds: every payload of {@code wire/vectors.tsv} ({@code scripts/fuzz-seeds}).
 */
class ValueReaderFuzzTest {
    /** Bytes a decode may allocate per payload byte: objects are bigger than their encodings, never by more. */
    static final long PER_BYTE = 64;
    static final long SLACK = 256 * 1024;

    @FuzzTest
    void decodesOrRefuses(byte[] payload) {
        withinTime(Duration.ofSeconds(10), () -> {
            for (ValueReader.Mode mode : ValueReader.Mode.values()) {
                check(payload, mode);
            }
        });
    }

    private static void check(byte[] payload, ValueReader.Mode mode) {
        RayValue v = valueOrClearError(() -> ValueReader.read(ByteBuffer.wrap(payload), mode), RayforceProtocolError.class);
        assertAllocationBounded("decoding in " + mode + " mode", payload.length, PER_BYTE, SLACK,
                () -> valueOrClearError(() -> ValueReader.read(ByteBuffer.wrap(payload), mode), RayforceProtocolError.class));
        if (v != null) {
            RayValue again = ValueReader.read(ByteBuffer.wrap(ValueWriter.payload(v)), mode);
            if (!again.equals(v)) {
                throw new AssertionError("decoded " + v + " but its encoding decodes to " + again + " (" + mode + ")");
            }
        }
    }
}
