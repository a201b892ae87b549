package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.QueryMdc;
import io.rayforce.cluster.router.ops.QueryLog;
import io.rayforce.cluster.router.ops.SlowQuery;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every log line of a query carries its id (the MDC key {@code query}), also the lines written on
 * the network threads its shard answers arrive on; and the router's meters count what happened:
 * a replica that is gone is failed over, an engine error is counted by its code.
 */
class QueryLogLinesTest {
    private static final String QUERY = "(select {n: (count px) s: (sum qty) by: sym from: trades})";

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Logger executorLog = (Logger) LoggerFactory.getLogger(Executor.class);
    private final Logger queryLog = (Logger) LoggerFactory.getLogger(QueryLog.class);
    private GatewayFixture cluster;

    @BeforeEach
    void start() {
        Metrics.globalRegistry.add(meters);
        lines.start();
        for (Logger l : List.of(executorLog, queryLog)) {
            l.setLevel(Level.DEBUG);
            l.addAppender(lines);
        }
        cluster = new GatewayFixture(3, GatewayOptions.DEFAULT);
        cluster.cluster().queryLog().slowAfter(Duration.ZERO);
        cluster.shards().createTable("trades", "sym", 6, 2, "sym:symbol", "px:f64", "qty:i64");
        cluster.shards().insert("trades", (RayTable) cluster.shards().oracle().execute(
                "(table [sym px qty] (list [A B C D E F G H] [1.0 2.0 3.0 4.0 5.0 6.0 7.0 8.0] [1 2 3 4 5 6 7 8]))"));
    }

    @AfterEach
    void stop() {
        cluster.close();
        for (Logger l : List.of(executorLog, queryLog)) {
            l.detachAppender(lines);
            l.setLevel(null);
        }
        Metrics.globalRegistry.remove(meters);
    }

    @Test
    void everyLineOfAQueryCarriesItsIdAndTheMetersCountTheFailovers() {
        double failoversBefore = count("rfc.shard.failovers");
        cluster.shards().nodes().get(1).kill(); // every shard keeps a replica on node 0 or 2
        try (TCPClient c = cluster.connect()) {
            assertThat(c.execute(QUERY)).isEqualTo(cluster.shards().oracle().execute(QUERY));
            assertThatThrownBy(() -> c.execute("(select {from: trades where: (> nosuchcolumn 1)})"))
                    .isInstanceOf(RayforceEvaluationError.class);
        }
        SlowQuery q = cluster.cluster().queryLog().slow().stream().filter(s -> s.text().equals(QUERY)).findFirst().orElseThrow();
        String id = Long.toString(q.id());
        List<ILoggingEvent> ofQuery = lines.list.stream().filter(e -> id.equals(e.getMDCPropertyMap().get(QueryMdc.KEY))).toList();
        assertThat(ofQuery).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("query " + id + " from anonymous: " + QUERY))
                .anyMatch(m -> m.contains("trying node") || m.contains("trying n"))
                .anyMatch(m -> m.startsWith("slow query " + id + " from anonymous took"));
        // the failover lines carry the id on whichever thread the dead replica's failure arrived (a refused
        // connection may fail at once on the gateway's worker, or later on a network thread)
        assertThat(ofQuery).filteredOn(e -> e.getLoggerName().equals(Executor.class.getName())).isNotEmpty();
        // and no line of the executor's is without a query
        assertThat(lines.list).filteredOn(e -> e.getLoggerName().equals(Executor.class.getName()))
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey(QueryMdc.KEY));

        assertThat(count("rfc.shard.failovers")).isGreaterThan(failoversBefore);
        assertThat(meters.find("rfc.shard.requests").tag("outcome", "failed").counter().count()).isPositive();
        assertThat(meters.find("rfc.gateway.errors").tag("code", "schema").counter().count()).isEqualTo(1.0);
        assertThat(meters.find("rfc.query.duration").tag("outcome", "schema").timer().count()).isEqualTo(1);
        // the plan operator: the root step (under a reused answer's line, what computes it)
        String root = q.plan().lines().filter(l -> !l.startsWith("Reused while")).findFirst().orElseThrow().trim().split("[: ]")[0];
        assertThat(meters.find("rfc.query.duration").tag("outcome", "ok").tag("plan", root).timer().count()).isEqualTo(1);
        assertThat(count("rfc.shard.rows")).isPositive();
    }

    private double count(String name) {
        return meters.find(name).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }
}
