package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Values kept per table version: reused under the same version, computed again under another or without one. */
class ReadCacheTest {
    private static QueryContext ctx(Map<String, Long> versions) {
        QueryContext c = new QueryContext(null, Duration.ofSeconds(5), false);
        c.readVersions(versions);
        return c;
    }

    private static Supplier<CompletableFuture<RayValue>> counting(AtomicInteger runs, RayValue v) {
        return () -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture(v);
        };
    }

    @Test
    void sameVersionReusesAnotherVersionOrNoneComputes() {
        ReadCache cache = new ReadCache(1 << 20);
        AtomicInteger runs = new AtomicInteger();
        assertThat(cache.get(ctx(Map.of("t", 1L)), "t", "count", counting(runs, I64Atom.of(5))).join()).isEqualTo(I64Atom.of(5));
        assertThat(cache.get(ctx(Map.of("t", 1L)), "t", "count", counting(runs, I64Atom.of(6))).join()).isEqualTo(I64Atom.of(5));
        assertThat(runs).hasValue(1);
        assertThat(cache.get(ctx(Map.of("t", 2L)), "t", "count", counting(runs, I64Atom.of(7))).join()).isEqualTo(I64Atom.of(7));
        assertThat(cache.get(ctx(Map.of()), "t", "count", counting(runs, I64Atom.of(8))).join()).isEqualTo(I64Atom.of(8));
        assertThat(cache.get(ctx(Map.of()), "t", "count", counting(runs, I64Atom.of(9))).join()).isEqualTo(I64Atom.of(9));
        assertThat(runs).hasValue(4);
        assertThat(cache.stats()).containsExactly(1, 2);
    }

    @Test
    void boundedByBytesOldestOut() {
        ReadCache cache = new ReadCache(40_000);
        AtomicInteger runs = new AtomicInteger();
        RayValue big = new I64Vector(new long[1_000]); // ~8 KB each, at most a quarter of the bound
        for (int i = 0; i < 10; i++) {
            cache.get(ctx(Map.of("t", 1L)), "t", "v" + i, counting(runs, big)).join();
        }
        cache.get(ctx(Map.of("t", 1L)), "t", "v9", counting(runs, big)).join();
        assertThat(runs).as("the newest kept").hasValue(10);
        cache.get(ctx(Map.of("t", 1L)), "t", "v0", counting(runs, big)).join();
        assertThat(runs).as("the oldest let go").hasValue(11);
        RayValue huge = new I64Vector(new long[2_000]);
        cache.get(ctx(Map.of("t", 1L)), "t", "h", counting(runs, huge)).join();
        cache.get(ctx(Map.of("t", 1L)), "t", "h", counting(runs, huge)).join();
        assertThat(runs).as("a value over a quarter of the bound is not kept").hasValue(13);
    }
    @Test
    void oneVersionOfAValueIsKept() {
        ReadCache cache = new ReadCache(40_000);
        AtomicInteger runs = new AtomicInteger();
        RayValue big = new I64Vector(new long[1_000]); // ~8 KB: four fit
        for (long version = 1; version <= 10; version++) {
            cache.get(ctx(Map.of("t", version)), "t", "v", counting(runs, big)).join();
        }
        // had the older versions stayed, these would push the newest v out
        cache.get(ctx(Map.of("t", 10L)), "t", "a", counting(runs, big)).join();
        cache.get(ctx(Map.of("t", 10L)), "t", "b", counting(runs, big)).join();
        cache.get(ctx(Map.of("t", 10L)), "t", "c", counting(runs, big)).join();
        assertThat(runs).hasValue(13);
        cache.get(ctx(Map.of("t", 10L)), "t", "v", counting(runs, big)).join();
        assertThat(runs).as("the newest version of v still kept").hasValue(13);
        // an older version computed late (a read under a lease that has ended) is not kept over the newer one
        cache.get(ctx(Map.of("t", 4L)), "t", "v", counting(runs, I64Atom.of(1))).join();
        cache.get(ctx(Map.of("t", 4L)), "t", "v", counting(runs, I64Atom.of(1))).join();
        assertThat(runs).hasValue(15);
        assertThat(cache.get(ctx(Map.of("t", 10L)), "t", "v", counting(runs, I64Atom.of(2))).join()).isEqualTo(big);
        assertThat(runs).hasValue(15);
    }
}
