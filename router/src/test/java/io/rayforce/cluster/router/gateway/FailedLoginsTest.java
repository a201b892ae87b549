package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The failed-attempt delay on a controlled clock: free failures, doubling, the cap, spacing, reset and forgetting. */
class FailedLoginsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final FailedLogins logins = new FailedLogins(3, now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void theFirstFailuresAreFreeThenTheDelayDoublesUpToTheCap() {
        assertThat(logins.admit("k")).isZero();
        logins.failed("k");
        logins.failed("k");
        assertThat(logins.admit("k")).isZero();
        assertThat(logins.failed("k")).isEqualTo(3);
        assertThat(logins.admit("k")).isEqualTo(Duration.ofMillis(500));
        assertThat(logins.delayAfter(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(logins.delayAfter(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(logins.delayAfter(9)).isEqualTo(Duration.ofSeconds(30));
        assertThat(logins.delayAfter(40)).isEqualTo(Duration.ofSeconds(30));
        assertThat(logins.admit("other")).isZero();
    }

    @Test
    void attemptsArrivingTogetherAreSpacedOneDelayApart() {
        for (int i = 0; i < 3; i++) {
            logins.failed("k");
        }
        assertThat(logins.admit("k")).isEqualTo(Duration.ofMillis(500));
        assertThat(logins.admit("k")).isEqualTo(Duration.ofMillis(1000));
        assertThat(logins.admit("k")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aSuccessClearsTheKeyAndIdleKeysAreForgotten() {
        for (int i = 0; i < 5; i++) {
            logins.failed("k");
            logins.failed("idle");
        }
        logins.succeeded("k");
        assertThat(logins.failures("k")).isZero();
        assertThat(logins.admit("k")).isZero();
        advance(FailedLogins.FORGET_AFTER.plusSeconds(31));
        assertThat(logins.failures("idle")).isZero();
        assertThat(logins.admit("idle")).isZero();
    }
}
