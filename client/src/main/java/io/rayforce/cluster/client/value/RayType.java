package io.rayforce.cluster.client.value;

/**
 * The engine's type codes (wire version 3). A vector of a type carries the positive code on the
 * wire, an atom of it the negated code.
 */
public enum RayType {
    LIST(0, 0, "list"),
    B8(1, 1, "b8"),
    U8(2, 1, "u8"),
    I16(3, 2, "i16"),
    I32(4, 4, "i32"),
    I64(5, 8, "i64"),
    F32(6, 4, "f32"),
    F64(7, 8, "f64"),
    DATE(8, 4, "date"),
    TIME(9, 4, "time"),
    TIMESTAMP(10, 8, "timestamp"),
    GUID(11, 16, "guid"),
    SYMBOL(12, 0, "symbol"),
    STRING(13, 0, "string"),
    /** A signed nanosecond count: the difference of two timestamps. */
    TIMESPAN(16, 8, "timespan"),
    TABLE(98, 0, "table"),
    DICT(99, 0, "dict"),
    LAMBDA(100, 0, "lambda"),
    UNARY(101, 0, "unary"),
    BINARY(102, 0, "binary"),
    VARY(103, 0, "vary"),
    NULL(126, 0, "null"),
    ERROR(127, 0, "error");

    private static final RayType[] BY_CODE = new RayType[128];

    static {
        for (RayType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int elementSize;
    private final String rayfallName;

    RayType(int code, int elementSize, String rayfallName) {
        this.code = code;
        this.elementSize = elementSize;
        this.rayfallName = rayfallName;
    }

    /** The wire code of a vector of this type; atoms use its negation. */
    public int code() {
        return code;
    }

    /** Bytes per element for fixed-width types, 0 for the others. */
    public int elementSize() {
        return elementSize;
    }

    public boolean isFixedWidth() {
        return elementSize > 0;
    }

    /** True for the types that have atoms and typed vectors (b8 through string, and timespan). */
    public boolean isScalar() {
        return code >= B8.code && code <= STRING.code || this == TIMESPAN;
    }

    /** The name the engine uses for this type, e.g. {@code i64} or {@code timestamp}. */
    public String rayfallName() {
        return rayfallName;
    }

    /** The name {@code (as 'NAME x)} casts to, for the scalar types: {@code I64}, {@code SYM}, {@code STR}, ... */
    public String castName() {
        return switch (this) {
            case SYMBOL -> "SYM";
            case STRING -> "STR";
            default -> rayfallName.toUpperCase(java.util.Locale.ROOT);
        };
    }

    /** The type with this (positive) code, or null when the engine defines none. */
    public static RayType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
