package io.jasyncio;

import io.jasyncio.internal.LineParking;
import io.jasyncio.internal.Sneaky;
import io.jasyncio.internal.UserFrames;
import io.jasyncio.internal.WaitQueue;
import java.io.PrintStream;
import java.util.Objects;

/**
 * A coroutine running on an event loop: asyncio's {@code Task}. A task is a {@link Future} of its
 * coroutine's result.
 *
 * <h2>Life cycle</h2>
 * <pre>
 *  run state | meaning                                   | next
 *  NEW       | created, its first step is queued         | RUNNING (a step), DONE (cancelled before start)
 *  RUNNING   | its strand holds the loop's baton         | PARKED (it suspended), DONE (its body ended)
 *  PARKED    | suspended; a wake-up is queued or awaited | RUNNING
 *  DONE      | the Future part is done                   | -
 * </pre>
 * Invariants: (1) a task is resumed only from NEW or PARKED, so a stale or duplicate wake-up is
 * harmless; (2) while PARKED it waits on at most one future, one sleep timer or one
 * {@link WaitQueue} line ({@code waitingFor}), or it is in the loop's ready queue; (3) the loop
 * holds every task that is not done (asyncio keeps only weak references, so an unreferenced pending
 * task could vanish, cpython gh-88831; here it cannot).
 *
 * <h2>Cancellation</h2>
 * {@link #cancel(String)} follows asyncio 3.11+: it counts a request ({@link #cancelling()}) and
 * arranges for one {@link CancelledError} to reach the coroutine at its suspension point. The task
 * may catch it, clean up (even suspend again) and rethrow; if it returns normally instead it is not
 * cancelled. {@link #uncancel()} takes one request back. How the error travels depends on where the
 * task is when {@code cancel} is called; this is the task's second state machine:
 * <pre>
 *  delivery   | situation when cancel() is called          | how the CancelledError reaches the coroutine
 *  NONE       | no cancellation on its way                 | -
 *  AT_NEXT    | running (it cancels itself), not started,  | thrown when it next suspends (or starts),
 *             | or its future could not be cancelled        | without suspending if it is already woken
 *             | (already done, or shielded)                 |
 *  VIA_FUTURE | parked on a future that cancel() cancelled | the future is cancelled; the task wakes and throws
 *  VIA_WAKEUP | parked in sleep() or in a WaitQueue, or     | the timer is removed or the task leaves the
 *             | AT_NEXT met a sleep, a yield or a WaitQueue | line, a wake-up is queued; it throws when it
 *             |                                             | resumes (one loop turn later, as asyncio)
 *  PROPAGATING| (transient, inside cancel()) parked on a    | becomes VIA_FUTURE or AT_NEXT before cancel()
 *             | future whose cancel() is still running      | returns; see the await cycle below
 * </pre>
 * Rules: (a) while a delivery is on its way, further {@code cancel} calls only count (asyncio throws
 * once however often it was cancelled); (b) a delivery ends, back at NONE, when the error is
 * thrown; (c) {@code uncancel()} down to zero drops an AT_NEXT delivery not yet thrown (asyncio
 * 3.13), but not one already handed to a future or a sleep; (d) the {@link CancelledError} the
 * coroutine finally lets escape is kept: awaiting the task rethrows that very object; (e) inside a
 * {@linkplain Asyncio#shielded shielded} block a cancellation is counted but held back (NONE stays
 * NONE), unless a scope opened inside that block asked for it; it is armed as AT_NEXT when the
 * block ends.
 *
 * <p>An await cycle (A awaits B, B awaits A: a deadlock the debug mode reports as it forms) must not
 * turn {@code a.cancel()} into endless recursion (CPython's asyncio raises RecursionError there). A
 * marks itself PROPAGATING before it cancels B; B finds the future it awaits is a task in that state,
 * so the cancellation has come full circle: B leaves A's waiters and takes a VIA_WAKEUP delivery
 * instead. B throws, ends cancelled, and A, VIA_FUTURE on B, wakes with B's outcome: the cycle
 * unwinds one task at a time, as a cancelled chain without a cycle does.
 *
 * <p>Threading: loop-confined, like everything on a loop.
 *
 * @param <T> the coroutine's result type
 */
public final class Task<T> extends Future<T> {

