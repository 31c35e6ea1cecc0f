package io.jasyncio;

import io.jasyncio.internal.Config;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The {@link EventLoopMXBean} of one loop, and its registration in the platform MBean server.
 *
 * <h2>Why JMX, and why registered by every loop</h2>
 * {@code ./jasyncio ps PID} must work on a JVM started without any flag. The JDK's attach mechanism can
 * start the management agent in any running JVM of the same user ({@code startLocalManagementAgent}),
 * and JMX then reaches every registered bean: no agent jar, no port, no flag. So each loop registers a
 * bean when it is created; the bean does nothing until somebody reads it.
 *
 * <p>Cost: creating the platform MBean server takes ~150 ms once per JVM, so registration and
 * unregistration run on one daemon thread, in order, never on the loop's thread. A loop that closes
 * before its registration ran is registered and unregistered there, harmlessly.
 * {@code -Djasyncio.jmx=false} turns it off.
 *
 * <p>Threading: bean methods run on JMX threads. Each reading is posted to the loop
 * ({@code callSoonThreadsafe}) and awaited for up to {@value #ANSWER_MILLIS} ms; a loop that is not
 * running is read directly (nothing else touches it then); a loop that does not answer is blocked in a
 * step, and the bean says so instead of waiting.
 */
final class LoopManagement implements EventLoopMXBean {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final long ANSWER_MILLIS = 1000;
    private static final boolean ENABLED = Config.jmxEnabled();

    /**
     * Registers and unregisters, in order (at most one thread, FIFO), off every loop thread; the thread
     * exits when idle, so a program (or a strict test) that closed its loops keeps no jasyncio thread.
     */
    private static final class Registrar {
        static final ExecutorService THREAD = new ThreadPoolExecutor(0, 1, 100, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("jasyncio-jmx-registrar").factory());
    }

    private final EventLoop loop;
    private final ObjectName name;
    /** When the loop last failed to answer (System.nanoTime), or 0. */
    private volatile long notAnsweringSince;

    private LoopManagement(EventLoop loop, ObjectName name) {
        this.loop = loop;
        this.name = name;
    }

    /** The bean name of loop {@code id}. */
    static ObjectName nameOf(long id) {
        try {
            return new ObjectName("io.jasyncio:type=EventLoop,name=loop-" + id);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers {@code loop}'s bean in the background; null when JMX is turned off. */
    static LoopManagement register(EventLoop loop) {
        if (!ENABLED) {
            return null;
        }
        LoopManagement bean = new LoopManagement(loop, nameOf(loop.getId()));
        Registrar.THREAD.execute(() -> {
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(bean, bean.name);
            } catch (JMException | RuntimeException e) {
                LOG.log(Level.DEBUG, "could not register " + bean.name + ": " + e);
            }
        });
        return bean;
    }

    /** Unregisters the bean in the background (after its registration, whichever ran first). */
    void unregister() {
        Registrar.THREAD.execute(() -> {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException | RuntimeException e) {
                LOG.log(Level.DEBUG, "could not unregister " + name + ": " + e);
            }
        });
    }

    /** Blocks until the registrations and unregistrations asked for so far are done (tests, the CLI's own loops). */
    static void awaitPending() throws InterruptedException {
        try {
            Registrar.THREAD.submit(() -> { }).get();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    // ---------------------------------------------------------------- reading on the loop

    /** {@code reading} run on the loop's thread, or directly when it does not run; null if it does not answer. */
    private <T> T onLoop(Supplier<T> reading) {
        if (EventLoop.RUNNING.get() == loop || !loop.isRunning()) {
            return reading.get();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            loop.callSoonThreadsafe(() -> {
                try {
                    answer.complete(reading.get());
                } catch (Throwable t) {
                    answer.completeExceptionally(t);
                }
            });
        } catch (IllegalStateException closed) {
            return null;
        }
        try {
            T value = answer.get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
            notAnsweringSince = 0;
            return value;
        } catch (java.util.concurrent.TimeoutException blocked) {
            if (notAnsweringSince == 0) {
                notAnsweringSince = System.nanoTime() - ANSWER_MILLIS * 1_000_000;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the loop failed: " + e.getCause(), e.getCause());
        }
    }

    // ---------------------------------------------------------------- the bean

    @Override
    public long getId() {
        return loop.getId();
    }

    @Override
    public String getState() {
        if (loop.isClosed()) {
            return "closed";
        }
        if (!loop.isRunning()) {
            return "idle";
        }
        long since = notAnsweringSince;
        if (since != 0) {
            return String.format(java.util.Locale.ROOT, "running, not responding for %.1f s (blocked in a step:"
                    + " see the loop thread's stack)", (System.nanoTime() - since) / 1e9);
        }
        return "running";
    }

    @Override
    public String getEngine() {
        return loop.engine();
    }

    @Override
    public boolean isDebug() {
        return loop.isDebug();
    }

    @Override
    public LoopMetrics getMetrics() {
        LoopMetrics m = onLoop(loop::metrics);
        return m != null ? m : loop.metricsFromOutside();
    }

    @Override
    public List<TaskInfo> getTasks() {
        List<TaskInfo> tasks = onLoop(() -> TaskInfo.of(loop));
        return tasks != null ? tasks : List.of();
    }

    @Override
    public String getDeadlocks() {
        String d = onLoop(() -> DeadlockDetector.describe(loop));
        return d != null ? d : "";
    }

    @Override
    public String formatCallGraph(long id) {
        String g = onLoop(() -> {
            for (Task<?> t : loop.allTasks()) {
                if (t.getId() == id) {
                    return CallGraph.capture(t).format();
                }
            }
            return "no live task with id " + id + " in loop-" + loop.getId() + "\n";
        });
        return g != null ? g : "loop-" + loop.getId() + " does not respond: " + getState() + "\n";
    }

    @Override
    public String getLoopThreadStack() {
        StringBuilder sb = new StringBuilder();
        Task<?> running = loop.currentTask(); // a racy read is fine here: diagnostics only
        Thread own = running == null ? null : running.runningThread();
        appendStack(own, sb); // the virtual-thread engine runs the step on the task's own thread
        appendStack(loop.loopThread(), sb);
        return sb.toString();
    }

    private static void appendStack(Thread t, StringBuilder sb) {
        if (t == null) {
            return;
        }
        sb.append(t).append('\n');
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("\tat ").append(e).append('\n');
        }
    }
}
