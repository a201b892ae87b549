package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Write intents in ZooKeeper (docs/architecture.md, Atomic visibility): {@code /writes/<table>/w-<n>}
 * (PERSISTENT_SEQUENTIAL, a {@link WriteIntent} as protobuf JSON) with an EPHEMERAL child
 * {@code owner} created by the writer's session. A writer records its intent before it touches a
 * shard and deletes it when the write is complete; an intent whose owner is gone is an orphan,
 * which whoever holds the table's write lock recovers. The writer's own changes of its intent
 * (commit, delete) check that its owner still exists, so a writer whose session ended (and whose
 * intent may be being recovered) cannot change it any more.
 */
public final class WriteIntents {
    private static final String PREFIX = "w-";

    private final CuratorFramework curator;

    public WriteIntents(CuratorFramework curator) {
        this.curator = curator;
    }

    /** An intent as stored: its table, znode name ({@code w-<n>}), data, whether its owner lives, and its data version. */
    public record Stored(String table, String name, WriteIntent intent, boolean owned, int version) {

        public String path() {
            return ZkPaths.writeIntent(table, name);
        }

        /** The {@code n} of {@code w-<n>}. */
        public long number() {
            return Long.parseLong(name.substring(PREFIX.length()));
        }

        Stored with(WriteIntent changed, int newVersion) {
            return new Stored(table, name, changed, owned, newVersion);
        }

        @Override
        public String toString() {
            return path() + " (" + intent.getStatement() + ", " + intent.getPhase() + (owned ? "" : ", orphan") + ")";
        }
    }

    /** The suffix of the staging globals of intent number {@code n}: {@code __w<n>}. */
    public static String stagingSuffix(long n) {
        return "__w" + n;
    }

    /**
     * Records an intent owned by this session: creates {@code w-<n>}, then (in one transaction)
     * its owner and its data with {@code staging_suffix} set from {@code n}.
     */
    public Stored create(WriteIntent intent) {
        String table = intent.getTable();
        String path;
        try {
            path = curator.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .forPath(ZkPaths.writes(table) + "/" + PREFIX, ProtoJson.write(intent));
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot record the write intent of table " + table + ": " + e.getMessage(), e);
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        Stored created = new Stored(table, name, intent, true, 0);
        WriteIntent full = intent.toBuilder().setStagingSuffix(stagingSuffix(created.number())).build();
        try {
            curator.transaction().forOperations(
                    curator.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(owner(path)),
                    curator.transactionOp().setData().withVersion(0).forPath(path, ProtoJson.write(full)));
            return created.with(full, 1);
        } catch (Exception e) {
            try {
                // guaranteed: retried in the background until it succeeds, so an owner the failed call did create
                // (the answer was lost, not the transaction) cannot keep the intent, and its table, blocked
                curator.delete().guaranteed().deletingChildrenIfNeeded().forPath(path);
            } catch (Exception ignored) {
                // until then an orphan without a staging suffix: recovery deletes it and touches no shard
            }
            throw new ZooKeeperUnavailableException("cannot record the write intent of table " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the intent's data (e.g. marks it COMMITTED) if this session still owns it and
     * nobody changed it.
     *
     * @throws IntentLostException when its owner or the intent is gone (the writer's session ended)
     */
    public Stored update(Stored s, WriteIntent changed) {
        try {
            curator.transaction().forOperations(
                    curator.transactionOp().check().forPath(owner(s.path())),
                    curator.transactionOp().setData().withVersion(s.version()).forPath(s.path(), ProtoJson.write(changed)));
            return s.with(changed, s.version() + 1);
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            throw new IntentLostException(s + " is no longer this writer's: " + e.getMessage());
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot update " + s + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the writer's own intent and its owner in one transaction: the write is complete.
     *
     * @throws IntentLostException when its owner or the intent is gone (the writer's session ended;
     *         recovery decides the write's outcome)
     */
    public void complete(Stored s) {
        try {
            curator.transaction().forOperations(
                    curator.transactionOp().delete().forPath(owner(s.path())),
                    curator.transactionOp().delete().forPath(s.path()));
        } catch (KeeperException.NoNodeException | KeeperException.NotEmptyException e) {
            throw new IntentLostException(s + " is no longer this writer's: " + e.getMessage());
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot delete " + s + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the owner: the intent becomes an orphan, which the next reader or writer of the table recovers. */
    public void abandon(Stored s) {
        deleteQuietly(owner(s.path()));
    }

    /** Deletes a recovered intent (and its owner, if any). Idempotent. */
    public void delete(Stored s) {
        try {
            curator.delete().deletingChildrenIfNeeded().forPath(s.path());
        } catch (KeeperException.NoNodeException e) {
            // already gone
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot delete " + s + ": " + e.getMessage(), e);
        }
    }

    /** Whether the table has any intent (one round trip). */
    public boolean any(String table) {
        try {
            return curator.getChildren().forPath(ZkPaths.writes(table)).stream().anyMatch(n -> n.startsWith(PREFIX));
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot read the write intents of table " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pins the table's intent folder (a container ZooKeeper would delete when empty) with an
     * ephemeral child of this session that is no intent, so {@link #writeMark} can compare: close
     * it to unpin.
     */
    public AutoCloseable pin(String table, String why) {
        String path;
        try {
            path = curator.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath(ZkPaths.writes(table) + "/pin-");
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot pin the write intents of table " + table + " (" + why + "): "
                    + e.getMessage(), e);
        }
        return () -> {
            try {
                curator.delete().forPath(path);
            } catch (KeeperException.NoNodeException e) {
                // the session ended
            }
        };
    }

    /**
     * A mark that changes whenever an intent of the table is recorded or deleted (the zxid of the
     * last change of the folder's children), so equal marks read while the folder is
     * {@link #pin pinned} mean no write began or ended in between: every write records an intent.
     */
    public long writeMark(String table) {
        try {
            Stat st = curator.checkExists().forPath(ZkPaths.writes(table));
            if (st == null) {
                throw new IllegalStateException("the write intents of table " + table + " are not pinned");
            }
            return st.getPzxid();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot read the write intents of table " + table + ": " + e.getMessage(), e);
        }
    }

    /** The table's intents in the order they were recorded. */
    public List<Stored> list(String table) {
        List<Stored> out = new ArrayList<>();
        try {
            List<String> names;
            try {
                names = new ArrayList<>(curator.getChildren().forPath(ZkPaths.writes(table)));
            } catch (KeeperException.NoNodeException e) {
                return out;
            }
            names.removeIf(n -> !n.startsWith(PREFIX));
            names.sort(null);
            for (String name : names) {
                String path = ZkPaths.writeIntent(table, name);
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = curator.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException e) {
                    continue; // completed meanwhile
                }
                boolean owned = curator.checkExists().forPath(owner(path)) != null;
                out.add(new Stored(table, name, ProtoJson.read(data, WriteIntent.newBuilder(), path), owned, stat.getVersion()));
            }
            return out;
        } catch (CorruptMetadataException e) {
            throw e;
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot read the write intents of table " + table + ": " + e.getMessage(), e);
        }
    }

    private static String owner(String intentPath) {
        return intentPath + "/" + ZkPaths.INTENT_OWNER;
    }

    private void deleteQuietly(String path) {
        try {
            // guaranteed: retried in the background while ZooKeeper is unreachable, so a live writer's abandoned
            // intent does not wait for its session to end before it can be recovered
            curator.delete().guaranteed().forPath(path);
        } catch (Exception e) {
            // gone already, or being retried
        }
    }
}
