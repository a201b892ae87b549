package io.rayforce.cluster.node.shard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress of a node's shard copies (repairs, moves, new replicas), as meters tagged with the
 * node: {@code rfc.shard.copy.rows} and {@code rfc.shard.copy.bytes} (copied, so their rate is
 * the copy speed), {@code rfc.shard.copies.active} and {@code rfc.shard.copy.remaining.rows}
 * (rows the copies under way still have to copy).
 */
public final class ShardCopies implements AutoCloseable {
    /** Counts nothing: for copiers outside a node agent (tests). */
    public static final ShardCopies NONE = new ShardCopies();

    private final MeterRegistry registry;
    private final Counter rows;
    private final Counter bytes;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong remaining = new AtomicLong();
    private final List<Meter> meters;

    private ShardCopies() {
        registry = null;
        rows = null;
        bytes = null;
        meters = List.of();
    }

    public ShardCopies(MeterRegistry registry, String nodeId) {
        this.registry = registry;
        rows = Counter.builder("rfc.shard.copy.rows").tag("node", nodeId).description("rows copied into this node's shards")
                .register(registry);
        bytes = Counter.builder("rfc.shard.copy.bytes").tag("node", nodeId).baseUnit("bytes")
                .description("bytes (serialized) copied into this node's shards").register(registry);
        meters = List.of(rows, bytes,
                Gauge.builder("rfc.shard.copies.active", active, AtomicInteger::get).tag("node", nodeId)
                        .description("shard copies under way on this node").register(registry),
                Gauge.builder("rfc.shard.copy.remaining.rows", remaining, AtomicLong::get).tag("node", nodeId)
                        .description("rows the copies under way still have to copy").register(registry));
    }

    /** One copy of {@code total} rows under way. */
    public final class Copy implements AutoCloseable {
        private long left;

        private Copy(long total) {
            left = total;
            active.incrementAndGet();
            remaining.addAndGet(total);
        }

        /** A page of {@code n} rows, {@code size} bytes, was written. */
        public void copied(long n, long size) {
            if (registry == null) {
                return;
            }
            rows.increment(n);
            bytes.increment(size);
            long done = Math.min(n, left);
            left -= done;
            remaining.addAndGet(-done);
        }

        /** The copy ended (done or failed). */
        @Override
        public void close() {
            remaining.addAndGet(-left);
            left = 0;
            active.decrementAndGet();
        }
    }

    /** A copy of {@code totalRows} rows begins. */
    public Copy begin(long totalRows) {
        return new Copy(totalRows);
    }

    @Override
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
    }
}
