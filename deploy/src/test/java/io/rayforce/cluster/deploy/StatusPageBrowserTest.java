package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's status page in a real headless Chromium, against a real cluster (embedded
 * ZooKeeper, a coordinator, three node agents with their engines, a gateway): it shows the nodes,
 * the tables with every replica's state, the placement epoch, the slow queries; it refreshes
 * itself, so a node that leaves shows up as a failover and then a repair without a reload, and a
 * query held up on its shards shows as running with its shards pending. Query texts are shown as
 * text. A screenshot is left in target/status-page.png (docs/status-page.png is one).
 */
class StatusPageBrowserTest {
    private static final String GROUP_BY = "(select {n: (count px) vol: (sum qty) by: sym from: trades})";
    /**
     * The group-by under a filter every row passes: another text, which the read cache (holding
     * {@link #GROUP_BY}'s answer while trades is unchanged) cannot answer, so it waits on the shards.
     */
    private static final String HELD = "(select {n: (count px) vol: (sum qty) by: sym from: trades where: (> qty -1)})";

    @TempDir
    Path dir;

    private final List<AutoCloseable> parts = new ArrayList<>();
    private EmbeddedZooKeeper zk;
    private Coordinator coordinator;
    private final List<NodeAgent> nodes = new ArrayList<>();
    private ClusterClient client;
    private Gateway gateway;
    private GatewayEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        String cluster = "status" + Long.toHexString(System.nanoTime());
        zk = EmbeddedZooKeeper.start();
        parts.add(zk);
        for (int i = 1; i <= 3; i++) {
            NodeAgent n = NodeAgent.start(NodeConfig.builder(zk.connectString(), cluster, dir.resolve("n" + i)).nodeId("n" + i)
                    .host("127.0.0.1").controlBind("127.0.0.1").sessionTimeout(Duration.ofSeconds(4)).cores(1).build());
            nodes.add(n);
            parts.add(n);
        }
        coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(cluster)
                .withRepairGrace(Duration.ofSeconds(1)));
        parts.add(coordinator);
        await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.isLeader() && coordinator.view().snapshot().nodes().size() == 3);
        client = ClusterClient.connect(zk.connectString(), cluster);
        parts.add(client);
        client.queryLog().slowAfter(Duration.ZERO);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ((ZooKeeperPlacement) client.placement()).view().snapshot().nodes().size() == 3);
        gateway = new Gateway(client, GatewayOptions.DEFAULT).start("127.0.0.1", 0);
        parts.add(gateway);
        endpoint = GatewayEndpoint.start("127.0.0.1", 0, client);
        parts.add(endpoint);
    }

    @AfterEach
    void stop() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                // the next part
            }
        }
    }

    @Test
    void theStatusPageShowsTheClusterAndFollowsItWithoutAReload() throws Exception {
        RayValue expected;
        try (TCPClient c = new TCPClient("127.0.0.1", gateway.port())) {
            c.execute("(.cluster.create 'trades (table [sym px qty] (list (take [A B C D E F G H] 4000) (* 0.25 (til 4000)) "
                    + "(% (til 4000) 13))) 'sym 6 2)");
            c.execute("(.cluster.createReplicated 'venues (table [sym venue] (list [A B C] [X Y Z])))");
            expected = c.execute(GROUP_BY);
            c.execute("(select {from: trades where: (== sym 'C) take: 3})");
            c.execute("(count \"<b id='injected'>not markup</b>\")");
        }
        long epoch = client.placement().snapshot().epoch();

        try (HeadlessChromium browser = new HeadlessChromium(1400, 1000)) {
            browser.open(endpoint.endpoint().url("/status"));
            await().atMost(Duration.ofSeconds(30)).until(() -> refreshes(browser) >= 1);
            assertThat(browser.evaluate("document.getElementById('epoch').textContent")).isEqualTo(Long.toString(epoch));
            assertThat(browser.evaluate("document.getElementById('zk').textContent")).isEqualTo("connected");
            assertThat(browser.evaluate("[...document.querySelectorAll('#nodes tbody tr')].map(r => r.cells[0].textContent + ' '"
                    + " + r.cells[2].textContent).join(',')")).isEqualTo("n1 up,n2 up,n3 up");
            assertThat(count(browser, "[data-table='trades'] .replica.LIVE")).isEqualTo(12);
            assertThat(count(browser, "[data-table='venues'] .replica.LIVE")).isEqualTo(3);
            assertThat(text(browser, "events")).contains("table trades created").contains("table venues created");
            assertThat(text(browser, "slow")).contains(GROUP_BY).contains("GroupCombine");
            // a client's text is shown as text, never as markup
            assertThat(text(browser, "slow")).contains("<b id='injected'>not markup</b>");
            assertThat(browser.evaluate("String(document.getElementById('injected') === null)")).isEqualTo("true");
            assertThat(Long.parseLong(browser.evaluate("document.querySelector(\"[data-metric='queries'] .v\").textContent")))
                    .isGreaterThanOrEqualTo(3);

            // a node leaves: its replicas fail over (DOWN), then are repaired on the others; the page follows by itself
            int refreshed = refreshes(browser);
            nodes.get(2).close();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(text(browser, "events")).contains("node n3 left membership").contains("failed over"));
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                assertThat(text(browser, "events")).contains("now LIVE");
                assertThat(count(browser, "[data-table='trades'] .replica.LIVE")).isEqualTo(12);
                assertThat(count(browser, "[data-table='trades'] .replica:not(.LIVE)")).isZero();
            });
            assertThat(refreshes(browser)).as("refreshed itself, no reload").isGreaterThan(refreshed);
            assertThat(browser.evaluate("document.getElementById('epoch').textContent")).isNotEqualTo(Long.toString(epoch));
            assertThat(browser.evaluate("[...document.querySelectorAll('#nodes tbody tr')].map(r => r.cells[0].textContent)"
                    + ".join(',')")).isEqualTo("n1,n2");

            // a query held up on its shards is listed as running, its shards pending
            List<Long> stopped = new ArrayList<>();
            try (TCPClient c = new TCPClient("127.0.0.1", gateway.port())) {
                for (NodeAgent n : nodes.subList(0, 2)) {
                    long pid = n.engine().status().pid();
                    signal(pid, "STOP");
                    stopped.add(pid);
                }
                CompletableFuture<RayValue> held = c.submit(HELD);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    String running = text(browser, "running");
                    assertThat(running).contains(HELD).containsPattern("trades/\\d");
                });
                byte[] png = browser.screenshot(1400);
                Path shot = Path.of("target", "status-page.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, png);
                assertThat(png.length).isGreaterThan(20_000);
                assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
                for (long pid : stopped) {
                    signal(pid, "CONT");
                }
                stopped.clear();
                assertThat(held.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            } finally {
                for (long pid : stopped) {
                    signal(pid, "CONT");
                }
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(browser.evaluate("String(document.querySelectorAll('#running tbody tr').length)")).isEqualTo("0"));
        }
    }

    private static int refreshes(HeadlessChromium b) throws Exception {
        return Integer.parseInt(b.evaluate("document.getElementById('refreshes').textContent"));
    }

    private static String text(HeadlessChromium b, String id) throws Exception {
        return b.evaluate("document.getElementById('" + id + "').textContent");
    }

    private static long count(HeadlessChromium b, String selector) throws Exception {
        return Long.parseLong(b.evaluate("String(document.querySelectorAll(\"" + selector + "\").length)"));
    }

    private static void signal(long pid, String sig) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor()).isZero();
    }
}
