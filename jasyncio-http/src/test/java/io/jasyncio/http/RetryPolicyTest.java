package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void backoffIsJitteredWithinAnExponentialCeiling() {
        RetryPolicy p = RetryPolicy.attempts(10).withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int attempt = 1; attempt < 8; attempt++) {
            long ceiling = Math.min(1000, 100L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                assertThat(p.delay(attempt, null).toMillis()).isBetween(0L, ceiling);
            }
        }
    }

    @Test
    void retryAfterWinsButIsCapped() {
        RetryPolicy p = RetryPolicy.attempts(3).withBackoff(Duration.ofMillis(1), Duration.ofSeconds(10));
        assertThat(p.delay(1, "3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.delay(1, "3600")).isEqualTo(Duration.ofSeconds(10));
        String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(5));
        assertThat(p.delay(1, inFiveSeconds)).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
        assertThat(p.delay(1, "garbage")).isLessThanOrEqualTo(Duration.ofMillis(1));
    }

    @Test
    void onlyIdempotentMethodsWithReplayableBodies() {
        RetryPolicy p = RetryPolicy.attempts(2);
        assertThat(p.allows("GET", 1, true)).isTrue();
        assertThat(p.allows("PUT", 1, true)).isTrue();
        assertThat(p.allows("GET", 2, true)).as("attempts used up").isFalse();
        assertThat(p.allows("POST", 1, true)).isFalse();
        assertThat(p.allows("PUT", 1, false)).isFalse();
        assertThat(RetryPolicy.NONE.allows("GET", 1, true)).isFalse();
        assertThatThrownBy(() -> RetryPolicy.attempts(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRateLimiterSpacesRequestsPerHost() {
        List<Double> starts = new ArrayList<>();
        Asyncio.run(() -> {
            HostRateLimiter limiter = new HostRateLimiter(2); // one request every 0.5 s per host
            double t0 = Asyncio.getRunningLoop().time();
            List<io.jasyncio.Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    limiter.acquire("a.test");
                    starts.add(Asyncio.getRunningLoop().time() - t0);
                    return null;
                }));
            }
            limiter.acquire("b.test");
            assertThat(Asyncio.getRunningLoop().time() - t0).as("another host is not held back").isZero();
            Asyncio.gather(tasks);
            return null;
        }, LoopOptions.defaults().withVirtualTime(true));
        assertThat(starts).containsExactly(0.0, 0.5, 1.0, 1.5);
    }
}
