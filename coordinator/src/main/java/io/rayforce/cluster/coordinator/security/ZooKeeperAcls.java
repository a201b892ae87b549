package io.rayforce.cluster.coordinator.security;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The ACLs of a secured cluster's znodes (Curator's {@link ACLProvider}): every znode the
 * cluster creates, its namespace root included, grants everything to the members' digest
 * identity ({@link ZooKeeperCredentials}) and nothing to anyone else, so an outsider can neither
 * read nor change membership, placement, locks or sequences. The one exception is the parent
 * {@code /rayforce-cluster} that all clusters' namespaces share: anyone may read it and create
 * under it (other clusters' namespaces), but no one may change or delete it.
 */
public final class ZooKeeperAcls implements ACLProvider {
    /** The parent of every cluster's namespace. */
    public static final String SHARED_PARENT = "/rayforce-cluster";

    private final List<ACL> members;
    private final List<ACL> sharedParent;

    public ZooKeeperAcls(ZooKeeperCredentials credentials) {
        ACL member = new ACL(ZooDefs.Perms.ALL, new Id("digest", credentials.aclId()));
        // not List.of: ZooKeeper asks the list whether it contains null, which List.of answers with an exception
        this.members = Collections.unmodifiableList(new ArrayList<>(List.of(member)));
        this.sharedParent = Collections.unmodifiableList(new ArrayList<>(List.of(
                new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, ZooDefs.Ids.ANYONE_ID_UNSAFE), member)));
    }

    /** The ACL of the cluster's own znodes. */
    public List<ACL> memberAcl() {
        return members;
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return members;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        return SHARED_PARENT.equals(path) ? sharedParent : members;
    }

    /**
     * Gives every znode under {@code root} (a full path, e.g. {@code /rayforce-cluster/prod}),
     * the root included, this provider's ACL, and the shared parent its ACL too (when this
     * session may change it: a secured cluster that made it first keeps it). {@code curator}
     * must not use a namespace and must be allowed to change ACLs (authenticated as the old
     * owner, or the znodes are open). Used to secure an unsecured cluster and to move a cluster
     * to a new secret; run it while the cluster's members are stopped. Returns the znodes changed.
     */
    public int apply(CuratorFramework curator, String root) throws Exception {
        int n = 0;
        if (curator.checkExists().forPath(SHARED_PARENT) != null) {
            try {
                curator.setACL().withACL(getAclForPath(SHARED_PARENT)).forPath(SHARED_PARENT);
                n++;
            } catch (KeeperException.NoAuthException sharedWithAnotherCluster) {
                // a secured cluster made the shared parent: its ACL already keeps it from being changed
            }
        }
        Deque<String> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            String path = todo.pop();
            try {
                for (String child : curator.getChildren().forPath(path)) {
                    todo.push(path + "/" + child);
                }
                curator.setACL().withACL(getAclForPath(path)).forPath(path);
                n++;
            } catch (KeeperException.NoNodeException gone) {
                // an ephemeral znode that went away meanwhile
            }
        }
        return n;
    }

    /** Whether {@code acl} lets anyone (the world id) write, create, delete or change ACLs. */
    public static boolean letsAnyoneChange(List<ACL> acl) {
        int change = ZooDefs.Perms.WRITE | ZooDefs.Perms.CREATE | ZooDefs.Perms.DELETE | ZooDefs.Perms.ADMIN;
        return acl.stream().anyMatch(a -> ZooDefs.Ids.ANYONE_ID_UNSAFE.equals(a.getId()) && (a.getPerms() & change) != 0);
    }
}
