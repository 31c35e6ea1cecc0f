package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.toThread;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.test.StrictLoop;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LoopManagementTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private static EventLoopMXBean beanOf(EventLoop loop) throws InterruptedException {
        LoopManagement.awaitPending();
        ObjectName name = LoopManagement.nameOf(loop.getId());
        assertThat(SERVER.isRegistered(name)).as("bean %s registered", name).isTrue();
        return JMX.newMXBeanProxy(SERVER, name, EventLoopMXBean.class);
    }

    @Test
    void metricsCountStepsAndMeasureLagOnceAsked() {
        TestLoop.run(() -> {
            EventLoop loop = getRunningLoop();
            LoopMetrics before = loop.metrics();
            assertThat(before.measuring()).isTrue();
            assertThat(before.tasksAlive()).isEqualTo(1);
            for (int i = 0; i < 10; i++) {
                Asyncio.sleep(0.01); // a real turn each time: the fast yield path is not taken by a sleep
            }
            loop.callSoon(() -> {
                try {
                    Thread.sleep(30); // blocks the loop: that turn's lag is at least this long
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Asyncio.sleep(0.01);
            LoopMetrics after = loop.metrics();
            assertThat(after.steps()).isGreaterThan(before.steps() + 10);
            assertThat(after.lagSamples()).isGreaterThanOrEqualTo(10);
            assertThat(after.lagMaxNanos()).isGreaterThanOrEqualTo(30_000_000L);
            assertThat(after.lagP50Nanos()).isLessThanOrEqualTo(after.lagP99Nanos());
            assertThat(after.lagP99Nanos()).isLessThanOrEqualTo(after.lagMaxNanos());
            return null;
        });
    }

    @Test
    void recentLagPercentilesCoverTheLastWindowOfASecond() {
        TestLoop.run(() -> {
            EventLoop loop = getRunningLoop();
            loop.metrics(); // switches measuring on: the first window starts now
            loop.callSoon(() -> {
                try {
                    Thread.sleep(30); // blocks the loop in this window
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Asyncio.sleep(0.01);
            assertThat(loop.metrics().recentLagMaxNanos()).as("no window closed yet").isZero();
            toThread(() -> {
                Thread.sleep(1100); // real time: the window (about a second of the real clock) is over
                return null;
            });
            yieldNow(); // a turn that ends after the window closes it
            Asyncio.sleep(0.01);
            LoopMetrics m = loop.metrics();
            assertThat(m.recentLagMaxNanos()).isGreaterThanOrEqualTo(30_000_000L).isLessThanOrEqualTo(m.lagMaxNanos());
            assertThat(m.recentLagP50Nanos()).isLessThanOrEqualTo(m.recentLagP99Nanos());
            assertThat(m.recentLagP99Nanos()).isLessThanOrEqualTo(m.recentLagMaxNanos());
            return null;
        });
    }

    @Test
    void slowStepsAreCountedInDebugMode() {
        TestLoop.run(TestLoop.options().withDebug(true).withSlowCallbackDuration(java.time.Duration.ofMillis(1)), () -> {
            EventLoop loop = getRunningLoop();
            long before = loop.metrics().slowSteps();
            Thread.sleep(5); // this step is slow
            yieldNow();
            assertThat(loop.metrics().slowSteps()).isGreaterThan(before);
            return null;
        });
    }

    @Test
    void beanShowsTasksWhatTheyAwaitAndWhoAwaitsThem() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            EventLoop loop = getRunningLoop();
            Event never = new Event();
            Task<Boolean> waiter = createTask("forgotten", never::await);
            Task<Boolean> boss = createTask("boss", waiter::await);
            yieldNow();
            yieldNow();
            EventLoopMXBean bean = toThread(() -> beanOf(loop));
            List<TaskInfo> tasks = toThread(bean::getTasks); // a JMX call from another thread, answered by the loop
            TaskInfo forgotten = tasks.stream().filter(t -> t.name().equals("forgotten")).findFirst().orElseThrow();
            assertThat(forgotten.state()).isEqualTo("waiting");
            assertThat(forgotten.awaiting()).isEqualTo("Event.await on Event[unset, waiters=1]");
            assertThat(forgotten.awaitedBy()).containsExactly(boss.getId());
            assertThat(forgotten.location()).isEmpty(); // never::await has no user frame: the method reference is ours
            TaskInfo main = tasks.stream().filter(t -> t.id() == Asyncio.currentTask().getId()).findFirst().orElseThrow();
            assertThat(main.state()).isEqualTo("waiting"); // it awaits the toThread job right now
            assertThat(main.location()).contains("LoopManagementTest.java:");
            assertThat(toThread(() -> bean.formatCallGraph(waiter.getId()))).contains("* Task[name=forgotten").contains("* Task[name=boss");
            assertThat(toThread(() -> bean.formatCallGraph(9999))).contains("no live task with id 9999");
            assertThat(toThread(bean::getState)).isEqualTo("running");
            assertThat(toThread(bean::getEngine)).isEqualTo(loop.engine());
            assertThat(toThread(bean::getDeadlocks)).isEmpty();
            assertThat(toThread(bean::getTaskTree)).contains("Task[name=boss").contains("\n  └ awaits Task[name=forgotten");
            LoopMetrics m = toThread(bean::getMetrics);
            assertThat(m.tasksAlive()).isEqualTo(3);
            assertThat(m.measuring()).isTrue();
            never.set();
            boss.await();
            return null;
        });
    }

    @Test
    void aBlockedLoopIsReportedNotWaitedFor() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventLoopMXBean[] bean = new EventLoopMXBean[1];
        String[] seen = new String[3];
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                blocked.await();
                seen[0] = bean[0].getState(); // may be the first unanswered probe
                seen[1] = String.valueOf(bean[0].getTasks().size());
                seen[2] = bean[0].getState() + "\n" + bean[0].getLoopThreadStack();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                release.countDown();
            }
        });
        StrictLoop.run(StrictLoop.realTime(), () -> {
            EventLoop loop = getRunningLoop();
            bean[0] = toThread(() -> beanOf(loop));
            blocked.countDown();
            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue(); // blocks the loop on purpose
            return null;
        });
        reader.join();
        assertThat(seen[1]).isEqualTo("0");
        assertThat(seen[2]).contains("not responding").contains("LoopManagementTest");
    }

    @Test
    void closingTheLoopUnregistersItsBean() throws Exception {
        EventLoop loop = new EventLoop(TestLoop.options());
        ObjectName name = LoopManagement.nameOf(loop.getId());
        LoopManagement.awaitPending();
        assertThat(SERVER.isRegistered(name)).isTrue();
        EventLoopMXBean bean = JMX.newMXBeanProxy(SERVER, name, EventLoopMXBean.class);
        assertThat(bean.getState()).isEqualTo("idle");
        loop.close();
        LoopManagement.awaitPending();
        assertThat(SERVER.isRegistered(name)).isFalse();
    }
}
