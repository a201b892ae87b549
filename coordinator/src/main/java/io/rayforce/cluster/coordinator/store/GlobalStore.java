package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster's globals in ZooKeeper: every value a client binds with {@code set} that is not a
 * table (tables are cluster tables) lives in its own small znode {@code /globals/bNN/<name>}
 * ({@link ZkPaths#global}), spread over {@link ZkPaths#GLOBAL_BUCKETS} buckets, holding a format
 * byte and the value as the engine serializes it. A value is at most {@link #MAX_VALUE_BYTES},
 * far under ZooKeeper's 1 MB limit on a znode. Znodes get the cluster's ACLs like all its
 * metadata (the connection's ACL provider).
 *
 * <p>Writes are acknowledged once ZooKeeper committed them. {@link #stats} syncs this session
 * with the ZooKeeper leader first, so what it answers includes every write acknowledged before
 * the call, from any router: a router's cache ({@link GlobalCache}) is checked against it.
 */
public final class GlobalStore {
    /** The largest value one global may hold on the wire (the znode adds one format byte). */
    public static final int MAX_VALUE_BYTES = 512 * 1024;
    /** The first byte of a global's znode: the layout of what follows (the engine's wire bytes). */
    static final byte FORMAT = 1;

    private final CuratorFramework curator;
    private final Duration timeout;

    /** A global as stored: its value's wire bytes, and the transaction ids that created and last changed it. */
    public record Stored(String name, byte[] value, long created, long modified) {
    }

    /** A global's name and the transaction that created it (its place in definition order). */
    public record Listed(String name, long created) {
    }

    public GlobalStore(CuratorFramework curator, Duration timeout) {
        this.curator = curator;
        this.timeout = timeout;
    }

    public GlobalStore(CuratorFramework curator) {
        this(curator, Duration.ofSeconds(10));
    }

    CuratorFramework curator() {
        return curator;
    }

    /**
     * Binds {@code name} to {@code value} (wire bytes), creating the global or replacing its value
     * (a replaced global keeps its place in definition order, as on one server).
     */
    public void put(String name, byte[] value) {
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("global " + name + " needs " + value.length + " bytes; at most "
                    + MAX_VALUE_BYTES + " are kept per global");
        }
        byte[] data = new byte[value.length + 1];
        data[0] = FORMAT;
        System.arraycopy(value, 0, data, 1, value.length);
        String path = ZkPaths.global(name);
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    curator.setData().forPath(path, data);
                    return;
                } catch (KeeperException.NoNodeException e) {
                    try {
                        curator.create().creatingParentsIfNeeded().forPath(path, data);
                        return;
                    } catch (KeeperException.NodeExistsException again) {
                        if (attempt > 10) {
                            throw again;
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw failed("set global " + name, e);
        }
    }

    /** Removes global {@code name}; false when there was none. */
    public boolean delete(String name) {
        try {
            curator.delete().forPath(ZkPaths.global(name));
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw failed("delete global " + name, e);
        }
    }

    /** Global {@code name} as ZooKeeper holds it after a sync, or empty when there is none. */
    public Optional<Stored> read(String name) {
        sync();
        return Optional.ofNullable(await(data(name), "read global " + name));
    }

    /**
     * For each of {@code names}, the stat of its znode as ZooKeeper holds it after every write
     * acknowledged before this call (null for a name that is no global), in one sync and one
     * round of pipelined requests.
     */
    public Map<String, Stat> stats(Collection<String> names) {
        sync();
        Map<String, CompletableFuture<Stat>> pending = new LinkedHashMap<>();
        for (String n : names) {
            pending.put(n, exists(ZkPaths.global(n)));
        }
        Map<String, Stat> out = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Stat>> e : pending.entrySet()) {
            out.put(e.getKey(), await(e.getValue(), "look up global " + e.getKey()));
        }
        return out;
    }

    /** Every global's name in definition order (the order their znodes were created), after a sync. */
    public List<Listed> list() {
        sync();
        List<String> buckets = await(children(ZkPaths.GLOBALS), "list the globals");
        List<CompletableFuture<List<String>>> names = new ArrayList<>();
        for (String b : buckets) {
            names.add(children(ZkPaths.GLOBALS + "/" + b));
        }
        Map<String, CompletableFuture<Stat>> stats = new LinkedHashMap<>();
        for (int i = 0; i < buckets.size(); i++) {
            for (String child : await(names.get(i), "list the globals")) {
                stats.put(ZkPaths.unescapeName(child), exists(ZkPaths.GLOBALS + "/" + buckets.get(i) + "/" + child));
            }
        }
        List<Listed> out = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Stat>> e : stats.entrySet()) {
            Stat s = await(e.getValue(), "list the globals");
            if (s != null) {
                out.add(new Listed(e.getKey(), s.getCzxid()));
            }
        }
        out.sort(Comparator.comparingLong(Listed::created));
        return out;
    }

    /** Brings this session's view up to the ZooKeeper leader's (every committed write). */
    void sync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            curator.sync().inBackground((c, e) -> done.complete(null)).forPath("/");
        } catch (Exception e) {
            throw failed("sync with ZooKeeper", e);
        }
        await(done, "sync with ZooKeeper");
    }

    /** The global's data and stat, or null when it does not exist. */
    CompletableFuture<Stored> data(String name) {
        CompletableFuture<Stored> f = new CompletableFuture<>();
        String path = ZkPaths.global(name);
        try {
            curator.getData().inBackground((c, e) -> {
                if (e.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    f.complete(null);
                } else if (ok(e, path, f)) {
                    f.complete(decode(name, e.getData(), e.getStat()));
                }
            }).forPath(path);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** A stored global from its znode's data and stat. */
    static Stored decode(String name, byte[] data, Stat stat) {
        if (data == null || data.length == 0 || data[0] != FORMAT) {
            throw new CorruptMetadataException("global " + name + " has an unknown layout in ZooKeeper", null);
        }
        return new Stored(name, Arrays.copyOfRange(data, 1, data.length), stat.getCzxid(), stat.getMzxid());
    }

    private CompletableFuture<Stat> exists(String path) {
        CompletableFuture<Stat> f = new CompletableFuture<>();
        try {
            curator.checkExists().inBackground((c, e) -> {
                if (e.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    f.complete(null);
                } else if (ok(e, path, f)) {
                    f.complete(e.getStat());
                }
            }).forPath(path);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private CompletableFuture<List<String>> children(String path) {
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        try {
            curator.getChildren().inBackground((c, e) -> {
                if (e.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    f.complete(List.of());
                } else if (ok(e, path, f)) {
                    f.complete(e.getChildren());
                }
            }).forPath(path);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private static boolean ok(CuratorEvent e, String path, CompletableFuture<?> f) {
        if (e.getResultCode() == KeeperException.Code.OK.intValue()) {
            return true;
        }
        f.completeExceptionally(KeeperException.create(KeeperException.Code.get(e.getResultCode()), path));
        return false;
    }

    <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZooKeeperUnavailableException("interrupted while trying to " + what, e);
        } catch (TimeoutException e) {
            throw new ZooKeeperUnavailableException("could not " + what + " within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw failed(what, e.getCause());
        }
    }

    private static RuntimeException failed(String what, Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        return new ZooKeeperUnavailableException("could not " + what + " in ZooKeeper: " + e.getMessage(), e);
    }
}
