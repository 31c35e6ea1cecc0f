package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DeadlockDetectorTest {

    @Test
    void twoTasksHoldingEachOthersLockAreReportedWithTheirLines() {
        TestLoop.run(() -> {
            Lock a = new Lock();
            Lock b = new Lock();
            Task<Void> left = createTask(() -> {
                try (Held h = a.acquire()) {
                    yieldNow();
                    b.acquire().close();
                }
                return null;
            });
            left.setName("left");
            Task<Void> right = createTask(() -> {
                try (Held h = b.acquire()) {
                    yieldNow();
                    a.acquire().close();
                }
                return null;
            });
            right.setName("right");
            for (int i = 0; i < 4; i++) {
                yieldNow();
            }
            assertThat(DeadlockDetector.find(getRunningLoop())).hasSize(1);
            String text = DeadlockDetector.describe(getRunningLoop());
            assertThat(text).contains("left (waits for a Lock held by right at DeadlockDetectorTest.java:")
                    .contains("right (waits for a Lock held by left at DeadlockDetectorTest.java:");
            left.cancel();
            right.cancel();
            Asyncio.gatherSettled(java.util.List.of(left, right));
            assertThat(DeadlockDetector.find(getRunningLoop())).isEmpty();
            return null;
        });
    }

    @Test
    void aTaskWaitingOnAnUnsetEventIsNoDeadlock() {
        TestLoop.run(() -> {
            Event never = new Event();
            Task<Boolean> t = createTask(never::await);
            yieldNow();
            assertThat(DeadlockDetector.find(getRunningLoop())).isEmpty();
            t.cancel();
            return null;
        });
    }

    @Test
    void debugModeReportsADeadlockTheMomentItForms() {
        try (io.jasyncio.testsupport.LogCapture log = new io.jasyncio.testsupport.LogCapture()) {
            TestLoop.run(TestLoop.options().withDebug(true), () -> {
                Lock a = new Lock();
                Lock b = new Lock();
                Task<Void> left = createTask("left", () -> {
                    try (Held h = a.acquire()) {
                        yieldNow();
                        b.acquire().close();
                    }
                    return null;
                });
                Task<Void> right = createTask("right", () -> {
                    try (Held h = b.acquire()) {
                        yieldNow();
                        a.acquire().close();
                    }
                    return null;
                });
                for (int i = 0; i < 4; i++) {
                    yieldNow();
                }
                assertThat(log.messages()).filteredOn(m -> m.startsWith("deadlock: ")).singleElement().satisfies(m -> assertThat(m)
                        .startsWith("deadlock: right (waits for a Lock held by left at DeadlockDetectorTest.java:")
                        .contains("left (waits for a Lock held by right at DeadlockDetectorTest.java:")
                        .endsWith("no task of the cycle can ever go on)"));
                left.cancel();
                right.cancel();
                Asyncio.gatherSettled(java.util.List.of(left, right));
                return null;
            });
        }
    }

    @Test
    void aTaskAwaitingATaskThatWaitsForItsLockIsACycleToo() {
        try (io.jasyncio.testsupport.LogCapture log = new io.jasyncio.testsupport.LogCapture()) {
            TestLoop.run(TestLoop.options().withDebug(true), () -> {
                Lock lock = new Lock();
                Task<?>[] holder = new Task<?>[1];
                Task<Void> waiter = createTask("waiter", () -> {
                    yieldNow();
                    lock.acquire().close(); // waits for the holder, which awaits this task
                    return null;
                });
                holder[0] = createTask("holder", () -> {
                    try (Held h = lock.acquire()) {
                        waiter.await();
                    }
                    return null;
                });
                for (int i = 0; i < 4; i++) {
                    yieldNow();
                }
                assertThat(DeadlockDetector.find(getRunningLoop())).hasSize(1);
                assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith("deadlock: ")
                        .contains("waiter (waits for a Lock held by holder").contains("holder (awaits task waiter"));
                waiter.cancel();
                Asyncio.gatherSettled(java.util.List.of(waiter, holder[0]));
                return null;
            });
        }
    }
}