    private static final byte NEW = 0, RUNNING = 1, PARKED = 2, DONE = 3;
    private static final byte CANCEL_NONE = 0, CANCEL_AT_NEXT = 1, CANCEL_VIA_FUTURE = 2, CANCEL_VIA_WAKEUP = 3,
            CANCEL_PROPAGATING = 4;

    /**
     * The body of every task's strand: one shared object (a per-task {@code this::body} costs 16 B
     * per task). It runs inside the first {@link #step()}, which made the task its loop's current one.
     */
    private static final Runnable STRAND_BODY = () -> EventLoop.current().currentTask.body();

    static {
        WaitQueue.install(new Parking());
    }

    private final Coroutine<T> coroutine;
    /** The engine's strand (see {@link io.jasyncio.internal.Engine}): opaque, handed back to the engine. */
    private final Object strand;
    private final long id;
    private String name;
    private byte run = NEW;
    /** How the cancellation on its way is delivered: see the class comment. */
    private byte cancelDelivery = CANCEL_NONE;
    /** Cancellation requests not yet taken back by uncancel(). */
    private int cancelsRequested;
    /**
     * What this task is suspended on (invariant 2): the {@link Future} it awaits, the
     * {@link TimerHandle} of its sleep (a sleep needs no future), the {@link WaitQueue} it is parked
     * in (nor does a line), or null.
     */
    private Object waitingFor;
    /** Innermost open Timeout, TaskGroup or Shield of this task (each links to the one around it). */
    Scope scope;

    /** This task's own context (a copy of its creator's; null while empty). */
    Context context;
    /** State most tasks never need, made on first use (null until then): see {@link Seldom}. */
    private Seldom seldom;

    /** The loop's intrusive list of unfinished tasks (invariant 3). */
    Task<?> prevLive, nextLive;

    /**
     * The fields few tasks ever set, kept out of every task's own object (each parked task pays for
     * its fields: W4 of docs/benchmarks.md). The CancelledError the coroutine let escape (rule d)
     * needs no field at all: it is the cancelled Future's outcome.
     */
    private static final class Seldom {
        /** The message of the cancellation on its way (while {@code cancelDelivery != NONE}). */
        String cancelDeliveryMessage;
        /** The innermost open shielded block, or null (rule e). */
        Shield shield;
        /** What the thread bindings replaced on the thread running this task's current step, or null. */
        Object[] bindingsOnThisThread;
        /** Observability hook: the Lock this task is waiting to acquire, or null (set by Lock, read by DeadlockDetector). */
        Lock blockedOnLock;
    }

    private Seldom seldom() {
        Seldom s = seldom;
        if (s == null) {
            seldom = s = new Seldom();
        }
        return s;
    }

    private String cancelDeliveryMessage() {
        Seldom s = seldom;
        return s == null ? null : s.cancelDeliveryMessage;
    }

    private void setCancelDeliveryMessage(String message) {
        if (message != null || seldom != null) {
            seldom().cancelDeliveryMessage = message;
        }
    }

    private Shield shield() {
        Seldom s = seldom;
        return s == null ? null : s.shield;
    }

    /** Puts the thread bindings of the current context on this thread, keeping what they replace. */
    private void installBindings() {
        Object[] replaced = Context.installBindings(loop.currentContext);
        if (replaced != null || seldom != null) {
            seldom().bindingsOnThisThread = replaced;
        }
    }

    /** Takes this task's thread bindings off the thread again. */
    private void restoreBindings() {
        Seldom s = seldom;
        if (s != null && s.bindingsOnThisThread != null) {
            Context.restoreBindings(s.bindingsOnThisThread);
            s.bindingsOnThisThread = null;
        }
    }

    Task(EventLoop loop, String name, Coroutine<T> coroutine) {
        super(loop);
        this.coroutine = Objects.requireNonNull(coroutine, "coroutine");
        this.name = name;
        this.id = loop.nextTaskId();
        this.strand = loop.engine.newStrand(STRAND_BODY);
    }

    // ---------------------------------------------------------------- the current task

    /** The task running on the current thread's loop, or null. */
    static Task<?> currentOrNull() {
        EventLoop loop = EventLoop.current();
        return loop == null ? null : loop.currentTask;
    }

