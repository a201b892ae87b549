package io.rayforce.cluster.node.shard;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.engine.LocalEngine;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one shard from another node's engine into this node's engine, node to node over IPC,
 * driven by the agent (engines never call each other: a journaled {@code .ipc.send} would dial
 * the peer again on every replay, and {@code .ipc.send} has no reply timeout).
 *
 * <ol>
 *   <li>Check that the source holds the shard with the table's schema ({@link ShardNotFoundException},
 *       {@link SchemaMismatchException}).</li>
 *   <li>Measure the serialized size of a sample of rows to size pages at about
 *       {@link #targetPageBytes} (the engine refuses requests over 256 MiB).</li>
 *   <li>Read the source page by page with {@code (select {from: t__s take: [start n]})} and write
 *       each page into the staging global {@code t__s__copy} with sync requests carrying the
 *       page as a value ({@code set} for the first, {@code insert} after), so the local journal
 *       holds the rows themselves. A page that serializes larger than {@link #MAX_WRITE_BYTES} is
 *       split before it is written.</li>
 *   <li>Verify: the staging table's row count and the sum of its {@code __seq} must equal both
 *       what was read and what the source holds now; otherwise the staging table is deleted and
 *       the copy fails ({@link ShardCopyException}).</li>
 *   <li>Rename in one request ({@code (set t__s t__s__copy) (del t__s__copy)}, O(1)): the shard
 *       is replaced whole or not at all.</li>
 * </ol>
 *
 * The caller holds the shard's write lock for the whole copy, so no write changes the source
 * meanwhile.
 */
public final class ShardCopier {
    private static final Logger log = LoggerFactory.getLogger(ShardCopier.class);
    /** Largest serialized page written in one request: well under the engine's 256 MiB request cap. */
    static final long MAX_WRITE_BYTES = 192L * 1024 * 1024;
    private static final int SAMPLE_ROWS = 1000;

    private final LocalEngine local;
    private final long targetPageBytes;
    private final long maxWriteBytes;
    private final Duration requestTimeout;
    private final ShardCopies progress;

    /**
     * @param targetPageBytes the serialized size a page aims at (e.g. 64 MiB)
     * @param requestTimeout  how long one read from the source may take
     */
    public ShardCopier(LocalEngine local, long targetPageBytes, Duration requestTimeout) {
        this(local, targetPageBytes, requestTimeout, ShardCopies.NONE);
    }

    /** As above, counting the copies' progress in {@code progress}. */
    public ShardCopier(LocalEngine local, long targetPageBytes, Duration requestTimeout, ShardCopies progress) {
        this(local, targetPageBytes, MAX_WRITE_BYTES, requestTimeout, progress);
    }

    /** With another write limit (tests use a small one to exercise page splitting). */
    ShardCopier(LocalEngine local, long targetPageBytes, long maxWriteBytes, Duration requestTimeout) {
        this(local, targetPageBytes, maxWriteBytes, requestTimeout, ShardCopies.NONE);
    }

    private ShardCopier(LocalEngine local, long targetPageBytes, long maxWriteBytes, Duration requestTimeout,
                        ShardCopies progress) {
        if (targetPageBytes < 1 || targetPageBytes > MAX_WRITE_BYTES) {
            throw new IllegalArgumentException("target page bytes must be 1.." + MAX_WRITE_BYTES + ", got " + targetPageBytes);
        }
        if (maxWriteBytes < 1 || maxWriteBytes > MAX_WRITE_BYTES) {
            throw new IllegalArgumentException("max write bytes must be 1.." + MAX_WRITE_BYTES + ", got " + maxWriteBytes);
        }
        this.local = local;
        this.targetPageBytes = targetPageBytes;
        this.maxWriteBytes = maxWriteBytes;
        this.requestTimeout = requestTimeout;
        this.progress = progress;
    }

    /** Copies shard {@code shard} of {@code spec} from the engine at sourceHost:sourcePort (which has no password). */
    public ShardInfo copy(TableSpec spec, int shard, String sourceHost, int sourcePort) {
        return copy(spec, shard, sourceHost, sourcePort, null);
    }

    /**
     * Copies shard {@code shard} of {@code spec} from the engine at sourceHost:sourcePort.
     *
     * @param sourcePassword the source engine's password (derived from the cluster secret), or null for none
     */
    public ShardInfo copy(TableSpec spec, int shard, String sourceHost, int sourcePort, String sourcePassword) {
        return copyCounting(spec, shard, sourceHost, sourcePort, sourcePassword).info();
    }

    /** What a copy did: the shard as copied, the pages read and the write requests sent. */
    record Result(ShardInfo info, int pages, int writes) {
    }

    Result copyCounting(TableSpec spec, int shard, String sourceHost, int sourcePort) {
        return copyCounting(spec, shard, sourceHost, sourcePort, null);
    }

    Result copyCounting(TableSpec spec, int shard, String sourceHost, int sourcePort, String sourcePassword) {
        ShardStore.checkShard(shard);
        ShardSchema schema = ShardSchema.of(spec);
        if (sourceHost == null || sourceHost.isBlank() || sourcePort < 1 || sourcePort > 65535) {
            throw new IllegalArgumentException("invalid copy source " + sourceHost + ":" + sourcePort);
        }
        String global = ClusterNaming.shardGlobal(spec.getName(), shard);
        String staging = ShardStore.stagingGlobal(spec.getName(), shard);
        String source = sourceHost + ":" + sourcePort;
        long t0 = System.nanoTime();
        try (TCPClient src = openSource(sourceHost, sourcePort, sourcePassword, schema, global, "copy")) {
            long rows = EngineTables.count(src, global);
            long pageRows = pageRows(src, global, rows);
            TCPClient dst = local.client();
            long written = 0;
            long seqSum = 0;
            int pages = 0;
            int[] writes = {0};
            try (ShardCopies.Copy copy = progress.begin(rows)) {
                for (long start = 0; start < rows || start == 0; start += pageRows) {
                    RayTable page = (RayTable) src.executeReadOnly("(select {from: " + global + " take: [" + start + " " + pageRows + "]})");
                    seqSum += seqSum(page);
                    written += write(dst, staging, page, start == 0, writes);
                    copy.copied(page.rowCount(), ValueWriter.sizeOf(page));
                    pages++;
                    if (page.rowCount() == 0) {
                        break;
                    }
                }
                verify(src, dst, global, staging, source, rows, written, seqSum);
                dst.execute("(set " + global + " " + staging + ") (del " + staging + ") "
                        + leaseState(src, spec.getName(), shard) + " 0");
            } catch (RuntimeException e) {
                dropQuietly(staging);
                throw e;
            }
            long bytes = ((I64Atom) dst.executeReadOnly("(.mem.objsize " + global + ")")).value();
            log.info("copied shard {} from {}: {} rows in {} page(s) of up to {} rows, {} ms", global, source, rows, pages,
                    pageRows, (System.nanoTime() - t0) / 1_000_000);
            return new Result(ShardInfo.newBuilder().setTable(spec.getName()).setShard(shard).setGlobalName(global)
                    .setRows(rows).setBytes(bytes).build(), pages, writes[0]);
        } catch (RayforceError e) {
            throw new ShardCopyException("copy of shard " + global + " from " + source + " failed: " + e.getMessage(), false, e);
        }
    }

    /**
     * The statements that give the copy the source's write lease state (docs/router.md, Write
     * leases), run with the rename: the source's record {@code t__s__a} and an empty pending table,
     * or neither when the source has no record. Whatever an earlier replica on this node left there
     * goes: a recovery of a lease the copy outlived would otherwise commit that replica's pending
     * rows into a copy that already holds them. Rows pending on the source are not copied; when
     * recovery commits them there, this copy has fewer rows and is reported STALE. No lease writes
     * the shard meanwhile (the caller holds its lock).
     */
    private static String leaseState(TCPClient src, String table, int shard) {
        String record = ClusterNaming.recordGlobal(table, shard);
        String pending = ClusterNaming.pendingGlobal(table, shard);
        RayValue r = src.executeReadOnly("(if (== (type (resolve '" + record + ")) 'null) 0 " + record + ")");
        if (r instanceof I64Vector v) {
            return "(set " + record + " ["
                    + Arrays.stream(v.toArray()).mapToObj(Long::toString).collect(Collectors.joining(" "))
                    + "]) (set " + pending + " (take "
                    + ClusterNaming.shardGlobal(table, shard) + " 0))";
        }
        return ShardStore.deleteIfBound(record) + " " + ShardStore.deleteIfBound(pending);
    }

    /**
     * Resharding: fills the staging global {@code t__<newShard>__split} with the rows of old shard
     * {@code newShard % spec.shard_count} on the source engine whose shard key the new shard count
     * sends to {@code newShard} ({@link ShardFunction}), page by page as a copy reads, keeping their
     * order (so {@code __seq} order) and their {@code __seq}. The staging global is replaced whole
     * when this starts again. The caller checks afterwards that no write changed the table meanwhile
     * (docs/architecture.md, Resharding), so this takes no lock.
     *
     * @param sourcePassword the source engine's password, or null for none
     * @return the staging table: its rows and bytes
     */
    public ShardInfo split(TableSpec spec, int newShardCount, int newShard, String sourceHost, int sourcePort, String sourcePassword) {
        int oldCount = spec.getShardCount();
        if (spec.getReplicatedToAll() || spec.getShardKey().isEmpty() || oldCount < 1 || newShardCount <= oldCount
                || newShardCount % oldCount != 0 || newShard < 0 || newShard >= newShardCount) {
            throw new IllegalArgumentException("cannot split " + spec.getName() + " of " + oldCount + " shards into shard " + newShard
                    + " of " + newShardCount + ": the new count must be a larger multiple of the old one");
        }
        ShardSchema schema = ShardSchema.of(spec);
        int oldShard = newShard % oldCount;
        String global = ClusterNaming.shardGlobal(spec.getName(), oldShard);
        String staging = ClusterNaming.splitGlobal(spec.getName(), newShard);
        String source = sourceHost + ":" + sourcePort;
        long t0 = System.nanoTime();
        try (TCPClient src = openSource(sourceHost, sourcePort, sourcePassword, schema, global, "split")) {
            long rows = EngineTables.count(src, global);
            long pageRows = pageRows(src, global, rows);
            TCPClient dst = local.client();
            long kept = 0;
            int[] writes = {0};
            try {
                // an empty table of the shard's columns first, so a new shard that gets no row still has its table
                dst.execute("(set " + staging + " " + schema.emptyTableExpression() + ") 0");
                for (long start = 0; start < rows; start += pageRows) {
                    RayTable page = (RayTable) src.executeReadOnly("(select {from: " + global + " take: [" + start + " " + pageRows + "]})");
                    if (page.rowCount() == 0) {
                        break;
                    }
                    int[] to = ShardFunction.shardsOf(page.column(spec.getShardKey()), newShardCount);
                    int[] mine = java.util.stream.IntStream.range(0, to.length).filter(i -> to[i] == newShard).toArray();
                    if (mine.length > 0) {
                        kept += write(dst, staging, mine.length == to.length ? page : page.gather(mine), false, writes);
                    }
                }
                long have = EngineTables.count(dst, staging);
                if (have != kept) {
                    throw new ShardCopyException("split of " + global + " into " + staging + " did not verify: " + kept
                            + " rows were written, the staging table holds " + have, false, null);
                }
            } catch (RuntimeException e) {
                dropQuietly(staging);
                throw e;
            }
            log.info("split {} from {}: {} of {} rows into {}, {} ms", global, source, kept, rows, staging,
                    (System.nanoTime() - t0) / 1_000_000);
            return ShardInfo.newBuilder().setTable(spec.getName()).setShard(newShard).setGlobalName(staging).setRows(kept).build();
        } catch (RayforceError e) {
            throw new ShardCopyException("split of shard " + global + " from " + source + " failed: " + e.getMessage(), false, e);
        }
    }

    /**
     * Swaps a reshard's staging global in as the shard global in one request; answers the shard's
     * rows, or -1 when there is no staging global (already swapped, or never filled).
     */
    public long swapSplit(String table, int shard) {
        String global = ClusterNaming.shardGlobal(table, shard);
        String staging = ClusterNaming.splitGlobal(table, shard);
        TCPClient dst = local.client();
        if (EngineTables.columns(dst, staging).isEmpty()) {
            return -1;
        }
        dst.execute("(set " + global + " " + staging + ") (del " + staging + ") 0");
        return EngineTables.count(dst, global);
    }

    /** Deletes a reshard's staging global, if there is one. */
    public void discardSplit(String table, int shard) {
        String staging = ClusterNaming.splitGlobal(table, shard);
        if (EngineTables.columns(local.client(), staging).isPresent()) {
            local.client().execute("(del " + staging + ") 0");
        }
    }

    /** A connection to the source engine, checked to hold {@code global} with the table's columns. */
    private TCPClient openSource(String host, int port, String password, ShardSchema schema, String global, String what) {
        ClientOptions options = ClientOptions.DEFAULT.withRequestTimeout(requestTimeout)
                .withMaxFrameBytes((int) Math.min(Integer.MAX_VALUE - 1024, 4 * MAX_WRITE_BYTES));
        if (password != null) {
            options = options.withCredentials(EngineSupervisor.ENGINE_USER, password);
        }
        String source = host + ":" + port;
        TCPClient src;
        try {
            src = new TCPClient(host, port, options);
        } catch (RayforceError e) {
            throw new ShardCopyException("cannot reach the " + what + " source " + source + ": " + e.getMessage(), true, e);
        }
        try {
            EngineTables.Columns cols = EngineTables.columns(src, global)
                    .orElseThrow(() -> new ShardNotFoundException("the " + what + " source " + source + " has no shard " + global));
            if (!schema.matches(cols.names(), cols.types())) {
                throw new SchemaMismatchException("shard " + global + " on the " + what + " source " + source + " has columns "
                        + cols + ", not " + ShardSchema.describe(schema.names(), schema.types()));
            }
            return src;
        } catch (RuntimeException e) {
            src.close();
            throw e;
        }
    }

    /** Rows per page so that a page serializes to about {@link #targetPageBytes}. */
    long pageRows(TCPClient src, String global, long rows) {
        if (rows == 0) {
            return 1;
        }
        long sample = Math.min(rows, SAMPLE_ROWS);
        long sampleBytes = ((I64Atom) src.executeReadOnly("(count (ser (select {from: " + global + " take: [0 " + sample + "]})))")).value();
        long perRow = Math.max(1, (sampleBytes + sample - 1) / sample);
        return Math.max(1, Math.min(rows, targetPageBytes / perRow));
    }

    /** Writes a page (split when it serializes too large); returns the rows written. */
    private long write(TCPClient dst, String staging, RayTable page, boolean first, int[] writes) {
        if (ValueWriter.sizeOf(page) > maxWriteBytes && page.rowCount() > 1) {
            int half = page.rowCount() / 2;
            long n = write(dst, staging, page.slice(0, half), first, writes);
            return n + write(dst, staging, page.slice(half, page.rowCount()), false, writes);
        }
        writes[0]++;
        RayValue request = first
                ? RayList.of(Name.of("count"), RayList.of(Name.of("set"), Symbol.of(staging), page))
                : RayList.of(Name.of("insert"), Symbol.of(staging), page);
        dst.execute(request);
        return page.rowCount();
    }

    private static long seqSum(RayTable page) {
        long sum = 0;
        for (long v : ((I64Vector) page.column(ClusterNaming.SEQ_COLUMN)).toArray()) {
            sum += v;
        }
        return sum;
    }

    private static void verify(TCPClient src, TCPClient dst, String global, String staging, String source, long rows,
                               long written, long seqSum) {
        long sourceRows = EngineTables.count(src, global);
        long localRows = EngineTables.count(dst, staging);
        long sourceSeq = EngineTables.sum(src, global, ClusterNaming.SEQ_COLUMN);
        long localSeq = EngineTables.sum(dst, staging, ClusterNaming.SEQ_COLUMN);
        if (sourceRows != rows || localRows != rows || written != rows) {
            throw new ShardCopyException("copy of shard " + global + " from " + source + " did not verify: source had "
                    + rows + " rows and has " + sourceRows + " now, " + written + " were written, the copy holds " + localRows);
        }
        if (sourceSeq != seqSum || localSeq != seqSum) {
            throw new ShardCopyException("copy of shard " + global + " from " + source + " did not verify: sum of "
                    + ClusterNaming.SEQ_COLUMN + " is " + sourceSeq + " on the source, " + seqSum + " as read and " + localSeq
                    + " in the copy");
        }
    }

    private void dropQuietly(String staging) {
        try {
            local.client().execute("(del " + staging + ")");
        } catch (RuntimeException e) {
            log.warn("could not drop the staging table {}: {}", staging, e.getMessage());
        }
    }
}
