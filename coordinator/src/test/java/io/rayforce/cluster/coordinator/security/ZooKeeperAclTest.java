package io.rayforce.cluster.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.NodeRegistry;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A secured cluster's znodes on a real ZooKeeper server: members (sessions authenticated with the
 * digest derived from the cluster secret) read and write them; an outsider (no credentials, or
 * another secret) can neither create, change, delete nor read anything under the namespace.
 */
class ZooKeeperAclTest {
    private final ClusterSecret secret = ClusterSecret.generate();
    private final String cluster = TestZooKeeper.freshCluster();
    private final String root = "/" + ZkPaths.namespace(cluster);
    private ClusterConnection member;
    private NodeRegistry registered;
    private ZooKeeper outsider;

    @BeforeEach
    void start() throws Exception {
        member = ClusterConnection.connect(TestZooKeeper.connectString(), cluster, Duration.ofSeconds(4), ClusterSecurity.of(secret));
        PlacementStore.ensureLayout(member.curator());
        registered = NodeRegistry.register(member.curator(), NodeInfo.newBuilder().setId("n1").setHost("127.0.0.1").build());
        outsider = rawClient();
    }

    @AfterEach
    void stop() throws Exception {
        outsider.close();
        registered.close();
        member.close();
    }

    private static ZooKeeper rawClient() throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(TestZooKeeper.connectString(), 4000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        assertThat(up.await(10, TimeUnit.SECONDS)).isTrue();
        return zk;
    }

    @Test
    void everyZnodeTheClusterCreatedGrantsOnlyTheMembers() throws Exception {
        String memberId = secret.zooKeeperCredentials().aclId();
        for (String path : List.of(root, root + ZkPaths.NODES, root + ZkPaths.node("n1"), root + ZkPaths.TABLES, root + ZkPaths.EPOCH)) {
            List<ACL> acl = member.curator().usingNamespace(null).getACL().forPath(path);
            assertThat(acl).as(path).hasSize(1);
            assertThat(acl.get(0).getId().getScheme()).isEqualTo("digest");
            assertThat(acl.get(0).getId().getId()).isEqualTo(memberId);
            assertThat(acl.get(0).getPerms()).isEqualTo(ZooDefs.Perms.ALL);
        }
        // the parent all clusters share (made by whichever cluster came first, in this JVM maybe an unsecured one):
        // a secured member makes it so that anyone may read it and create under it (other clusters), nothing else
        List<ACL> parent = new ZooKeeperAcls(secret.zooKeeperCredentials()).getAclForPath(ZooKeeperAcls.SHARED_PARENT);
        assertThat(parent).anySatisfy(a -> {
            assertThat(a.getId()).isEqualTo(ZooDefs.Ids.ANYONE_ID_UNSAFE);
            assertThat(a.getPerms()).isEqualTo(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE);
        });
    }

    @Test
    void anOutsiderCannotCreateChangeDeleteOrRead() {
        byte[] data = "{\"id\":\"evil\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> outsider.create(root + ZkPaths.node("evil"), data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> outsider.create(root + "/tables/evil", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> outsider.setData(root + ZkPaths.EPOCH, data, -1)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> outsider.delete(root + ZkPaths.node("n1"), -1)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> outsider.getData(root + ZkPaths.EPOCH, false, null)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> outsider.getChildren(root + ZkPaths.NODES, false)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> outsider.setACL(root, ZooDefs.Ids.OPEN_ACL_UNSAFE, -1)).isInstanceOf(KeeperException.NoAuthException.class);
    }

    @Test
    void anOutsiderWithAnotherSecretIsRefusedAndTheMemberIsServed() throws Exception {
        ZooKeeperCredentials other = ClusterSecret.generate().zooKeeperCredentials();
        outsider.addAuthInfo("digest", other.authBytes());
        assertThatThrownBy(() -> outsider.setData(root + ZkPaths.EPOCH, new byte[] {1}, -1))
                .isInstanceOf(KeeperException.NoAuthException.class);
        // the member itself is served: write, read back, delete
        member.curator().create().forPath("/tables/t1", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(member.curator().getData().forPath("/tables/t1"), StandardCharsets.UTF_8)).isEqualTo("x");
        member.curator().delete().forPath("/tables/t1");
        // and so is a raw client with the members' credentials
        ZooKeeper second = rawClient();
        try {
            second.addAuthInfo("digest", secret.zooKeeperCredentials().authBytes());
            assertThat(second.getChildren(root + ZkPaths.NODES, false)).containsExactly("n1");
        } finally {
            second.close();
        }
    }

    @Test
    void connectingWithAWrongOrMissingSecretFailsClearly() {
        assertThatThrownBy(() -> ClusterConnection.connect(TestZooKeeper.connectString(), cluster, Duration.ofSeconds(4),
                ClusterSecurity.of(ClusterSecret.generate())))
                .isInstanceOf(ZooKeeperUnavailableException.class)
                .hasMessageContaining("belongs to other credentials");
        assertThatThrownBy(() -> ClusterConnection.connect(TestZooKeeper.connectString(), cluster, Duration.ofSeconds(4)))
                .isInstanceOf(ZooKeeperUnavailableException.class)
                .hasMessageContaining("is protected")
                .hasMessageContaining("--cluster-secret-file");
    }

    @Test
    void aMembersViewSeesTheClusterAndAnotherClusterCanShareTheEnsemble() throws Exception {
        try (ClusterView view = ClusterView.start(member.curator())) {
            assertThat(view.snapshot().nodes()).containsKey("n1");
        }
        // an unsecured cluster on the same ZooKeeper can still make its own namespace under the shared parent
        try (ClusterConnection open = TestZooKeeper.connect(TestZooKeeper.freshCluster())) {
            PlacementStore.ensureLayout(open.curator());
            assertThat(open.curator().checkExists().forPath(ZkPaths.EPOCH)).isNotNull();
        }
    }
}