    static Task<?> currentOrThrow(String what) {
        EventLoop loop = EventLoop.current();
        Task<?> t = loop == null ? null : loop.currentTask;
        if (t == null) {
            throw new IllegalStateException(what + " must be called from inside a jasyncio task: start the program"
                    + " with Asyncio.run(() -> main()) or loop.createTask(...), and call it from that code"
                    + (loop == null ? " (no event loop is running on this thread)" : " (this is a plain callback, not a task)"));
        }
        return t;
    }

    // ---------------------------------------------------------------- stepping

    /** Runs the task until it next suspends. Called by the loop (or by eager creation). */
    void step() {
        if (run != NEW && run != PARKED) {
            return; // stale wake-up: invariant (1)
        }
        EventLoop l = loop;
        Task<?> previous = l.currentTask;
        Context previousContext = l.currentContext;
        l.currentTask = this;
        l.currentContext = context;
        if (previous != null) {
            l.eagerDepth++; // started eagerly inside another task's step
        }
        FlightEvents.TaskStep flight = FlightEvents.recording ? FlightEvents.stepStarted() : null; // JFR hook
        try {
            l.engine.resume(strand);
        } finally {
            if (flight != null) {
                FlightEvents.stepEnded(flight, this);
            }
            if (previous != null) {
                l.eagerDepth--;
            }
            context = l.currentContext; // a first set() inside the step created the task's context
            l.currentTask = previous;
            l.currentContext = previousContext;
        }
    }

    private void body() {
        run = RUNNING;
        installBindings();
        T value;
        try {
            throwPendingCancellation(); // cancelled before its first step
            value = coroutine.call();
        } catch (CancelledError e) {
            finish();
            finishCancelled(e); // rule d: awaiting the task rethrows this very object
            return;
        } catch (Throwable t) {
            finish();
            finishException(t);
            return;
        }
        finish();
        if (cancelDelivery == CANCEL_AT_NEXT) {
            // Cancelled right before the coroutine returned: asyncio reports the task cancelled.
            finishCancelled(cancelDeliveryMessage());
        } else {
            if (cancelsRequested > 0 && loop.isDebug()) {
                loop.swallowedCancellation().returnedNormally(this); // debug-mode detector hook
            }
            finishResult(value);
        }
    }

    private void finish() {
        restoreBindings();
        run = DONE;
        waitingFor = null;
        loop.taskFinished(this);
    }

    /**
     * Suspends the strand; the caller has arranged the wake-up. Thread bindings
     * ({@link ThreadBinding}) are taken off the thread while the task is away and put back on the
     * thread that resumes it.
     */
    private void park() {
        run = PARKED;
        restoreBindings();
        try {
            loop.engine.suspend(strand);
        } finally {
            run = RUNNING;
            installBindings();
        }
    }

    /** Future.await() of a pending future from this (the current) task. */
    void awaitFuture(Future<?> fut) {
        if (fut == this) {
            throw new IllegalStateException("a task cannot await itself: " + this);
        }
        if (fut.loop != loop) {
            throw new IllegalStateException("cannot await " + fut + ": it belongs to another event loop;"
                    + " use fut.toCompletableFuture() with Asyncio.await(...) or runCoroutineThreadsafe");
        }
        fut.addWaiter(this);
        waitingFor = fut;
        if (fut instanceof Task<?> && loop.isDebug()) {
            DeadlockDetector.reportIfCycleThrough(this); // debug-mode hook: a deadlock is reported as it forms
        }
        if (cancelDelivery == CANCEL_AT_NEXT && fut.cancel(cancelDeliveryMessage())) {
            cancelDelivery = CANCEL_VIA_FUTURE; // delivered through the future, as asyncio's __step does
        }
        try {
            park();
        } catch (IllegalStateException pinned) {
            fut.removeWaiter(this);
            throw pinned;
        } finally {
            waitingFor = null;
        }
        if (cancelDelivery == CANCEL_VIA_FUTURE) {
            // The cancellation went to the awaited future; for a task that is only a request, so
            // this task gets the outcome it ended with (asyncio: its CancelledError, or whatever
            // it raised or returned instead): Future.await() reads it.
            cancelDelivery = CANCEL_NONE;
            setCancelDeliveryMessage(null);
            return;
        }
        throwPendingCancellation();
    }

