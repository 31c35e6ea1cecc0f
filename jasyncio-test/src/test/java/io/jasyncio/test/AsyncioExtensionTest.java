package io.jasyncio.test;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.jasyncio.Task;
import io.jasyncio.test.samples.FailingSamples;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

class AsyncioExtensionTest {

    @AsyncioTest
    void aTestBodyIsACoroutineOnVirtualTime() {
        double start = getRunningLoop().time();
        long real = System.nanoTime();
        sleep(Duration.ofHours(2));
        assertThat(getRunningLoop().time() - start).isGreaterThanOrEqualTo(7200);
        assertThat(Duration.ofNanos(System.nanoTime() - real)).isLessThan(Duration.ofSeconds(30));
        Task<Integer> t = createTask(() -> 42);
        assertThat(t.await()).isEqualTo(42);
    }

    @AsyncioTest(virtualTime = false)
    void realTimeWhenAsked() {
        long real = System.nanoTime();
        sleep(0.05);
        assertThat(System.nanoTime() - real).isGreaterThanOrEqualTo(40_000_000L);
    }

    @Test
    void strictTeardownFailsPendingTasksAndUnhandledErrors() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(FailingSamples.class, "leavesATaskRunning"))
                .execute().testEvents()
                .assertThatEvents().haveExactly(1, event(test("leavesATaskRunning"),
                        finishedWithFailure(message(m -> m.contains("still pending")))));
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(FailingSamples.class, "dropsAFailedTaskOnTheFloor"))
                .execute().testEvents()
                .assertThatEvents().haveExactly(1, event(test("dropsAFailedTaskOnTheFloor"),
                        finishedWithFailure(message(m -> m.contains("never retrieved")))));
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(FailingSamples.class, "mayLeaveTasksWhenAllowed"))
                .execute().testEvents()
                .assertThatEvents().haveExactly(1, event(test("mayLeaveTasksWhenAllowed"), finishedSuccessfully()));
    }

    @Test
    void aHungTestFailsWithTheTaskTree() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(FailingSamples.class, "hangsOnAForgottenEvent"))
                .execute().testEvents()
                .assertThatEvents().haveExactly(1, event(test("hangsOnAForgottenEvent"), finishedWithFailure(message(m ->
                        m.startsWith("the test timed out after 0.5 s")
                                && m.contains("name=waiter, state=PENDING, awaiting=Event.await on Event[unset, waiters=1]")
                                && m.contains("\n  └ awaits Task[name=waiter")
                                && m.contains("awaiting=task waiter at FailingSamples.java:")))));
    }

    @Test
    void aDeadlockedTestFailsNamingTheCycle() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(FailingSamples.class, "hangsOnTwoLocks"))
                .execute().testEvents()
                .assertThatEvents().haveExactly(1, event(test("hangsOnTwoLocks"), finishedWithFailure(message(m ->
                        m.contains("deadlock: ") && m.contains("left (waits for a Lock held by right at FailingSamples.java:")
                                && m.contains("stacks (user frames):") && m.contains("at io.jasyncio.test.samples.FailingSamples.")))));
    }

    @Test
    void aTestBlockingTheLoopIsInterruptedAndShowsWhere() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(FailingSamples.class, "blocksTheLoop"))
                .execute().testEvents()
                .assertThatEvents().haveExactly(1, event(test("blocksTheLoop"), finishedWithFailure(message(m ->
                        m.contains("the loop is blocked inside a step of task main") && m.contains("FailingSamples.blocksTheLoop")))));
    }
}
