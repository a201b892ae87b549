package io.rayforce.cluster.router.load;

import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.Temporals;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

/**
 * How Parquet's column types map to the engine's: booleans to b8; 32-bit integers to i32 (8- and
 * 16-bit ones to i16, unsigned 8-bit ones to u8), dates to date, times to time; 64-bit integers to
 * i64; timestamps (any unit, and the legacy INT96) to timestamp in nanoseconds since 2000; floats to
 * f32, doubles and decimals to f64; text and other byte arrays to string, as the engine's own
 * reader ({@code .parquet.read}) makes them (read them as symbols with {@code --columns}); 16-byte
 * UUIDs to guid.
 */
final class ParquetTypes {
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;
    /** The Julian day of 1970-01-01, which INT96 timestamps count from. */
    private static final long JULIAN_UNIX_EPOCH = 2_440_588L;

    private ParquetTypes() {
    }

    static RayType rayType(PrimitiveType p, String file) throws IOException {
        LogicalTypeAnnotation l = p.getLogicalTypeAnnotation();
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return RayType.B8;
            case INT32:
                if (l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return RayType.DATE;
                }
                if (l instanceof TimeLogicalTypeAnnotation) {
                    return RayType.TIME;
                }
                if (l instanceof DecimalLogicalTypeAnnotation) {
                    return RayType.F64;
                }
                if (l instanceof IntLogicalTypeAnnotation i) {
                    if (i.getBitWidth() == 8 && !i.isSigned()) {
                        return RayType.U8;
                    }
                    if (i.getBitWidth() <= 16) {
                        return i.isSigned() || i.getBitWidth() == 8 ? RayType.I16 : RayType.I32;
                    }
                    return i.isSigned() ? RayType.I32 : RayType.I64;
                }
                return RayType.I32;
            case INT64:
                if (l instanceof TimestampLogicalTypeAnnotation) {
                    return RayType.TIMESTAMP;
                }
                if (l instanceof TimeLogicalTypeAnnotation) {
                    return RayType.TIME;
                }
                if (l instanceof DecimalLogicalTypeAnnotation) {
                    return RayType.F64;
                }
                return RayType.I64;
            case INT96:
                return RayType.TIMESTAMP;
            case FLOAT:
                return RayType.F32;
            case DOUBLE:
                return RayType.F64;
            case FIXED_LEN_BYTE_ARRAY:
                if (l instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    return RayType.GUID;
                }
                if (l instanceof DecimalLogicalTypeAnnotation) {
                    return RayType.F64;
                }
                return RayType.STRING;
            case BINARY:
                if (l instanceof DecimalLogicalTypeAnnotation) {
                    return RayType.F64;
                }
                return RayType.STRING;
            default:
                throw new IOException(file + ": column " + p.getName() + " has Parquet type " + p + ", which cannot be loaded");
        }
    }

    /** Whether values of the file's type can be read as {@code wanted} without losing any. */
    static boolean canRead(RayType file, RayType wanted) {
        if (file == wanted) {
            return true;
        }
        return switch (file) {
            case U8 -> wanted == RayType.I16 || wanted == RayType.I32 || wanted == RayType.I64 || wanted == RayType.F64;
            case I16 -> wanted == RayType.I32 || wanted == RayType.I64 || wanted == RayType.F64;
            case I32 -> wanted == RayType.I64 || wanted == RayType.F64;
            case F32 -> wanted == RayType.F64;
            case DATE -> wanted == RayType.TIMESTAMP;
            case STRING -> wanted == RayType.SYMBOL;
            default -> false;
        };
    }

    /** An integer column's value (INT32 or INT64). */
    static long integer(ColumnReader r, PrimitiveType p) {
        if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64) {
            return r.getLong();
        }
        boolean unsigned32 = p.getLogicalTypeAnnotation() instanceof IntLogicalTypeAnnotation i && !i.isSigned() && i.getBitWidth() == 32;
        return unsigned32 ? r.getInteger() & 0xFFFF_FFFFL : r.getInteger();
    }

    /** A real, integer or decimal column's value as f64. */
    static double real(ColumnReader r, PrimitiveType p, LogicalTypeAnnotation l) {
        if (l instanceof DecimalLogicalTypeAnnotation d) {
            BigInteger unscaled = switch (p.getPrimitiveTypeName()) {
                case INT32 -> BigInteger.valueOf(r.getInteger());
                case INT64 -> BigInteger.valueOf(r.getLong());
                default -> new BigInteger(r.getBinary().getBytes());
            };
            return new BigDecimal(unscaled, d.getScale()).doubleValue();
        }
        return switch (p.getPrimitiveTypeName()) {
            case FLOAT -> r.getFloat();
            case DOUBLE -> r.getDouble();
            case INT64 -> r.getLong();
            default -> r.getInteger();
        };
    }

    /** A timestamp (or date) column's value as nanoseconds since 2000-01-01. */
    static long timestampNanos(ColumnReader r, PrimitiveType p) {
        LogicalTypeAnnotation l = p.getLogicalTypeAnnotation();
        if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
            ByteBuffer b = r.getBinary().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long nanosOfDay = b.getLong();
            long julianDay = b.getInt();
            return (julianDay - JULIAN_UNIX_EPOCH) * NANOS_PER_DAY + nanosOfDay - Temporals.EPOCH_NANOS;
        }
        if (l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return (r.getInteger() - (long) Temporals.EPOCH_DAYS) * NANOS_PER_DAY;
        }
        long v = r.getLong();
        TimeUnit unit = l instanceof TimestampLogicalTypeAnnotation t ? t.getUnit() : TimeUnit.MICROS;
        long nanos = switch (unit) {
            case MILLIS -> v * 1_000_000L;
            case MICROS -> v * 1_000L;
            case NANOS -> v;
        };
        return nanos - Temporals.EPOCH_NANOS;
    }

    /** A time column's value as milliseconds since midnight. */
    static int timeMillis(ColumnReader r, PrimitiveType p) {
        TimeLogicalTypeAnnotation t = (TimeLogicalTypeAnnotation) p.getLogicalTypeAnnotation();
        return switch (t.getUnit()) {
            case MILLIS -> r.getInteger();
            case MICROS -> (int) (r.getLong() / 1_000);
            case NANOS -> (int) (r.getLong() / 1_000_000);
        };
    }
}