    /**
     * sleep(): suspends until a timer wakes this task. Cancellation removes the timer and wakes
     * the task at once; a timer that already fired leaves the wake-up queued and the
     * cancellation is thrown when the task resumes (as asyncio's sleep future would).
     */
    void sleepFor(long nanos) {
        if (cancelDelivery == CANCEL_AT_NEXT) {
            cancelDelivery = CANCEL_VIA_WAKEUP; // asyncio cancels the sleep's future at once
            loop.enqueue(this);
        } else {
            waitingFor = loop.wakeAtNanos(loop.nowNanos() + nanos, this);
        }
        try {
            park();
        } finally {
            if (waitingFor instanceof TimerHandle t) { // only if the suspension itself failed (pinned)
                waitingFor = null;
                t.cancel();
            }
        }
        throwPendingCancellation();
    }

    /** sleep() of the current task: a non-positive delay is a yield. */
    static void sleepCurrent(long nanos) {
        Task<?> task = Task.currentOrThrow("sleep()");
        if (nanos <= 0) {
            task.yieldToLoop();
        } else {
            task.sleepFor(nanos);
        }
    }

    /** The sleep's timer fired. */
    void sleepOver(TimerHandle timer) {
        if (waitingFor == timer) {
            waitingFor = null;
            loop.enqueue(this);
        }
    }

    /**
     * A {@link WaitQueue}'s way to park this task with no future of its own ({@link LineParking}):
     * the line owns the waiters and the pass-on rule, the task its suspension and its cancellation
     * delivery (a cancellation takes a task waiting in a line out of it, VIA_WAKEUP).
     */
    private static final class Parking implements LineParking {
        @Override
        public Task<?> current(EventLoop loop, String action) {
            Task<?> t = currentOrNull();
            if (t == null) {
                currentOrThrow(action + "()"); // throws: the message is built only here
            }
            if (t.loop != loop) {
                throw new IllegalStateException(action + "() of an object of another event loop, from " + t
                        + ": an object serves the tasks of its own loop; from another loop, go through"
                        + " runCoroutineThreadsafe");
            }
            return t;
        }

        @Override
        public boolean cancellationOnItsWay(Task<?> task) {
            return task.cancellationOnItsWay();
        }

        @Override
        public boolean suspendInLine(Task<?> task, WaitQueue line) {
            task.waitingFor = line;
            try {
                task.park();
            } finally {
                task.waitingFor = null;
            }
            // Taken out of the line by cancel() (VIA_WAKEUP), or woken by the line: a cancellation that
            // came after the wake-up is AT_NEXT, since cancel() found the task waiting on nothing.
            return task.cancelDelivery != CANCEL_VIA_WAKEUP;
        }

        @Override
        public void wake(Task<?> task) {
            assert task.waitingFor instanceof WaitQueue : task + " woken by a line it is not parked in";
            task.waitingFor = null;
            task.loop.enqueue(task);
        }

        @Override
        public void yieldToLoop(Task<?> task) {
            task.yieldToLoop();
        }

        @Override
        public void throwPendingCancellation(Task<?> task) {
            task.throwPendingCancellation();
        }
    }

    /**
     * yieldNow(): let every other ready callback run once, then continue. A task started eagerly
     * always gives its creator the turn (asyncio: its first {@code sleep(0)} ends the eager step).
     */
    void yieldToLoop() {
        if (cancelDelivery == CANCEL_AT_NEXT) {
            cancelDelivery = CANCEL_VIA_WAKEUP;
        }
        if (!loop.mayYieldWithoutSwitch()) {
            loop.enqueue(this);
            park();
        }
        throwPendingCancellation();
    }

    /** Throws the cancellation on its way, if any (rule b). */
    private void throwPendingCancellation() {
        if (cancelDelivery != CANCEL_NONE) {
            cancelDelivery = CANCEL_NONE;
            String message = cancelDeliveryMessage();
            setCancelDeliveryMessage(null);
            CancelledError e = new CancelledError(message);
            if (loop.isDebug()) {
                loop.swallowedCancellation().raised(this, e); // debug-mode detector hook
            }
            throw e;
        }
    }

    /**
     * The operation that {@code e} interrupted had in fact completed before the cancellation arrived
     * (a channel send whose element a receiver already took): the caller returns normally, and the
     * cancellation is thrown again at the task's next suspension (trio: a cancelled operation either
     * happened or raises, never both). Call only with the error this task just caught.
     */
    void deliverCancellationLater(CancelledError e) {
        if (cancelDelivery == CANCEL_NONE && cancelsRequested > 0) {
            cancelDelivery = CANCEL_AT_NEXT;
            setCancelDeliveryMessage(e.getMessage());
        }
    }

