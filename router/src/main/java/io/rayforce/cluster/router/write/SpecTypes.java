package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.Vector;
import java.util.Locale;

/** Column type names of a table spec ({@code i64}, {@code symbol}, {@code list}, ...) and the engine's types. */
final class SpecTypes {
    private SpecTypes() {
    }

    /** The type a spec column type name stands for. */
    static RayType of(String specType) {
        String t = specType.toLowerCase(Locale.ROOT);
        t = switch (t) {
            case "sym" -> "symbol";
            case "str" -> "string";
            default -> t;
        };
        for (RayType rt : RayType.values()) {
            if ((rt.isScalar() || rt == RayType.LIST) && rt.rayfallName().equals(t)) {
                return rt;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + specType + "'");
    }

    /** The spec type name of the engine's type name {@code (type column)} answers ({@code I64}, {@code SYM}, {@code LIST}, ...). */
    static String ofCastName(String castName) {
        for (RayType rt : RayType.values()) {
            if ((rt.isScalar() || rt == RayType.LIST) && rt.castName().equals(castName)) {
                return rt.rayfallName();
            }
        }
        return castName.toLowerCase(Locale.ROOT);
    }

    /** The spec type name of a column vector. */
    static String of(Vector column) {
        return column.type().rayfallName();
    }

    /** True when rows can be sharded on a column of this type. */
    static boolean shardable(String specType) {
        return !of(specType).equals(RayType.LIST);
    }
}
