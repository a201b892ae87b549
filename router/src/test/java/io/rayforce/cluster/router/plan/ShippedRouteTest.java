package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A route whose requests carry a value the router computed first. */
class ShippedRouteTest {
    private static final RayTable RIGHT = RayTable.builder().column("v", I64Vector.of(1, 2)).build();

    @Test
    void theRouteIsMadeWithTheShippedValueAndThenRun() {
        List<RayValue> seen = new ArrayList<>();
        // a route over no shards answers without asking any engine
        ShippedRoute plan = new ShippedRoute(new Fixed(RIGHT), v -> {
            seen.add(v);
            return new Route("t", new int[0], u -> v, "<shipped>");
        }, "(left-join [k] <shard> <shipped>)");
        RayValue got = plan.run(new QueryContext(ClusterSnapshot.empty(), null, false), new PlanEnv(new Executor(null), null,
                null)).join();
        assertThat(seen).containsExactly(RIGHT);
        assertThat(got).isEqualTo(RayList.EMPTY);
    }

    @Test
    void explainShowsTheRequestAndTheShippedInput() {
        ShippedRoute plan = new ShippedRoute(new Fixed(RIGHT), v -> null, "(left-join [k] <shard> <shipped>)");
        assertThat(plan.explain()).isEqualTo("ShippedRoute: (left-join [k] <shard> <shipped>)\n  Fixed");
    }
}
