package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.shielded;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.timeoutOrNull;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Cancel scopes beyond asyncio's timeout: shielded blocks and timeoutOrNull (trio, Kotlin). */
@org.junit.jupiter.api.Timeout(60)
class ShieldTest {

    @Test
    void aShieldedBlockFinishesWhileItsTaskIsCancelledAndTheCancellationComesAfter() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            Task<Object> t = createTask(() -> {
                shielded(() -> {
                    sleep(2);
                    log.add("clean-up finished at " + getRunningLoop().time());
                    return null;
                });
                log.add("after the block");
                yieldNow(); // the held-back cancellation arrives here
                log.add("not reached");
                return null;
            });
            sleep(1);
            t.cancel("stop");
            assertThat(t.cancelling()).isEqualTo(1);
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class).hasMessage("stop");
            assertThat(log).hasSize(2).last().isEqualTo("after the block");
            assertThat(getRunningLoop().time()).isEqualTo(2.0, Offset.offset(1e-6));
            return null;
        });
    }

    @Test
    void anOuterDeadlineDuringAShieldedBlockBecomesATimeoutAfterIt() {
        TestLoop.run(() -> {
            assertThatThrownBy(() -> timeout(Duration.ofSeconds(1), () -> {
                shielded(() -> sleep(2, null));
                return sleep(10, null);
            })).isInstanceOf(TimeoutException.class);
            assertThat(getRunningLoop().time()).isEqualTo(2.0, Offset.offset(1e-6));
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void aTimeoutInsideAShieldedBlockStillBoundsTheCleanUp() {
        TestLoop.run(() -> {
            Task<Object> t = createTask(() -> {
                Object r = shielded(() -> timeoutOrNull(Duration.ofSeconds(1), () -> sleep(3600, "late")));
                assertThat(r).isNull();
                return sleep(1, "not reached");
            });
            yieldNow();
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            assertThat(getRunningLoop().time()).isEqualTo(1.0, Offset.offset(1e-6));
            return null;
        });
    }

    @Test
    void aCancellationOnItsWayWhenTheBlockStartsIsHeldBackToo() {
        TestLoop.run(() -> {
            Task<String> t = createTask(() -> {
                currentTask().cancel();
                String v = shielded(() -> sleep(1, "done"));
                assertThat(v).isEqualTo("done");
                try {
                    yieldNow();
                } catch (CancelledError expected) {
                    currentTask().uncancel();
                    return "cancelled after the block";
                }
                return "not cancelled";
            });
            assertThat(t.await()).isEqualTo("cancelled after the block");
            return null;
        });
    }

    @Test
    void timeoutOrNullGivesUpQuietlyOnlyOnItsOwnDeadline() {
        TestLoop.run(() -> {
            assertThat(timeoutOrNull(Duration.ofSeconds(1), () -> sleep(3600, "late"))).isNull();
            assertThat(timeoutOrNull(Duration.ofSeconds(5), () -> sleep(1, "in time"))).isEqualTo("in time");
            assertThatThrownBy(() -> timeout(Duration.ofSeconds(1), () -> timeoutOrNull(Duration.ofSeconds(5), () -> sleep(3600, null))))
                    .as("an outer deadline still propagates").isInstanceOf(TimeoutException.class);
            Task<Object> t = createTask(() -> timeoutOrNull(Duration.ofSeconds(5), () -> sleep(3600, null)));
            sleep(1);
            t.cancel();
            assertThatThrownBy(t::await).as("a cancellation from outside still propagates").isInstanceOf(CancelledError.class);
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }
}
