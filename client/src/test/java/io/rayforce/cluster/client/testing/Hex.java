package io.rayforce.cluster.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Hex test data from resources. */
public final class Hex {
    private Hex() {
    }

    public static byte[] parse(String hex) {
        return HexFormat.of().parseHex(hex.strip());
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static String resource(String path) {
        try (InputStream in = Hex.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
