package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Values a step computed from one table, kept for the next query that reads the same version of
 * it ({@link QueryContext#readVersion}): while a router holds a table's read lease no write to the
 * table can commit, so a value computed under one lease is exact for every read under it. Without a
 * version (no lease, e.g. a placement without ZooKeeper) nothing is kept. Bounded by the bytes
 * of the values it holds (their wire size, and the text of their keys), least recently used first out.
 */
public final class ReadCache {
    /** The default bound: 64 MiB. */
    public static final long DEFAULT_BYTES = 64L << 20;

    private record Key(String table, long version, String what) {
    }

    private record Entry(RayValue value, long bytes) {
    }

    /** A value of a table, whatever its version. */
    private record Slot(String table, String what) {
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** The version kept of each value. */
    private final Map<Slot, Long> kept = new HashMap<>();
    private long bytes;
    private long hits;
    private long misses;

    public ReadCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * {@code what} of {@code table} as this query reads it: the kept value when one was computed
     * under the same read version, else {@code compute}'s, kept when it fits.
     */
    public CompletableFuture<RayValue> get(QueryContext ctx, String table, String what, Supplier<CompletableFuture<RayValue>> compute) {
        Long version = ctx.readVersion(table);
        if (version == null || maxBytes <= 0) {
            return compute.get();
        }
        Key key = new Key(table, version, what);
        synchronized (this) {
            Entry e = entries.get(key);
            if (e != null) {
                hits++;
                return CompletableFuture.completedFuture(e.value);
            }
            misses++;
        }
        return compute.get().thenApply(v -> {
            put(key, v);
            return v;
        });
    }

    private synchronized void put(Key key, RayValue v) {
        long size = ValueWriter.sizeOf(v) + 2L * key.what.length(); // the key's text is kept too
        if (size > maxBytes / 4) {
            return;
        }
        // one version of a value is kept: an older one will not be read again
        Slot slot = new Slot(key.table, key.what);
        Long keptVersion = kept.get(slot);
        if (keptVersion != null && keptVersion > key.version) {
            return;
        }
        if (keptVersion != null && keptVersion < key.version) {
            Entry stale = entries.remove(new Key(key.table, keptVersion, key.what));
            bytes -= stale == null ? 0 : stale.bytes;
        }
        kept.put(slot, key.version);
        Entry old = entries.put(key, new Entry(v, size));
        bytes += size - (old == null ? 0 : old.bytes);
        var it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<Key, Entry> oldest = it.next();
            Key k = oldest.getKey();
            bytes -= oldest.getValue().bytes;
            it.remove();
            kept.remove(new Slot(k.table, k.what), k.version);
        }
    }

    /** Reads answered from the cache, and reads that computed. */
    public synchronized long[] stats() {
        return new long[] {hits, misses};
    }
}
