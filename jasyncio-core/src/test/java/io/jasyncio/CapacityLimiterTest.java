package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CapacityLimiterTest {

    @Test
    void atMostTotalTokensPiecesOfWorkRunAtOnce() {
        TestLoop.run(TestLoop.options().withVirtualTime(false), () -> {
            CapacityLimiter limiter = new CapacityLimiter(2);
            AtomicInteger running = new AtomicInteger(), most = new AtomicInteger();
            // Holders meet in pairs: two really run at once (no timing), and a third never gets in.
            java.util.concurrent.CyclicBarrier pair = new java.util.concurrent.CyclicBarrier(2);
            List<Task<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                jobs.add(createTask(() -> limiter.toThread(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    pair.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    running.decrementAndGet();
                    return n;
                })));
            }
            assertThat(gather(jobs)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(most.get()).isEqualTo(2);
            assertThat(limiter.borrowedTokens()).isZero();
            return null;
        });
    }

    @Test
    void aCancelledWaiterTakesNoTokenAndBadSizesAreRefused() {
        TestLoop.run(TestLoop.options().withVirtualTime(false), () -> {
            CapacityLimiter limiter = new CapacityLimiter(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Task<Object> holder = createTask(() -> limiter.toThread(() -> {
                release.await();
                return null;
            }));
            Asyncio.sleep(0.05);
            Task<Object> waiter = createTask(() -> limiter.toThread(() -> "never"));
            Asyncio.sleep(0.05);
            waiter.cancel();
            assertThatThrownBy(waiter::await).isInstanceOf(CancelledError.class);
            release.countDown();
            holder.await();
            assertThat(limiter.availableTokens()).isEqualTo(1);
            return null;
        });
        assertThatThrownBy(() -> new CapacityLimiter(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
