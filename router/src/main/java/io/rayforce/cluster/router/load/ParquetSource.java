package io.rayforce.cluster.router.load;

import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet file read with Apache Parquet's Java reader (parquet-hadoop on a local file, with no
 * Hadoop file system), column by column within each row group. The columns' types come from the
 * file ({@link ParquetTypes}); {@link #start} may widen them (an integer to i64 or f64, f32 to
 * f64, a date to a timestamp) or read text as symbols instead of strings, and refuses
 * conversions that could lose values. Parquet values are typed, so a Parquet file has no bad rows;
 * its "lines" are row numbers from 1.
 */
public final class ParquetSource implements ChunkSource {
    private final String file;
    private final int chunkRows;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final List<ColumnDescriptor> columns;
    private final List<String> names = new ArrayList<>();
    private final List<RayType> fileTypes = new ArrayList<>();
    private final long size;
    private final long totalRows;
    private List<RayType> types;
    private PageReadStore group;
    private List<ColumnReader> readers;
    private long groupLeft;
    private long rowsRead;

    public ParquetSource(Path path, String file, int chunkRows) throws IOException {
        this.file = file;
        this.chunkRows = chunkRows;
        this.size = Files.size(path);
        this.reader = ParquetFileReader.open(new LocalInputFile(path),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
        try {
            this.schema = reader.getFooter().getFileMetaData().getSchema();
            this.totalRows = reader.getRecordCount();
            for (Type t : schema.getFields()) {
                if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
                    throw new IOException(file + ": column " + t.getName() + " is nested or repeated; only flat columns can be loaded");
                }
                names.add(t.getName());
                fileTypes.add(ParquetTypes.rayType(t.asPrimitiveType(), file));
            }
            this.columns = schema.getColumns();
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public List<String> columnNames() {
        return List.copyOf(names);
    }

    @Override
    public List<RayType> fileTypes() {
        return List.copyOf(fileTypes);
    }

    @Override
    public void start(List<RayType> wanted) {
        if (wanted.size() != names.size()) {
            throw new IllegalArgumentException(file + ": " + wanted.size() + " column types for " + names.size() + " columns");
        }
        for (int i = 0; i < wanted.size(); i++) {
            if (!ParquetTypes.canRead(fileTypes.get(i), wanted.get(i))) {
                throw new IllegalArgumentException(file + ": column " + names.get(i) + " holds " + fileTypes.get(i).rayfallName()
                        + " values, which cannot be read as " + wanted.get(i).rayfallName() + " without losing some");
            }
        }
        this.types = List.copyOf(wanted);
    }

    @Override
    public Chunk next() throws IOException {
        if (types == null) {
            throw new IllegalStateException("start() first");
        }
        while (groupLeft == 0) {
            group = reader.readNextRowGroup();
            if (group == null) {
                return null;
            }
            groupLeft = group.getRowCount();
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(group, new GroupRecordConverter(schema).getRootConverter(), schema,
                    reader.getFooter().getFileMetaData().getCreatedBy());
            readers = new ArrayList<>();
            for (ColumnDescriptor c : columns) {
                readers.add(store.getColumnReader(c));
            }
        }
        int n = (int) Math.min(chunkRows, groupLeft);
        List<Vector> cols = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            cols.add(read(readers.get(c), columns.get(c), types.get(c), n));
        }
        long first = rowsRead + 1;
        rowsRead += n;
        groupLeft -= n;
        return new Chunk(RayTable.of(names, cols), first, rowsRead, List.of());
    }

    @Override
    public long bytesTotal() {
        return size;
    }

    @Override
    public long bytesRead() {
        return totalRows == 0 ? size : (long) ((double) rowsRead / totalRows * size);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    // -----------------------------------------------------------------------------------------

    /** Reads {@code n} values of one column as {@code type}; a value the file lacks (an optional column's null) is the type's null. */
    private static Vector read(ColumnReader r, ColumnDescriptor c, RayType type, int n) {
        PrimitiveType p = c.getPrimitiveType();
        int maxDef = c.getMaxDefinitionLevel();
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        switch (type) {
            case I64, TIMESTAMP -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++, r.consume()) {
                    v[i] = r.getCurrentDefinitionLevel() < maxDef ? Nulls.I64 : type == RayType.TIMESTAMP
                            ? ParquetTypes.timestampNanos(r, p) : ParquetTypes.integer(r, p);
                }
                return type == RayType.I64 ? new I64Vector(v) : new TimestampVector(v);
            }
            case I32, DATE, TIME -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++, r.consume()) {
                    v[i] = r.getCurrentDefinitionLevel() < maxDef ? Nulls.I32 : type == RayType.TIME
                            ? ParquetTypes.timeMillis(r, p) : type == RayType.DATE ? r.getInteger() - Temporals.EPOCH_DAYS
                            : (int) ParquetTypes.integer(r, p);
                }
                return type == RayType.I32 ? new I32Vector(v) : type == RayType.DATE ? new DateVector(v) : new TimeVector(v);
            }
            case I16 -> {
                short[] v = new short[n];
                for (int i = 0; i < n; i++, r.consume()) {
                    v[i] = r.getCurrentDefinitionLevel() < maxDef ? Nulls.I16 : (short) ParquetTypes.integer(r, p);
                }
                return new I16Vector(v);
            }
            case U8 -> {
                byte[] v = new byte[n];
                for (int i = 0; i < n; i++, r.consume()) {
                    v[i] = r.getCurrentDefinitionLevel() < maxDef ? 0 : (byte) ParquetTypes.integer(r, p);
                }
                return new U8Vector(v);
            }
            case F64, F32 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++, r.consume()) {
                    v[i] = r.getCurrentDefinitionLevel() < maxDef ? Double.NaN : ParquetTypes.real(r, p, logical);
                }
                if (type == RayType.F64) {
                    return new F64Vector(v);
                }
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) v[i];
                }
                return new F32Vector(f);
            }
            case B8 -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++, r.consume()) {
                    v[i] = r.getCurrentDefinitionLevel() == maxDef && r.getBoolean();
                }
                return new BoolVector(v);
            }
            case GUID -> {
                long[] v = new long[2 * n];
                for (int i = 0; i < n; i++, r.consume()) {
                    if (r.getCurrentDefinitionLevel() == maxDef) {
                        ByteBuffer b = r.getBinary().toByteBuffer().order(ByteOrder.BIG_ENDIAN);
                        v[2 * i] = b.getLong();
                        v[2 * i + 1] = b.getLong();
                    }
                }
                return new GuidVector(v);
            }
            case SYMBOL, STRING -> {
                String[] v = new String[n];
                Map<Binary, String> seen = type == RayType.SYMBOL ? new HashMap<>() : null;
                for (int i = 0; i < n; i++, r.consume()) {
                    if (r.getCurrentDefinitionLevel() < maxDef) {
                        v[i] = "";
                    } else if (seen == null) {
                        v[i] = r.getBinary().toStringUsingUTF8();
                    } else {
                        Binary b = r.getBinary();
                        String s = seen.get(b);
                        if (s == null) {
                            s = b.toStringUsingUTF8();
                            if (seen.size() < SymbolTable.MAX) {
                                seen.put(b.copy(), s);
                            }
                        }
                        v[i] = s;
                    }
                }
                return type == RayType.SYMBOL ? new SymbolVector(v) : new StringVector(v);
            }
            default -> throw new IllegalArgumentException("cannot read a column as " + type.rayfallName());
        }
    }
}
