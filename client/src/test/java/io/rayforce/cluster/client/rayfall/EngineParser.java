package io.rayforce.cluster.client.rayfall;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.U8Vector;
import java.nio.ByteBuffer;

/**
 * The engine's own reader as a test oracle: {@code (ser (parse "src"))} returns the parse tree
 * serialized with its name/symbol flags, which {@link ValueReader} decodes in expression mode.
 */
final class EngineParser {
    private EngineParser() {
    }

    /** The engine's tree for {@code source}, or its error code as a {@link Failure}. */
    static Object parse(TCPClient client, String source) {
        try {
            RayValue bytes = client.execute("(ser (parse " + RayfallPrinter.print(Str.of(source)) + "))");
            U8Vector u8 = (U8Vector) bytes;
            byte[] b = new byte[u8.length()];
            for (int i = 0; i < b.length; i++) {
                b[i] = u8.get(i);
            }
            return ValueReader.read(ByteBuffer.wrap(b, 16, b.length - 16), ValueReader.Mode.EXPRESSION);
        } catch (RayforceEvaluationError e) {
            return new Failure(e.code());
        }
    }

    /** Our reader's answer in the same shape. */
    static Object ours(String source) {
        try {
            return RayfallReader.read(source);
        } catch (RayfallSyntaxError e) {
            return new Failure(e.code());
        }
    }

    record Failure(String code) {
    }
}