    /** True while a cancellation is on its way to the coroutine and has not been thrown yet. */
    boolean cancellationOnItsWay() {
        return cancelDelivery != CANCEL_NONE;
    }

    void pushScope(Scope s) {
        s.outer = scope;
        scope = s;
    }

    void popScope(Scope s) {
        assert scope == s : "scopes close in the reverse order of opening: " + s + " is not innermost in " + this;
        scope = s.outer;
    }

    // ---------------------------------------------------------------- cancellation API

    /**
     * Requests cancellation: see the class comment. Returns false if the task is already done.
     */
    @Override
    public boolean cancel(String message) {
        return cancel(message, null);
    }

    /**
     * A cancellation requested by {@code from} (one of this task's own scopes, or null for anyone
     * else). Inside a shielded block only a scope opened inside it gets through (rule e).
     */
    boolean cancel(String message, Scope from) {
        loop.checkThread();
        if (done()) {
            markRetrieved(); // asyncio: cancel() of a done task means nobody wants its failure
            return false;
        }
        cancelsRequested++;
        if (cancelDelivery != CANCEL_NONE) {
            return true; // rule (a)
        }
        Shield s = shield();
        if (s != null && !s.encloses(from)) {
            s.holdBack(message); // rule (e)
            return true;
        }
        setCancelDeliveryMessage(message);
        Object w = waitingFor;
        if (w instanceof TimerHandle || w instanceof WaitQueue) {
            waitingFor = null;
            if (w instanceof TimerHandle sleeping) {
                sleeping.cancel();
            } else {
                ((WaitQueue) w).cancelled(this);
            }
            cancelDelivery = CANCEL_VIA_WAKEUP;
            loop.enqueue(this);
            return true;
        }
        if (w instanceof Future<?> awaited) {
            if (awaited instanceof Task<?> t && t.cancelDelivery == CANCEL_PROPAGATING) {
                // An await cycle: this cancel came round from t, which is cancelling what it awaits.
                // Wake this task instead, so one task of the cycle throws (class comment).
                awaited.removeWaiter(this);
                waitingFor = null;
                cancelDelivery = CANCEL_VIA_WAKEUP;
                loop.enqueue(this);
                return true;
            }
            cancelDelivery = CANCEL_PROPAGATING; // a cancel coming back round a cycle sees it (rule a)
            if (awaited.cancel(message)) {
                cancelDelivery = CANCEL_VIA_FUTURE;
                return true;
            }
        }
        cancelDelivery = CANCEL_AT_NEXT;
        return true;
    }

    /** Enters a shielded block: a cancellation already armed but not thrown is held back too. */
    void enterShield(Shield s) {
        pushScope(s);
        Seldom rare = seldom();
        s.outerShield = rare.shield;
        rare.shield = s;
        if (cancelDelivery == CANCEL_AT_NEXT) {
            s.holdBack(rare.cancelDeliveryMessage);
            cancelDelivery = CANCEL_NONE;
            rare.cancelDeliveryMessage = null;
        }
    }

    /** Leaves a shielded block: what it held back is armed again (or held by the shield around it). */
    void exitShield(Shield s) {
        popScope(s);
        Seldom rare = seldom(); // made by enterShield
        rare.shield = s.outerShield;
        if (!s.heldBack() || cancelsRequested == 0) {
            return; // nothing held, or every request was taken back meanwhile
        }
        if (rare.shield != null) {
            rare.shield.holdBack(s.heldBackMessage());
        } else if (cancelDelivery == CANCEL_NONE) {
            cancelDelivery = CANCEL_AT_NEXT;
            rare.cancelDeliveryMessage = s.heldBackMessage();
        }
    }

    /** The number of cancellation requests not yet taken back with {@link #uncancel()}. */
    public int cancelling() {
        return cancelsRequested;
    }

    /**
     * Takes back one cancellation request and returns the number left. When none are left, a
     * cancellation that has not been handed on yet is dropped (rule c, asyncio 3.13).
     */
    public int uncancel() {
        if (cancelsRequested > 0) {
            cancelsRequested--;
            if (cancelsRequested == 0 && cancelDelivery == CANCEL_AT_NEXT) {
                cancelDelivery = CANCEL_NONE;
                setCancelDeliveryMessage(null);
            }
        }
        return cancelsRequested;
    }

