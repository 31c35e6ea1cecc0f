package io.jasyncio;

import io.jasyncio.internal.Config;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServerFactory;
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
 * <p>Cost: creating the platform MBean server takes ~150 ms of CPU once per JVM (measured: it doubled W1's
 * time in a short benchmark), so a loop never creates it. While no MBean server exists, new beans wait in
 * {@code WAITING} and a daemon thread looks every {@value #WATCH_MILLIS} ms whether one was created (by the
 * management agent that {@code ./jasyncio ps} starts, by JConsole, by the application); then they are
 * registered, and later ones at once. Registration and unregistration run on one daemon thread, in order,
 * never on a loop's thread; the two daemon threads exit when idle. {@code -Djasyncio.jmx=false} turns it all
 * off.
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

    private static final long WATCH_MILLIS = 200;
    /** Guards WAITING, serverSeen, watcher. */
    private static final Object LOCK = new Object();
    /** Beans of open loops created before any MBean server existed. */
    private static final Set<LoopManagement> WAITING = new LinkedHashSet<>();
    private static boolean serverSeen;
    private static Thread watcher;

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

    /** Registers {@code loop}'s bean in the background, once an MBean server exists; null when JMX is turned off. */
    static LoopManagement register(EventLoop loop) {
        if (!ENABLED) {
            return null;
        }
        LoopManagement bean = new LoopManagement(loop, nameOf(loop.getId()));
        synchronized (LOCK) {
            if (serverSeen) {
                Registrar.THREAD.execute(bean::registerNow);
            } else {
                WAITING.add(bean);
                if (watcher == null) {
                    watcher = Thread.ofPlatform().daemon().name("jasyncio-jmx-watch").start(LoopManagement::watch);
                }
            }
        }
        return bean;
    }

    /** Unregisters the bean in the background (after its registration, whichever was asked first). */
    void unregister() {
        synchronized (LOCK) {
            if (!WAITING.remove(this)) {
                Registrar.THREAD.execute(this::unregisterNow);
            }
        }
    }

    private void registerNow() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, name);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not register " + name + ": " + e);
        }
    }

    private void unregisterNow() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not unregister " + name + ": " + e);
        }
    }

    /** The watcher thread: waits for an MBean server while beans wait, registers them, then exits. */
    private static void watch() {
        while (true) {
            synchronized (LOCK) {
                registerWaitingIfServerExists();
                if (WAITING.isEmpty()) {
                    watcher = null;
                    return;
                }
            }
            try {
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                synchronized (LOCK) {
                    watcher = null;
                }
                return;
            }
        }
    }

    /** Under LOCK: once some MBean server exists (the platform one is the first), hand every waiting bean over. */
    private static void registerWaitingIfServerExists() {
        if (!serverSeen && !MBeanServerFactory.findMBeanServer(null).isEmpty()) {
            serverSeen = true;
        }
        if (serverSeen) {
            for (LoopManagement bean : WAITING) {
                Registrar.THREAD.execute(bean::registerNow);
            }
            WAITING.clear();
        }
    }

    /** Blocks until the registrations and unregistrations possible so far are done (tests). */
    static void awaitPending() throws InterruptedException {
        synchronized (LOCK) {
            registerWaitingIfServerExists();
        }
        try {
            Registrar.THREAD.submit(() -> { }).get();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    // ---------------------------------------------------------------- reading on the loop

    /** {@code reading} run on the loop's thread, or directly when it does not run; null if it does not answer. */
    private <T> T onLoop(Supplier<T> reading) {
        if (EventLoop.current() == loop || !loop.isRunning()) {
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
    public String getTaskTree() {
        String tree = onLoop(() -> TaskDump.of(loop));
        return tree != null ? tree : "loop-" + loop.getId() + " does not respond: " + getState() + "\n";
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
