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
 * its "lines" are row numbers from 1. A file of several row groups is read by several threads
 * at once, a row group each ({@link OrderedChunks}), and handed on in file order.
 */
public final class ParquetSource implements ChunkSource {
    private final Path path;
    private final String file;
    private final int chunkRows;
    private final int parsers;
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
    /** The row groups read by several threads ({@link OrderedChunks}), once the first chunk is asked for. */
    private OrderedChunks groups;
    /** Rows before each row group, and (last) all of them. */
    private long[] rowsBefore;

    public ParquetSource(Path path, String file, int chunkRows) throws IOException {
        this(path, file, chunkRows, OrderedChunks.defaultThreads());
    }

    /** @param parsers threads that read row groups at once (a file of one row group is read by one) */
    public ParquetSource(Path path, String file, int chunkRows, int parsers) throws IOException {
        if (parsers < 1) {
            throw new IllegalArgumentException("parsers must be at least 1, got " + parsers);
        }
        this.path = path;
        this.file = file;
        this.chunkRows = chunkRows;
        this.parsers = parsers;
        this.size = Files.size(path);
        this.reader = open(path);
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
        int count = reader.getRowGroups().size();
        if (parsers > 1 && count > 1) {
            if (groups == null) {
                rowsBefore = new long[count + 1];
                for (int g = 0; g < count; g++) {
                    rowsBefore[g + 1] = rowsBefore[g] + reader.getRowGroups().get(g).getRowCount();
                }
                groups = new OrderedChunks(file, count, parsers, p -> new GroupReader());
            }
            return groups.next();
        }
        while (groupLeft == 0) {
            group = reader.readNextRowGroup();
            if (group == null) {
                return null;
            }
            groupLeft = group.getRowCount();
            readers = readers(reader, group);
        }
        int n = (int) Math.min(chunkRows, groupLeft);
        Chunk c = chunk(readers, n, rowsRead);
        rowsRead += n;
        groupLeft -= n;
        return c;
    }

    /** Apache Parquet's reader on a local file, with no Hadoop file system. */
    private static ParquetFileReader open(Path path) throws IOException {
        return ParquetFileReader.open(new LocalInputFile(path), ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    }

    /** A reader of each column of a row group. */
    private List<ColumnReader> readers(ParquetFileReader from, PageReadStore rowGroup) {
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(rowGroup, new GroupRecordConverter(schema).getRootConverter(), schema,
                from.getFooter().getFileMetaData().getCreatedBy());
        List<ColumnReader> out = new ArrayList<>();
        for (ColumnDescriptor c : columns) {
            out.add(store.getColumnReader(c));
        }
        return out;
    }

    /** The next {@code n} rows of the column readers, the file's rows {@code before + 1} on. */
    private Chunk chunk(List<ColumnReader> from, int n, long before) {
        List<Vector> cols = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            cols.add(read(from.get(c), columns.get(c), types.get(c), n));
        }
        return new Chunk(RayTable.of(names, cols), before + 1, before + n, List.of());
    }

    /** One thread's reader of whole row groups: its own handle on the file. */
    private final class GroupReader implements OrderedChunks.UnitReader {
        private final ParquetFileReader own;

        GroupReader() {
            try {
                own = open(path);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void read(int g, OrderedChunks.ChunkSink out) throws IOException, InterruptedException {
            PageReadStore rowGroup = own.readRowGroup(g);
            List<ColumnReader> rs = readers(own, rowGroup);
            long left = rowGroup.getRowCount();
            long before = rowsBefore[g];
            while (left > 0) {
                int n = (int) Math.min(chunkRows, left);
                out.put(chunk(rs, n, before));
                before += n;
                left -= n;
            }
        }

        @Override
        public void close() throws IOException {
            own.close();
        }
    }

    /** The file's row groups. */
    public int rowGroups() {
        return reader.getRowGroups().size();
    }

    @Override
    public long bytesTotal() {
        return size;
    }

    @Override
    public long bytesRead() {
        long done = groups != null ? rowsBefore[groups.unitsDone()] : rowsRead;
        return totalRows == 0 ? size : (long) ((double) done / totalRows * size);
    }

    @Override
    public void close() throws IOException {
        if (groups != null) {
            groups.close();
        }
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
