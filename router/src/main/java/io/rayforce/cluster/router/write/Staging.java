package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;

/**
 * The engine requests of a copy-on-write (docs/router.md): each replica builds the shard's new
 * table in a staging global {@code t__s__w<n>} beside the shard global {@code t__s}, then swaps it
 * in with one request. Every request is idempotent where recovery repeats it: swapping a staging
 * global that is gone (already swapped) and dropping one that is gone do nothing.
 */
final class Staging {
    private Staging() {
    }

    /** The staging global of {@code shard} for an intent's suffix ({@code __w<n>}). */
    static String global(String table, int shard, String suffix) {
        if (suffix.isEmpty()) {
            // the name would be the shard global itself, and dropping "staging" would drop the shard
            throw new IllegalArgumentException("no staging suffix for shard " + shard + " of table " + table);
        }
        return ClusterNaming.shardGlobal(table, shard) + suffix;
    }

    /** {@code (count (set 'staging value))}: stores a new table, answering only its row count. */
    static RayValue stage(String staging, RayValue value) {
        return InsertWriter.countOf(RayList.of(Name.of("set"), Symbol.of(staging), value));
    }

    /**
     * {@code (if (== (type (resolve 'W)) 'TABLE) (do (set 'S W) (del 'W) 1) 0)}: the staging table
     * becomes the shard (O(1): the data is shared, not copied) and its name is removed, in one
     * request; answers 1, or 0 when there is no staging table (already swapped).
     */
    static RayValue swap(String shardGlobal, String staging) {
        RayValue exists = RayList.of(Name.of("=="), RayList.of(Name.of("type"), RayList.of(Name.of("resolve"),
                Symbol.of(staging))), Symbol.of("TABLE"));
        RayValue swap = RayList.of(Name.of("do"), RayList.of(Name.of("set"), Symbol.of(shardGlobal), Name.of(staging)),
                drop(staging), I64Atom.of(1));
        return RayList.of(Name.of("if"), exists, swap, I64Atom.of(0));
    }

    /** {@code (del 'W)}: removes the staging global (0 also when there is none). */
    static RayValue drop(String staging) {
        return RayList.of(Name.of("del"), Symbol.of(staging));
    }
}