    /** Tasks are completed by their coroutine: always throws. */
    @Override
    public void setResult(T value) {
        throw new UnsupportedOperationException("a Task's result is set by its coroutine, not by setResult()");
    }

    /** Tasks are completed by their coroutine: always throws. */
    @Override
    public void setException(Throwable exception) {
        throw new UnsupportedOperationException("a Task's exception is set by its coroutine, not by setException()");
    }

    // ---------------------------------------------------------------- introspection

    /** The task's name: the one given at creation, or {@code Task-N}. */
    public String getName() {
        String n = name;
        return n != null ? n : "Task-" + id;
    }

    /** Renames the task. */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The coroutine this task runs. */
    public Coroutine<T> getCoro() {
        return coroutine;
    }

    /**
     * Where the task is: the stack of its suspension point while it is suspended (innermost frame
     * first), the live stack while it runs, empty once done or before it started.
     */
    public StackTraceElement[] getStack() {
        if (run == PARKED) {
            return loop.engine.suspendedStack(strand);
        }
        if (run == RUNNING && Task.currentOrNull() == this) {
            StackTraceElement[] s = new Throwable().getStackTrace();
            return java.util.Arrays.copyOfRange(s, Math.min(1, s.length), s.length);
        }
        return new StackTraceElement[0];
    }

    /** Observability hook: the Lock this task is waiting to acquire, or null (read by DeadlockDetector). */
    Lock blockedOnLock() {
        Seldom s = seldom;
        return s == null ? null : s.blockedOnLock;
    }

    /** Observability hook, set by Lock while this task waits to acquire {@code lock} (null: no longer). */
    void setBlockedOnLock(Lock lock) {
        if (lock != null || seldom != null) {
            seldom().blockedOnLock = lock;
        }
    }

    /** Observability hook: the future this task is suspended on, or null (read by {@link CallGraph}). */
    Future<?> awaiting() {
        return waitingFor instanceof Future<?> f ? f : null;
    }

    /** Observability hook: the line this task is parked in, or null (read by {@link CallGraph}). */
    WaitQueue waitingInLine() {
        return waitingFor instanceof WaitQueue l ? l : null;
    }

    /** Observability hook: the timer of the sleep this task is suspended in, or null (read by {@link CallGraph}). */
    TimerHandle sleepTimer() {
        return waitingFor instanceof TimerHandle t ? t : null;
    }

    /** Observability hook: the innermost open scope (its TaskGroups know their children; read by {@link CallGraph}). */
    Scope innermostScope() {
        return scope;
    }

    /** The task's number in its loop (1, 2, ...), as in {@code Task-N}. */
    public long getId() {
        return id;
    }

    /** The thread running this task's code while it runs, or null when that is the loop's thread. */
    Thread runningThread() {
        return loop.engine.thread(strand);
    }

    /** Prints the task and its stack, like asyncio's {@code print_stack}. */
    public void printStack(PrintStream out) {
        out.println(this);
        for (StackTraceElement e : getStack()) {
            out.println("\tat " + e);
        }
    }

    /** The first frame of the task's stack outside jasyncio and the JDK: the user's line it is paused at. */
    String pausedAt() {
        for (StackTraceElement e : getStack()) {
            if (!isLibraryFrame(e)) {
                return e.getFileName() + ":" + e.getLineNumber();
            }
        }
        return null;
    }

    static boolean isLibraryFrame(StackTraceElement e) {
        return UserFrames.isLibraryFrame(e);
    }

    @Override
    String describeForReport() {
        return "Task exception was never retrieved (task " + getName() + ")" + loop.creationSiteText(this);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Task[name=").append(getName()).append(", ").append(stateText());
        if (!done()) {
            if (cancelsRequested > 0) {
                sb.append(", cancelling=").append(cancelsRequested);
            }
            String awaits = CallGraph.describeAwait(this);
            if (awaits != null) {
                sb.append(", awaiting=").append(awaits);
            }
            String at = run == PARKED ? pausedAt() : null;
            if (at != null) {
                sb.append(" at ").append(at);
            }
        }
        return sb.append(']').toString();
    }
}
