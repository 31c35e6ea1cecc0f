package io.jasyncio;

import io.jasyncio.internal.Config;
import io.jasyncio.internal.Engine;
import io.jasyncio.internal.Engines;
import io.jasyncio.internal.LoopCloseHooks;
import io.jasyncio.internal.LoopPost;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-threaded event loop: asyncio's {@code BaseEventLoop}. It runs callbacks, timers and
 * tasks, one at a time, on the thread that runs it.
 *
 * <h2>One turn of the loop ({@link #runOnce()}, asyncio's {@code _run_once})</h2>
 * <ol>
 *   <li>move callbacks handed in by other threads ({@link #callSoonThreadsafe}) to the ready queue;</li>
 *   <li>wait for I/O or a wake-up: not at all if something is ready (then only poll, unless the
 *       previous turn already asked the selector), else until the earliest timer (with a virtual
 *       clock: jump to it instead);</li>
 *   <li>move every timer that is due to the ready queue, in deadline order, FIFO among equals;</li>
 *   <li>run the callbacks that are ready <em>now</em>: one scheduled while they run waits for the
 *       next turn.</li>
 * </ol>
 *
 * <h2>Threading</h2>
 * Everything is confined to the loop's thread except {@link #callSoonThreadsafe},
 * {@link #stop()} via {@code callSoonThreadsafe}, and {@link #time()}. In debug mode a confined
 * method called from another thread throws. With the virtual-thread engine the loop and its tasks
 * run on several virtual threads that pass a baton, so exactly one of them runs at a time; the
 * rules are the same.
 *
 * <h2>Implementation notes</h2>
 * This class is the turn and the public API; two concerns live in their own classes, as CPython
 * splits the event loop proper from its selector: {@link TimerQueue} (the timer heap and its
 * compaction rule) and {@link IoSelector} (watched channels, the wait for I/O or a wake-up, the
 * engine-specific way of blocking). The ready queue holds {@link Handle}s and {@link Task}s (a
 * task's wake-up needs no allocation). Other threads post into the {@link ThreadsafeInbox}; a turn
 * moves only what was posted before it began, so they cannot starve it. The
 * clock is real or, with {@code virtualTime}, advanced by the turn itself: by the time waited, or
 * by a jump straight to the next timer when nothing else could happen first.
 *
 * <p>The poll of a turn that has work ready is skipped when the turn before asked the selector
 * ({@code ioAskedLastTurn}): what is ready then is mostly what that turn's I/O callbacks scheduled
 * (a stream read woken by {@code dataReceived}), and a second {@code epoll_wait} right after the
 * first would only cost a system call per message. It is not skipped when a key was cancelled since
 * (a channel stopped being watched, usually to be closed: it is released only by a select). I/O is
 * still polled at least every other turn, so a task that keeps the queue busy cannot starve it
 * (asyncio polls every turn; jasyncio may see an event one turn later, which no program can tell
 * from the event arriving later).
 */
public final class EventLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    /**
     * The loop running on this thread: set on the loop's own thread only. Task threads of the
     * virtual-thread engine are found through {@link #virtualLoops} instead (see {@link #current()}).
     */
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();

    /**
     * The loop that started running last, on whichever thread: {@link #current()} answers for its
     * thread without the thread-local (a program runs one loop at a time, usually). Written by a
     * loop's own thread as it starts; read racily from any thread, and trusted only when that loop's
     * (volatile) {@code thread} is the reader itself.
     */
    private static EventLoop lastStarted;

    /**
     * The loops of the virtual-thread engine running now (copy on write; few: one per loop thread).
     * Their tasks run on threads of their own, which must not get a {@code ThreadLocalMap} (136 B per
     * task: a {@code ThreadLocal.get()} creates one even to answer null).
     */
    private static volatile EventLoop[] virtualLoops = new EventLoop[0];

    /** Yields in a row that may skip a loop turn while channels are watched (see mayYieldWithoutSwitch). */
    private static final int FAST_YIELD_BUDGET = 64;

    final Engine engine;
    private final boolean virtualTime;
    private final boolean eagerTasks;
    private volatile boolean debug;
    private volatile long slowCallbackNanos;
    private final long origin = System.nanoTime();
    private long virtualNanos;

    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private final ThreadsafeInbox<Handle> inbox = new ThreadsafeInbox<>();
    /** Failures of this loop's futures that nobody has read yet (reported at close at the latest). */
    final Set<UnretrievedFailure> unretrievedFailures = ConcurrentHashMap.newKeySet();
    private final IoSelector io;
    private SignalHandlers signals;

    private volatile Thread thread;
    private volatile boolean running;
    private boolean stopping;
    private volatile boolean closed;
    private int fastYields;
    private long turns; // turns started, see turns()
    private boolean ioAskedLastTurn; // the previous turn waited for or polled I/O (implementation notes)
    private int outsideWork;

    Task<?> currentTask;
    /** How many task steps run nested inside another task's step (eager starts) right now. */
    int eagerDepth;
    /** The Context of the task or callback running now (null: empty, created on first set). */
    Context currentContext;
    private Task<?> liveHead;
    private int liveCount;
    private long taskIds;

    private final java.util.Set<AsyncGenerator<?>> asyncGenerators =
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
    private ExceptionHandler exceptionHandler;
    private ExecutorService defaultExecutor;
    private SlowStepWatchdog watchdog;

    private static final AtomicLong LOOP_IDS = new AtomicLong();
    /** This loop's number in the JVM: its management bean is {@code io.jasyncio:type=EventLoop,name=loop-<id>}. */
    private final long id = LOOP_IDS.incrementAndGet();
    /** Steps, lag and rate (see {@link LoopMetrics}). */
    private final LoopMeter meter = new LoopMeter();
    /** Debug mode's detectors (see {@link SwallowedCancellation}, {@link IdleLoopReport}); created on first use. */
    private SwallowedCancellation swallowedCancellation;
    private volatile long idleReportNanos = Config.idleReportMillis() * 1_000_000;
    private volatile long blockingSampleNanos = Config.blockingSampleMillis() * 1_000_000;
    /** Set once an idle stretch was reported, cleared when the loop runs something again. */
    private boolean idleReported;
    /** The registered management bean, or null with {@code -Djasyncio.jmx=false}. */
    private final LoopManagement management;

    /** A loop with the default options. */
    public EventLoop() {
        this(LoopOptions.defaults());
    }

    /** A loop set up by {@code options}. */
    public EventLoop(LoopOptions options) {
        Objects.requireNonNull(options, "options");
        this.engine = options.engine() == null ? Engines.selected() : Engines.byName(options.engine());
        this.virtualTime = options.virtualTime();
        this.eagerTasks = options.eagerTasks();
        this.debug = options.debug();
        this.slowCallbackNanos = options.slowCallbackDuration().toNanos();
        this.io = new IoSelector(this);
        if (Config.metricsByDefault()) {
            meter.start();
        }
        this.management = LoopManagement.register(this);
    }

    // ================================================================ running

    /** The loop running on the current thread, or null. */
    static EventLoop runningOrNull() {
        EventLoop l = current();
        return l != null && l.running ? l : null;
    }

    /**
     * The loop whose baton the current thread holds: its own thread, or (virtual-thread engine) the
     * thread of the task it runs now; null elsewhere.
     *
     * <p>Implementation notes. A task thread of the virtual-thread engine is recognised by identity:
     * it is the thread of its loop's current task. That read is safe from any thread: the thread
     * holding loop A's baton sees A's {@code currentTask} through the baton's happens-before edge,
     * and a racy read of another loop's {@code currentTask} yields that loop's task or null, whose
     * thread is never this one. The thread-local is read only after that, so a task thread never
     * creates a {@code ThreadLocalMap}.
     *
     * <p>Before both, the loop that started last is asked: {@code current()} runs several times per
     * task step (every suspension finds its task through it), and a thread-local lookup was a third
     * of a yield's cost. A stale {@code lastStarted} is harmless: a loop's {@code thread} is set and
     * cleared by that thread itself, so it equals the reader only while the reader runs that loop.
     */
    static EventLoop current() {
        Thread me = Thread.currentThread();
        EventLoop last = lastStarted;
        if (last != null && last.thread == me) {
            return last;
        }
        if (me.isVirtual()) {
            for (EventLoop l : virtualLoops) {
                Task<?> t = l.currentTask;
                if (t != null && t.runningThread() == me) {
                    return l;
                }
            }
        }
        return RUNNING.get();
    }

    private static synchronized void virtualLoopStarted(EventLoop loop) {
        EventLoop[] now = virtualLoops;
        EventLoop[] next = java.util.Arrays.copyOf(now, now.length + 1);
        next[now.length] = loop;
        virtualLoops = next;
    }

    private static synchronized void virtualLoopStopped(EventLoop loop) {
        List<EventLoop> rest = new ArrayList<>(List.of(virtualLoops));
        rest.remove(loop);
        virtualLoops = rest.toArray(new EventLoop[0]);
    }

    /**
     * Runs the loop until {@link #stop()} is called. The calling thread becomes the loop's thread
     * (with the virtual-thread engine it waits while the loop runs on a virtual thread).
     */
    public void runForever() {
        checkClosed();
        if (running) {
            throw new IllegalStateException("this event loop is already running");
        }
        if (runningOrNull() != null) {
            throw new IllegalStateException("cannot run an event loop while another loop is running on this thread");
        }
        engine.runLoop(this::runForeverHere);
    }

    private void runForeverHere() {
        thread = Thread.currentThread();
        RUNNING.set(this);
        lastStarted = this;
        running = true;
        boolean ownTaskThreads = engine.tasksHaveOwnThreads();
        if (ownTaskThreads) {
            virtualLoopStarted(this);
        }
        if (debug) {
            watchdog = SlowStepWatchdog.start(this);
        }
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            running = false;
            if (watchdog != null) {
                watchdog.stop();
                watchdog = null;
            }
            if (ownTaskThreads) {
                virtualLoopStopped(this);
            }
            RUNNING.remove();
            thread = null;
            if (lastStarted == this) {
                lastStarted = null; // keep no stopped loop reachable (racing a start elsewhere only costs it the fast path)
            }
        }
    }

    /**
     * Runs the loop until {@code future} is done and returns its result (or throws its exception).
     * @throws IllegalStateException if the loop was stopped before the future completed
     */
    public <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        checkClosed();
        if (future.loop != this) {
            throw new IllegalArgumentException("the future belongs to another event loop: " + future);
        }
        java.util.function.Consumer<Future<T>> stopper = f -> stop();
        future.addDoneCallback(stopper);
        try {
            runForever();
        } finally {
            future.removeDoneCallback(stopper);
        }
        if (!future.done()) {
            throw new IllegalStateException("the event loop stopped before the future completed: " + future);
        }
        return future.result();
    }

    /** Runs {@code coroutine} as a task until it is done and returns its result. */
    public <T> T runUntilComplete(Coroutine<T> coroutine) {
        return runUntilComplete(createTask(coroutine));
    }

    /** Stops the loop after the current turn. May be called before it runs: it then runs one turn. */
    public void stop() {
        stopping = true;
    }

    /** True while {@link #runForever()} runs. */
    public boolean isRunning() {
        return running;
    }

    /** True after {@link #close()}. */
    public boolean isClosed() {
        return closed;
    }

    /** Which coroutine engine runs this loop's tasks: {@code "continuation"} or {@code "virtual"}. */
    public String engine() {
        return engine.name();
    }

    /**
     * Closes the loop: drops pending callbacks, shuts the default executor down (without waiting)
     * and releases the selector. Tasks still pending are reported to the exception handler
     * ("Task was destroyed but it is pending!"). Idempotent.
     * @throws IllegalStateException while the loop runs
     */
    @Override
    public void close() {
        if (running) {
            throw new IllegalStateException("cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        closed = true;
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending!" + creationSiteText(t), null, t, null));
        }
        LoopCloseHooks.runFor(this); // e.g. child processes still running are killed and reaped
        if (signals != null) {
            signals.removeAll();
        }
        for (UnretrievedFailure u : List.copyOf(unretrievedFailures)) {
            u.reportAtClose();
        }
        unretrievedFailures.clear();
        ready.clear();
        timers.clear();
        inbox.clear();
        if (defaultExecutor != null) {
            defaultExecutor.shutdown();
        }
        io.close();
        if (management != null) {
            management.unregister();
        }
    }

    // ================================================================ one turn

    private void runOnce() {
        turns++;
        inbox.moveTo(ready); // only what was posted before: the snapshot rule
        timers.dropCancelled();
        long timeout; // nanoseconds; -1 = no limit
        if (!ready.isEmpty() || stopping) {
            timeout = 0;
        } else if (timers.isEmpty()) {
            timeout = -1;
        } else {
            timeout = Math.max(0, timers.earliestNanos() - nowNanos());
        }
        boolean idleProbe = false;
        if (timeout < 0 && debug && !idleReported && mayBeStuck()) {
            timeout = idleReportNanos; // wait that long, then report (IdleLoopReport)
            idleProbe = true;
        }
        boolean askedIo = false;
        if (timeout != 0) {
            askedIo = true;
            if (virtualTime && outsideWork == 0 && timeout > 0 && !io.hasChannels()) {
                virtualNanos += timeout; // nothing can happen before the next timer: jump to it
            } else {
                long waited = io.waitForEvents(timeout, ready, () -> !inbox.isEmpty());
                if (virtualTime) {
                    virtualNanos += timeout < 0 ? waited : Math.min(waited, timeout);
                }
            }
            inbox.moveTo(ready);
            if (idleProbe && ready.isEmpty() && mayBeStuck()) {
                idleReported = true;
                IdleLoopReport.log(this, timeout, liveCount);
            }
        } else if ((!ioAskedLastTurn || io.keyCancelled()) && io.hasChannels()) {
            io.poll(ready); // something is ready, but I/O must not starve
            askedIo = true;
        }
        ioAskedLastTurn = askedIo;
        if (!timers.isEmpty()) { // the clock only when a timer may be due: a clock read is ~10 % of a ping-pong hop
            timers.moveDue(nowNanos(), ready);
        }
        fastYields = FAST_YIELD_BUDGET;
        int n = ready.size();
        LoopMeter m = meter;
        m.steps += n;
        if (n > 0) {
            idleReported = false;
        }
        boolean measuring = m.measuring;
        long batchStart = measuring ? System.nanoTime() : 0;
        FlightEvents.LoopLag flight = FlightEvents.recording ? FlightEvents.turnStarted() : null; // JFR hook
        if (debug) {
            for (int i = 0; i < n; i++) {
                runTimed(ready.poll());
            }
        } else {
            for (int i = 0; i < n; i++) {
                runItem(ready.poll());
            }
        }
        if (measuring) {
            m.turnRan(batchStart, System.nanoTime());
        }
        if (flight != null) {
            FlightEvents.turnEnded(flight, this, n);
        }
    }

    private void runItem(Object item) {
        if (item instanceof Task<?> t) {
            t.step();
        } else {
            ((Handle) item).run();
        }
    }

    private void runTimed(Object item) {
        SlowStepWatchdog w = watchdog;
        long start = System.nanoTime();
        if (w != null) {
            w.stepStarted(item, start);
        }
        try {
            runItem(item);
        } finally {
            long took = System.nanoTime() - start;
            StackTraceElement[] blockedAt = w == null ? null : w.stepEnded();
            if (took >= slowCallbackNanos) {
                meter.slowSteps++;
                reportSlowStep(item, took, blockedAt);
            }
        }
    }

    private void reportSlowStep(Object item, long tookNanos, StackTraceElement[] blockedAt) {
        String what = item instanceof Task<?> t ? "task " + t.getName() : String.valueOf(item);
        StringBuilder sb = new StringBuilder()
                .append(String.format("Executing %s took %.3f seconds (slow callback duration %.3f s)",
                        what, tookNanos / 1e9, slowCallbackNanos / 1e9));
        if (blockedAt != null && blockedAt.length > 0) {
            sb.append("; the loop was blocked at:");
            for (StackTraceElement e : blockedAt) {
                sb.append(System.lineSeparator()).append("\tat ").append(e);
            }
        }
        LOG.log(Level.WARNING, sb.toString());
        if (FlightEvents.recording) {
            FlightEvents.slowStep(this, what, tookNanos, blockedAt);
        }
    }

    // ================================================================ I/O readiness (asyncio's add_reader & co)

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is readable (or, for a server
     * channel, has a connection to accept), until {@link #removeReader}. Replaces an earlier reader.
     * @throws IllegalArgumentException if the channel is in blocking mode
     */
    public Handle addReader(SelectableChannel channel, Runnable callback) {
        checkThread();
        checkClosed();
        return io.addReader(channel, callback);
    }

    /** Stops watching {@code channel} for reading; returns whether a reader was registered. */
    public boolean removeReader(SelectableChannel channel) {
        checkThread();
        return !closed && io.removeReader(channel);
    }

    /**
     * Calls {@code callback} whenever {@code channel} is writable (or, while connecting, when the
     * connection attempt finished), until {@link #removeWriter}. Replaces an earlier writer.
     */
    public Handle addWriter(SelectableChannel channel, Runnable callback) {
        checkThread();
        checkClosed();
        return io.addWriter(channel, callback);
    }

    /** Stops watching {@code channel} for writing; returns whether a writer was registered. */
    public boolean removeWriter(SelectableChannel channel) {
        checkThread();
        return !closed && io.removeWriter(channel);
    }

    // ================================================================ Unix signals (asyncio's add_signal_handler)

    /**
     * Calls {@code callback} on this loop whenever the process receives {@code signal} ("TERM",
     * "SIGHUP", "USR2"...), until {@link #removeSignalHandler} or {@link #close()}; replaces an earlier
     * handler of this loop for the same signal. See {@link SignalHandlers} for which signals the
     * JVM lets through.
     * @throws IllegalArgumentException for an unknown signal, or one the JVM reserves
     */
    public void addSignalHandler(String signal, Runnable callback) {
        checkThread();
        checkClosed();
        if (signals == null) {
            signals = new SignalHandlers(this);
        }
        signals.add(signal, callback);
    }

    /** Removes this loop's handler for {@code signal}, restoring the one before; false if there was none. */
    public boolean removeSignalHandler(String signal) {
        checkThread();
        return signals != null && signals.remove(signal);
    }

    /**
     * Whether a yielding task may continue at once without a loop turn: only when a turn would run
     * nothing but this task. So not when a callback, a thread-safe callback or a timer is due, not
     * after {@link #stop()} (the task's next step belongs to the next run), not inside an eager
     * start (the creating task is waiting for the turn), not in debug mode (where each step is
     * timed). With channels to watch, at most {@link #FAST_YIELD_BUDGET} times in a row, so I/O is
     * still polled regularly; without, a turn would only find the ready queue holding this task, so
     * each budget's end does the one other thing a turn does, dropping cancelled timers.
     *
     * <p>Implementation note: the budget used to apply without channels too; the turn it forced every
     * 64 yields was about half of W1's time per yield on the continuation engine, and three quarters
     * on the virtual-thread engine, where a turn is two thread hand-offs.
     */
    boolean mayYieldWithoutSwitch() {
        if (debug || stopping || eagerDepth > 0 || !ready.isEmpty() || !inbox.isEmpty()) {
            return false;
        }
        if (!timers.isEmpty() && timers.earliestNanos() <= nowNanos()) { // no clock read when no timer waits
            return false;
        }
        if (--fastYields < 0) {
            if (io.hasChannels()) {
                return false; // the turn polls I/O and grants a fresh budget
            }
            timers.dropCancelled(); // the rest of a turn's housekeeping, so cancelled timers cannot pile up
            fastYields = FAST_YIELD_BUDGET;
        }
        return true;
    }

    // ================================================================ scheduling

    /** Runs {@code callback} on the next turn, after the callbacks already queued. */
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread();
        checkClosed();
        Handle h = new Handle(this, callback);
        h.context = Context.captureForChild();
        ready.add(h);
        return h;
    }

    /** Runs {@code callback} on the next turn inside {@code context} (Python's {@code call_soon(cb, context=)}). */
    public Handle callSoon(Runnable callback, Context context) {
        Handle h = callSoon(callback);
        h.context = Objects.requireNonNull(context, "context");
        return h;
    }

    /**
     * Runs {@code callback} on the loop's thread as soon as possible; callable from any thread,
     * and the only way in from another thread besides {@link Asyncio#runCoroutineThreadsafe}.
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        Handle h = new Handle(this, callback);
        if (running && current() == this) {
            ready.add(h); // from the loop itself: keep the order callSoon would give
            return h;
        }
        inbox.post(h);
        io.wakeup();
        return h;
    }

    /** Runs {@code callback} after {@code delay} (a negative delay counts as zero). */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        return callAtNanos(nanosAfter(delay), callback);
    }

    /** Runs {@code callback} after {@code delaySeconds} seconds. */
    public TimerHandle callLater(double delaySeconds, Runnable callback) {
        return callAtNanos(nowNanos() + Math.max(0, secondsToNanos(delaySeconds)), callback);
    }

    /** Runs {@code callback} at loop time {@code when} (seconds, as {@link #time()}); a past time means the next turn. */
    public TimerHandle callAt(double when, Runnable callback) {
        return callAtNanos(secondsToNanos(when), callback);
    }

    TimerHandle callAtNanos(long whenNanos, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread();
        checkClosed();
        TimerHandle h = new TimerHandle(this, callback, whenNanos, timers.nextSequence(), null);
        h.context = Context.captureForChild();
        timers.add(h);
        return h;
    }

    /** A timer that wakes {@code sleeper} (see {@link Task#sleepFor}). */
    TimerHandle wakeAtNanos(long whenNanos, Task<?> sleeper) {
        TimerHandle h = new TimerHandle(this, null, whenNanos, timers.nextSequence(), sleeper);
        timers.add(h);
        return h;
    }

    /** Entries in the timer heap, cancelled ones included (for tests of the compaction rule). */
    int pendingTimerEntries() {
        return timers.entries();
    }

    void timerCancelled() {
        timers.cancelledOne();
    }

    /** Queues a task's wake-up (no Handle needed: the task ignores stale wake-ups). */
    void enqueue(Task<?> task) {
        ready.add(task);
    }

    // ================================================================ time

    /** The loop's clock: monotonic seconds (virtual seconds with {@code virtualTime}). */
    public double time() {
        return nowNanos() / 1e9;
    }

    /** Loop time {@code delay} from now, in nanoseconds; a negative delay counts as zero. */
    long nanosAfter(Duration delay) {
        return nowNanos() + Math.max(0, saturatedNanos(delay));
    }

    long nowNanos() {
        return virtualTime ? virtualNanos : System.nanoTime() - origin;
    }

    static long secondsToNanos(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("time must be a number, not NaN");
        }
        double ns = seconds * 1e9;
        return ns >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : ns <= -Long.MAX_VALUE / 2.0 ? -Long.MAX_VALUE / 2 : (long) ns;
    }

    static long saturatedNanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE / 2);
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? -Long.MAX_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }

    // ================================================================ futures and tasks

    /** A new pending future bound to this loop. */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /** Schedules {@code coroutine} as a new task named {@code Task-N}. */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(null, coroutine, eagerTasks);
    }

    /** Schedules {@code coroutine} as a new task with the given name. */
    public <T> Task<T> createTask(String name, Coroutine<T> coroutine) {
        return createTask(name, coroutine, eagerTasks);
    }

    /**
     * Schedules {@code coroutine} as a new task; with {@code eagerStart} it runs at once, inside
     * this call, until it first suspends (and may even finish without ever being scheduled), like
     * asyncio 3.12's eager tasks. Eager start applies only while the loop runs.
     */
    public <T> Task<T> createTask(String name, Coroutine<T> coroutine, boolean eagerStart) {
        return newTask(name, coroutine, null, eagerStart);
    }

    /**
     * Schedules {@code coroutine} as a new task running in {@code context} (not a copy of the
     * creator's): asyncio's {@code create_task(coro, context=ctx)}.
     */
    public <T> Task<T> createTask(String name, Coroutine<T> coroutine, Context context) {
        return newTask(name, coroutine, Objects.requireNonNull(context, "context"), eagerTasks);
    }

    private <T> Task<T> newTask(String name, Coroutine<T> coroutine, Context context, boolean eagerStart) {
        Objects.requireNonNull(coroutine, "coroutine");
        checkThread();
        checkClosed();
        Task<T> task = new Task<>(this, name, coroutine);
        task.context = context != null ? context : Context.captureForChild();
        addLive(task);
        if (FlightEvents.recording) {
            FlightEvents.taskCreated(task); // JFR hook
        }
        if (eagerStart && running && current() == this) {
            task.step();
        } else {
            ready.add(task);
        }
        return task;
    }

    long nextTaskId() {
        return ++taskIds;
    }

    private void addLive(Task<?> t) {
        Task<?> h = liveHead;
        t.nextLive = h;
        if (h != null) {
            h.prevLive = t;
        }
        liveHead = t;
        liveCount++;
    }

    void taskFinished(Task<?> t) {
        Task<?> p = t.prevLive, n = t.nextLive;
        if (p != null) {
            p.nextLive = n;
        } else if (liveHead == t) {
            liveHead = n;
        } else {
            return; // already removed
        }
        if (n != null) {
            n.prevLive = p;
        }
        t.prevLive = t.nextLive = null;
        liveCount--;
    }

    void registerAsyncGenerator(AsyncGenerator<?> g) {
        asyncGenerators.add(g);
    }

    /**
     * Closes every async generator of this loop that is still open, cancelling their bodies so
     * their {@code finally} blocks run: asyncio's {@code shutdown_asyncgens}. Called by
     * {@link Runner#close()}; run the loop afterwards to let the bodies finish.
     */
    public void shutdownAsyncGenerators() {
        for (AsyncGenerator<?> g : new ArrayList<>(asyncGenerators)) {
            g.closeInBackground("closed only by the loop's shutdown of async generators");
        }
        asyncGenerators.clear();
    }

    /**
     * How many turns this loop has started. Code on the loop reads the same value twice only if it
     * has not suspended in between (a suspended task resumes in a later turn): that is how
     * {@link io.jasyncio.net.StreamWriter#drain()} tells a writer that keeps the loop to itself from
     * one that already gave it up. Loop thread only.
     */
    public long turns() {
        return turns;
    }

    /** This loop's number in the JVM (1, 2, ...): its management bean is {@code io.jasyncio:type=EventLoop,name=loop-<id>}. */
    public long getId() {
        return id;
    }

    /**
     * The loop's metrics now (see {@link LoopMetrics}); the first call switches lag and rate measurement on.
     * Loop thread only; from elsewhere read the loop's {@link EventLoopMXBean}.
     */
    public LoopMetrics metrics() {
        checkThread();
        meter.start();
        return meter.snapshot(liveCount, ready.size());
    }

    /** The metrics read from another thread while the loop does not answer: approximate, never blocking. */
    LoopMetrics metricsFromOutside() {
        return meter.snapshot(liveCount, ready.size());
    }

    /** Every task of this loop that is not done yet. */
    public List<Task<?>> allTasks() {
        List<Task<?>> all = new ArrayList<>(liveCount);
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            all.add(t);
        }
        return all;
    }

    /** The task whose code is running now, or null (between tasks, in plain callbacks). */
    public Task<?> currentTask() {
        return currentTask;
    }

    // ================================================================ executors

    /**
     * Runs blocking {@code work} on {@code executor} (null: the default executor) and returns a
     * future of its result, completed on this loop. Cancelling the future interrupts the work if
     * it has started.
     *
     * <p>The default executor is a pool of up to {@value #DEFAULT_EXECUTOR_THREADS} daemon platform
     * threads (idle ones exit after a minute), like Kotlin's {@code Dispatchers.IO}. Not virtual
     * threads: they are never preempted, so CPU-bound work handed to them would occupy every
     * carrier and starve the virtual-thread engine's loop (measured: 0.6 s of loop lag on two
     * cores); the OS schedules platform threads fairly, and blocking calls that pin a virtual
     * thread (native code, {@code synchronized} on JDK 21-23) are harmless there.
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> work) {
        Objects.requireNonNull(work, "work");
        checkThread();
        checkClosed();
        Executor ex = executor != null ? executor : defaultExecutor();
        ExecutorJob<T> job = new ExecutorJob<>(this, work);
        outsideWork++;
        try {
            ex.execute(job);
        } catch (RejectedExecutionException e) {
            outsideWork--;
            throw e;
        }
        return job.result;
    }

    /** Threads of the default executor at most. */
    public static final int DEFAULT_EXECUTOR_THREADS = 64;

    private ExecutorService defaultExecutor() {
        if (defaultExecutor == null) {
            java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
                    DEFAULT_EXECUTOR_THREADS, DEFAULT_EXECUTOR_THREADS, 60, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(),
                    Thread.ofPlatform().daemon().name("jasyncio-worker-", 0).factory());
            pool.allowCoreThreadTimeOut(true);
            defaultExecutor = pool;
        }
        return defaultExecutor;
    }

    /** Replaces the executor used by {@link #runInExecutor} with null and by {@link Asyncio#toThread}. */
    public void setDefaultExecutor(ExecutorService executor) {
        checkThread();
        this.defaultExecutor = Objects.requireNonNull(executor, "executor");
    }

    /** Stops the default executor from taking work (asyncio's {@code shutdown_default_executor}). */
    public void shutdownDefaultExecutor() {
        if (defaultExecutor != null) {
            defaultExecutor.shutdown();
        }
    }

    /** Work outside the loop (another thread) will call back: the virtual clock must not jump past it. */
    void outsideWorkStarted() {
        outsideWork++;
    }

    void outsideWorkDone() {
        outsideWork--;
    }

    // ================================================================ errors and debug

    /** Sets the handler for errors nobody else can receive; null restores the default. */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /** The handler set by {@link #setExceptionHandler}, or null for the default. */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Hands {@code context} to the exception handler. Never throws: if the handler throws, that
     * error and the context go to the default handler; if logging throws too (a broken logger),
     * both are written to standard error, and the loop runs on.
     */
    public void callExceptionHandler(ExceptionContext context) {
        ExceptionHandler h = exceptionHandler;
        if (h != null) {
            try {
                h.handle(this, context);
                return;
            } catch (Throwable t) {
                logOrPrint("Unhandled error in the exception handler (context: " + context.message() + ")", t);
            }
        }
        try {
            defaultExceptionHandler(context);
        } catch (Throwable loggingFailed) {
            LastResort.print("jasyncio: logging an error failed (" + loggingFailed + "); the error was: "
                    + context.message(), context.exception());
        }
    }

    private static void logOrPrint(String message, Throwable t) {
        try {
            LOG.log(Level.ERROR, message, t);
        } catch (Throwable loggingFailed) {
            LastResort.print("jasyncio: " + message + " (logging it failed too: " + loggingFailed + ")", t);
        }
    }

    /** Logs {@code context} at ERROR through {@code System.Logger} "io.jasyncio". */
    public void defaultExceptionHandler(ExceptionContext context) {
        StringBuilder sb = new StringBuilder(context.message());
        if (context.future() != null) {
            sb.append(System.lineSeparator()).append("future: ").append(context.future());
        }
        if (context.handle() != null) {
            sb.append(System.lineSeparator()).append("handle: ").append(context.handle());
        }
        LOG.log(Level.ERROR, sb.toString(), context.exception());
    }

    /** Called from a GC cleaner thread: reports on the loop if it still runs, else returns false. */
    boolean reportFromAnyThread(ExceptionContext context) {
        return !closed && running && LoopPost.postIfOpen(this, () -> callExceptionHandler(context));
    }

    /** Where futures and tasks were created (debug mode only; weak keys, so nothing is kept alive). */
    private java.util.Map<Future<?>, StackTraceElement> creationSites;

    /** Debug mode: remembers the first frame of user code that created {@code f}. */
    void recordCreationSite(Future<?> f) {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            if (!Task.isLibraryFrame(e)) {
                if (creationSites == null) {
                    creationSites = new java.util.WeakHashMap<>();
                }
                creationSites.put(f, e);
                return;
            }
        }
    }

    /** " (created at File.java:42)" for a future created in debug mode, else "". */
    String creationSiteText(Future<?> f) {
        StackTraceElement e = creationSites == null ? null : creationSites.get(f); // loop thread: when it failed
        return e == null ? "" : " (created at " + e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName()
                + ":" + e.getLineNumber() + "))";
    }

    /** Debug mode: see {@link LoopOptions#debug()}. */
    public void setDebug(boolean on) {
        this.debug = on;
        if (running && on && watchdog == null && current() == this) {
            watchdog = SlowStepWatchdog.start(this);
        }
    }

    public boolean isDebug() {
        return debug;
    }

    /** Debug mode: pending tasks, and nothing but another thread could wake them (see {@link IdleLoopReport}). */
    private boolean mayBeStuck() {
        return idleReportNanos > 0 && liveCount > 0 && outsideWork == 0 && !io.hasChannels() && inbox.isEmpty();
    }

    SwallowedCancellation swallowedCancellation() {
        if (swallowedCancellation == null) {
            swallowedCancellation = new SwallowedCancellation();
        }
        return swallowedCancellation;
    }

    /**
     * Debug mode: how long the loop may sit idle with pending tasks and nothing that can wake them before
     * it logs the wait-for graph ({@link IdleLoopReport}; default 1 s or {@code -Djasyncio.debug.idleReportMillis};
     * zero: never).
     */
    public void setIdleReportDuration(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("idle report duration must not be negative: " + d);
        }
        this.idleReportNanos = saturatedNanos(d);
    }

    /** See {@link #setIdleReportDuration}. */
    public Duration getIdleReportDuration() {
        return Duration.ofNanos(idleReportNanos);
    }

    /**
     * Debug mode's sampling mode: every step is sampled at this interval and a blocking call inside a task
     * ({@code Thread.sleep}, {@code Object.wait}, a blocking future's {@code get()}, blocking socket or file
     * I/O, a JDBC driver's native code) is logged once per call site, even when too short to make a slow step.
     * Zero (the default, or {@code -Djasyncio.debug.blockingSampleMillis}) turns it off.
     */
    public void setBlockingSampleInterval(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("blocking sample interval must not be negative: " + d);
        }
        this.blockingSampleNanos = saturatedNanos(d);
        wakeWatchdog();
    }

    /** See {@link #setBlockingSampleInterval}. */
    public Duration getBlockingSampleInterval() {
        return Duration.ofNanos(blockingSampleNanos);
    }

    long blockingSampleNanos() {
        return blockingSampleNanos;
    }

    /** A step that runs longer than this is reported in debug mode (default 100 ms). */
    public void setSlowCallbackDuration(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("slow callback duration must not be negative: " + d);
        }
        this.slowCallbackNanos = d.toNanos();
        wakeWatchdog();
    }

    /** The sampler may be parked for half the old threshold: it must pick a new setting up now. */
    private void wakeWatchdog() {
        SlowStepWatchdog w = watchdog;
        if (w != null) {
            w.settingsChanged();
        }
    }

    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(slowCallbackNanos);
    }

    long slowCallbackNanos() {
        return slowCallbackNanos;
    }

    Thread loopThread() {
        return thread;
    }

    void checkThread() {
        if (debug && running && current() != this) {
            throw new IllegalStateException("a non-thread-safe operation was called on an event loop from thread "
                    + Thread.currentThread().getName() + ", which does not run it; use loop.callSoonThreadsafe(...)"
                    + " or Asyncio.runCoroutineThreadsafe(...) from other threads");
        }
    }

    private void checkClosed() {
        if (closed) {
            throw new IllegalStateException("the event loop is closed");
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + (closed ? "closed" : running ? "running" : "idle") + ", engine=" + engine.name()
                + ", debug=" + debug + ", ready=" + ready.size() + ", timers=" + timers.live()
                + ", tasks=" + liveCount + "]";
    }
}
