package io.rayforce.cluster.coordinator.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;

/**
 * One ZooKeeper {@code multi}: operations applied all or none. When it fails,
 * {@link Failed#path()} names the operation that failed (ZooKeeper reports only an index).
 */
final class Transaction {
    private final CuratorFramework curator;
    private final List<CuratorOp> ops = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    Transaction(CuratorFramework curator) {
        this.curator = curator;
    }

    Transaction check(String path) throws Exception {
        return add(path, curator.transactionOp().check().forPath(path));
    }

    Transaction check(String path, int version) throws Exception {
        return add(path, curator.transactionOp().check().withVersion(version).forPath(path));
    }

    Transaction create(String path, byte[] data) throws Exception {
        return add(path, curator.transactionOp().create().forPath(path, data));
    }

    Transaction create(String path) throws Exception {
        return add(path, curator.transactionOp().create().forPath(path));
    }

    Transaction setData(String path, byte[] data) throws Exception {
        return add(path, curator.transactionOp().setData().forPath(path, data));
    }

    Transaction setData(String path, byte[] data, int version) throws Exception {
        return add(path, curator.transactionOp().setData().withVersion(version).forPath(path, data));
    }

    Transaction delete(String path) throws Exception {
        return add(path, curator.transactionOp().delete().forPath(path));
    }

    boolean isEmpty() {
        return ops.isEmpty();
    }

    /** Commits; on failure throws {@link Failed} naming the failed operation's path and code. */
    void commit() throws Exception {
        try {
            curator.transaction().forOperations(ops);
        } catch (KeeperException e) {
            String path = null;
            List<OpResult> results = e.getResults();
            if (results != null) {
                for (int i = 0; i < results.size() && i < paths.size(); i++) {
                    if (results.get(i) instanceof OpResult.ErrorResult er
                            && er.getErr() != KeeperException.Code.OK.intValue()
                            && er.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                        path = paths.get(i);
                        break;
                    }
                }
            }
            throw new Failed(e.code(), path, e);
        }
    }

    private Transaction add(String path, CuratorOp op) {
        ops.add(op);
        paths.add(path);
        return this;
    }

    /** A failed transaction: the ZooKeeper error and the path of the operation that caused it. */
    static final class Failed extends Exception {
        private final KeeperException.Code code;
        private final String path;

        Failed(KeeperException.Code code, String path, KeeperException cause) {
            super(code + (path == null ? "" : " at " + path), cause);
            this.code = code;
            this.path = path;
        }

        KeeperException.Code code() {
            return code;
        }

        String path() {
            return path;
        }
    }
}
