package io.rayforce.cluster.chaos;

import io.rayforce.cluster.chaos.cluster.ClusterSpec;
import io.rayforce.cluster.chaos.cluster.DockerCluster;
import io.rayforce.cluster.chaos.oracle.SingleNodeOracle;
import io.rayforce.cluster.chaos.workload.Dataset;
import io.rayforce.cluster.chaos.workload.GatewayClient;
import io.rayforce.cluster.chaos.workload.JavaGatewayClient;
import io.rayforce.cluster.chaos.workload.ReadQueries;
import io.rayforce.cluster.chaos.workload.Reply;
import io.rayforce.cluster.client.value.RayValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every fault run of a suite shares: the cluster in containers, the oracle, the static
 * tables loaded into both, and the oracle's answers to the static reads. Closing it removes the
 * containers and the network and stops the oracle.
 */
public final class ChaosEnvironment implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChaosEnvironment.class);
    static final int SHARDS = 8;
    static final int REPLICATION = 2;

    private final DockerCluster cluster;
    private final SingleNodeOracle oracle;
    private final Map<String, RayValue> staticAnswers = new HashMap<>();

    private ChaosEnvironment(DockerCluster cluster, SingleNodeOracle oracle) {
        this.cluster = cluster;
        this.oracle = oracle;
    }

    /** Starts the cluster and the oracle and loads the data; removes everything again if any step fails. */
    public static ChaosEnvironment start(String image, Profile profile) {
        long t0 = System.nanoTime();
        DockerCluster cluster = DockerCluster.start(ClusterSpec.standard(image).withNodes(profile.nodes()), Duration.ofMinutes(5));
        SingleNodeOracle oracle = null;
        try {
            oracle = SingleNodeOracle.start();
            ChaosEnvironment env = new ChaosEnvironment(cluster, oracle);
            env.load(new Dataset(profile.tradesRows(), 20261121L));
            log.info("cluster up and loaded in {} s", (System.nanoTime() - t0) / 1_000_000_000);
            return env;
        } catch (RuntimeException e) {
            cluster.saveLogs(java.nio.file.Path.of(System.getProperty("chaos.reportDir", "target/chaos"), "logs-failed-start"));
            if (oracle != null) {
                oracle.close();
            }
            cluster.close();
            throw e;
        }
    }

    private void load(Dataset data) {
        for (String q : data.oracleSetup()) {
            oracle.execute(q);
        }
        for (String q : data.clusterSetup(SHARDS, REPLICATION)) {
            executeOnCluster(q, Duration.ofSeconds(120));
        }
        for (ReadQueries.StaticRead r : ReadQueries.STATIC) {
            staticAnswers.put(r.query(), oracle.execute(r.query()));
        }
    }

    /** Runs one request through the gateway, retrying until it succeeds or {@code limit} passes. */
    public RayValue executeOnCluster(String rayfall, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try (GatewayClient c = javaClient(Duration.ofSeconds(30))) {
                Reply r = c.execute(rayfall);
                if (r.ok()) {
                    return r.value();
                }
                last = r.error();
            }
            sleep(500);
        }
        throw new IllegalStateException("the cluster did not run " + abbreviate(rayfall) + " within " + limit + ": " + last);
    }

    public GatewayClient javaClient(Duration requestTimeout) {
        return new JavaGatewayClient(cluster.gatewayAddresses(), requestTimeout);
    }

    public DockerCluster cluster() {
        return cluster;
    }

    public SingleNodeOracle oracle() {
        return oracle;
    }

    public Map<String, RayValue> staticAnswers() {
        return Map.copyOf(staticAnswers);
    }

    static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            oracle.close();
        } finally {
            cluster.close();
        }
    }
}
