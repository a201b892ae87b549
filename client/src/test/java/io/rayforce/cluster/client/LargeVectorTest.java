package io.rayforce.cluster.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.testing.EngineExtension;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.U8Vector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Vectors of 50 million elements in one frame, both ways. A request frame holds at most 256 MiB,
 * so 50 M elements travel as u8, b8 and i32; the largest i64 vector one request can carry is
 * (256 MiB - 10) / 8 = 33,554,430 elements. Results may be larger: 50 M i64 (400 MB) come back
 * with the frame limit raised.
 */
class LargeVectorTest {
    static final int FIFTY_MILLION = 50_000_000;

    @RegisterExtension
    static final EngineExtension engine = new EngineExtension();

    private TCPClient client() {
        return engine.newClient(ClientOptions.DEFAULT.withMaxFrameBytes(512 * 1024 * 1024));
    }

    @Test
    void fiftyMillionBytes() {
        byte[] b = new byte[FIFTY_MILLION];
        new SplittableRandom(1).nextBytes(b);
        U8Vector v = new U8Vector(b);
        TCPClient c = client();
        assertThat(c.execute(v)).isEqualTo(v);
    }

    @Test
    void fiftyMillionBooleans() {
        boolean[] b = new boolean[FIFTY_MILLION];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextBoolean();
        }
        BoolVector v = new BoolVector(b);
        assertThat(client().execute(v)).isEqualTo(v);
    }

    @Test
    void fiftyMillionI32() {
        int[] a = new SplittableRandom(3).ints(FIFTY_MILLION).toArray();
        a[7] = Integer.MIN_VALUE; // a null in there too
        I32Vector v = new I32Vector(a);
        assertThat(client().execute(v)).isEqualTo(v);
    }

    @Test
    void largestI64VectorOneRequestCanCarry() {
        int n = (Wire.MAX_PAYLOAD_BYTES - 10) / 8;
        assertThat(n).isEqualTo(33_554_430);
        long[] a = new SplittableRandom(4).longs(n).toArray();
        I64Vector v = new I64Vector(a);
        assertThat(client().execute(v)).isEqualTo(v);
    }

    @Test
    void fiftyMillionI64BuiltByTheEngine() {
        TCPClient c = client();
        RayValue v = c.execute("(til 50000000)");
        assertThat(v).isInstanceOf(I64Vector.class);
        I64Vector til = (I64Vector) v;
        assertThat(til.length()).isEqualTo(FIFTY_MILLION);
        long sum = 0;
        for (int i = 0; i < til.length(); i++) {
            sum += til.get(i);
        }
        assertThat(new I64Atom(sum)).isEqualTo(c.execute("(sum (til 50000000))"));
    }
}
