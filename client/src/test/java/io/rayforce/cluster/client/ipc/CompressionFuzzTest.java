package io.rayforce.cluster.client.ipc;

import static io.rayforce.cluster.client.testing.FuzzContract.assertAllocationBounded;
import static io.rayforce.cluster.client.testing.FuzzContract.valueOrClearError;
import static io.rayforce.cluster.client.testing.FuzzContract.withinTime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rayforce.cluster.client.RayforceProtocolError;
import java.time.Duration;
import java.util.Arrays;

/**
 * Fuzzes the decompressor with arbitrary compressed payloads. Contract: within 10 s, the
 * restored bytes or a {@link RayforceProtocolError}; never more than the declared size, which
 * is refused when the input could not produce it (a run of at most 127 bytes costs two input
 * bytes), so at most 64 bytes are allocated per input byte. Also, any input compresses and
 * restores to itself. Seeds: the engine's compressed frames in {@code wire/compressed}.
 */
class CompressionFuzzTest {
    static final long PER_BYTE = 70;
    static final long SLACK = 64 * 1024;

    @FuzzTest
    void restoresOrRefuses(byte[] body) {
        withinTime(Duration.ofSeconds(10), () -> {
            byte[] restored = valueOrClearError(() -> Compression.decompress(body), RayforceProtocolError.class);
            if (restored != null && restored.length > 64L * body.length) {
                throw new AssertionError(body.length + " bytes restored to " + restored.length);
            }
            assertAllocationBounded("decompressing", body.length, PER_BYTE, SLACK,
                    () -> valueOrClearError(() -> Compression.decompress(body), RayforceProtocolError.class));
            byte[] packed = Compression.compress(body);
            if (packed != null && !Arrays.equals(Compression.decompress(packed), body)) {
                throw new AssertionError("compressing and restoring changed the bytes");
            }
        });
    }
}
