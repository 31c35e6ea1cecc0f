package io.jasyncio;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The names asyncio users import: {@code import static io.jasyncio.Asyncio.*;}
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=run}
 *
 * <p>Every method that suspends ("Suspends" in its comment) must be called from inside a task;
 * elsewhere it throws {@link IllegalStateException} at once, never blocks. Each says what a
 * cancellation at that point keeps or loses.
 */
public final class Asyncio {
    private Asyncio() {}

    // ================================================================ running

    /**
     * Runs {@code main} on a new event loop and returns its result: asyncio's {@code run()}.
     * Afterwards every task still pending is cancelled and awaited, the default executor is shut
     * down and the loop is closed. Ctrl-C cancels {@code main} so its {@code finally} blocks run.
     * @throws IllegalStateException when called from code running on an event loop
     */
    public static <T> T run(Coroutine<T> main) {
        return run(main, LoopOptions.defaults());
    }

    /** {@link #run(Coroutine)} with a loop set up by {@code options}. */
    public static <T> T run(Coroutine<T> main, LoopOptions options) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop:"
                    + " inside a coroutine call the coroutine directly, or use createTask()");
        }
        try (Runner runner = new Runner(options)) {
            return runner.run(main);
        }
    }

    /** The loop running the current code: asyncio's {@code get_running_loop()}. */
    public static EventLoop getRunningLoop() {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop == null) {
            throw new IllegalStateException("no running event loop: call this from code started by Asyncio.run()");
        }
        return loop;
    }

    /** The task running the current code, or null in a plain callback. */
    public static Task<?> currentTask() {
        return getRunningLoop().currentTask();
    }

    /** Every unfinished task of the running loop. */
    public static Set<Task<?>> allTasks() {
        return new LinkedHashSet<>(getRunningLoop().allTasks());
    }

    // ================================================================ call graphs (asyncio 3.14)

    /** The await chain of the current task: asyncio's {@code capture_call_graph()}; see {@link CallGraph}. */
    public static CallGraph captureCallGraph() {
        return CallGraph.capture();
    }

    /** The await chain of {@code future} (a task, usually), upward: asyncio's {@code capture_call_graph(fut)}. */
    public static CallGraph captureCallGraph(Future<?> future) {
        return CallGraph.capture(future);
    }

    /** {@link #captureCallGraph(Future)} as text: asyncio's {@code format_call_graph(fut)}. */
    public static String formatCallGraph(Future<?> future) {
        return CallGraph.capture(future).format();
    }

    /** Prints the current task's call graph to standard output: asyncio's {@code print_call_graph()}. */
    public static void printCallGraph() {
        CallGraph.capture().print(System.out);
    }

    /** Prints the call graph of {@code future} to {@code out}: asyncio's {@code print_call_graph(fut, file=out)}. */
    public static void printCallGraph(Future<?> future, PrintStream out) {
        Objects.requireNonNull(out, "out");
        CallGraph.capture(future).print(out);
    }

    // ================================================================ tasks

    /** Schedules {@code coroutine} concurrently as a task on the running loop. */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return getRunningLoop().createTask(coroutine);
    }

    /** Schedules {@code coroutine} as a named task on the running loop. */
    public static <T> Task<T> createTask(String name, Coroutine<T> coroutine) {
        return getRunningLoop().createTask(name, coroutine);
    }

    /**
     * Schedules {@code coroutine} as a task that runs in {@code context} instead of a copy of the
     * current one: asyncio's {@code create_task(coro, context=ctx)}.
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, Context context) {
        return getRunningLoop().createTask(null, coroutine, context);
    }

    /** {@link #createTask(Coroutine, Context)} with a name. */
    public static <T> Task<T> createTask(String name, Coroutine<T> coroutine, Context context) {
        return getRunningLoop().createTask(name, coroutine, context);
    }

    /** Suspends until {@code future} is done: see {@link Future#await()}. */
    public static <T> T await(Future<T> future) {
        return future.await();
    }

    /**
     * Suspends until {@code stage} completes and returns its value or throws its exception
     * (unwrapped from {@link CompletionException}): asyncio's {@code wrap_future}. The stage may
     * complete on any thread.
     *
     * <p>Cancellation: cancelling the awaiting task cancels {@code stage.toCompletableFuture()}
     * (with interruption); the task gets the {@link CancelledError}.
     */
    public static <T> T await(CompletionStage<T> stage) {
        return CrossThreadFuture.awaitStage(stage);
    }

    /**
     * {@link #await(CompletionStage)}, declaring the checked exception the caller expects so that it
     * can be caught by type: {@code catch (IOException e)} around
     * {@code awaitChecked(client.sendAsync(...), IOException.class)} compiles.
     */
    public static <T, X extends Exception> T awaitChecked(CompletionStage<T> stage, Class<X> expected) throws X {
        Objects.requireNonNull(expected, "expected");
        return await(stage);
    }

    // ================================================================ sleeping

    /**
     * Suspends the current task for {@code delay} (zero or negative: {@link #yieldNow()}).
     * Cancellation: the sleep ends at once with {@link CancelledError}; its timer is removed.
     */
    public static void sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        Task.sleepCurrent(EventLoop.saturatedNanos(delay));
    }

    /** {@link #sleep(Duration)} in seconds, as Python writes it. */
    public static void sleep(double seconds) {
        Task.sleepCurrent(EventLoop.secondsToNanos(seconds));
    }

    /** {@link #sleep(Duration)}, then returns {@code result}: asyncio's {@code sleep(delay, result)}. */
    public static <T> T sleep(Duration delay, T result) {
        sleep(delay);
        return result;
    }

    /** {@link #sleep(double)}, then returns {@code result}. */
    public static <T> T sleep(double seconds, T result) {
        sleep(seconds);
        return result;
    }

    /**
     * Lets every other ready task and callback run once, then continues: asyncio's
     * {@code sleep(0)}. When nothing else is ready, no timer is due and the loop is not stopping,
     * it continues at once, with no loop turn (one every 64 yields while channels are watched).
     * Cancellation: a pending cancellation is thrown here.
     */
    public static void yieldNow() {
        Task.currentOrThrow("yieldNow()").yieldToLoop();
    }

    // ================================================================ gather

    /**
     * Runs the coroutines concurrently, each as a task, and returns their results in the given
     * order. The first failure is thrown at once while the others keep running (asyncio's
     * {@code gather}); a cancelled child counts as a failure.
     * Cancellation: cancelling the caller cancels every child still running.
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> List<T> gather(Coroutine<? extends T>... coroutines) {
        return Combinators.gather(Combinators.<T>tasksOf(coroutines));
    }

    /** {@link #gather(Coroutine...)} over futures or tasks that already exist: {@code gather(task1, task2)}. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> List<T> gather(Future<? extends T>... futures) {
        return gather(Arrays.asList(futures));
    }

    /** {@link #gather(Coroutine...)} over futures or tasks that already exist. */
    public static <T> List<T> gather(Collection<? extends Future<? extends T>> futures) {
        return Combinators.gather(futures);
    }

    /**
     * Like {@link #gather(Coroutine...)} but waits for every child and reports each outcome,
     * value or exception (asyncio's {@code return_exceptions=True}).
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> List<Outcome<T>> gatherSettled(Coroutine<? extends T>... coroutines) {
        return Combinators.gatherSettled(Combinators.<T>tasksOf(coroutines));
    }

    /** {@link #gatherSettled(Coroutine...)} over existing futures or tasks. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> List<Outcome<T>> gatherSettled(Future<? extends T>... futures) {
        return gatherSettled(Arrays.asList(futures));
    }

    /** {@link #gatherSettled(Coroutine...)} over existing futures or tasks. */
    public static <T> List<Outcome<T>> gatherSettled(Collection<? extends Future<? extends T>> futures) {
        return Combinators.gatherSettled(futures);
    }

    // ================================================================ deadlines

    /**
     * Runs {@code body} with a deadline {@code delay} from now (null: none; zero or negative: it
     * expires on the next loop turn): asyncio's {@code async with timeout(delay)}. Returns the
     * body's value, or throws {@link TimeoutException} (cause: the {@link CancelledError}) when the
     * deadline ended the block. Inside the block the deadline is a {@code CancelledError}, so
     * {@code catch (Exception e)} or an inner {@code catch (TimeoutException e)} cannot swallow it;
     * see {@link Timeout} for the full rule.
     *
     * <p>Cancellation: a cancellation from outside propagates as {@code CancelledError}, even if the
     * deadline passed at the same time.
     */
    public static <T> T timeout(Duration delay, Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        return Timeout.runAfter(delay, scope -> body.call());
    }

    /** {@link #timeout(Duration, Coroutine)} for a block that wants its {@link Timeout}, e.g. to reschedule it. */
    public static <T> T timeout(Duration delay, Timeout.Body<T> body) {
        return Timeout.runAfter(delay, body);
    }

    /** {@link #timeout(Duration, Coroutine)} with the deadline at loop time {@code when} ({@link EventLoop#time()}). */
    public static <T> T timeoutAt(double when, Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        return Timeout.runAt(when, scope -> body.call());
    }

    /** {@link #timeoutAt(double, Coroutine)} for a block that wants its {@link Timeout}. */
    public static <T> T timeoutAt(double when, Timeout.Body<T> body) {
        return Timeout.runAt(when, body);
    }

    /**
     * Runs {@code body} with a deadline and gives up quietly: returns the body's value, or null if
     * the deadline ended it (trio's {@code move_on_after}, Kotlin's {@code withTimeoutOrNull}). Only
     * this block's own deadline is absorbed; a cancellation from outside, or an outer deadline,
     * still propagates.
     */
    public static <T> T timeoutOrNull(Duration delay, Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        Timeout[] mine = new Timeout[1];
        try {
            return Timeout.runAfter(delay, scope -> {
                mine[0] = scope;
                return body.call();
            });
        } catch (TimeoutException e) {
            if (e.scope() != null && e.scope() == mine[0]) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Runs {@code body} so that no cancellation can interrupt it: for clean-up that must finish
     * (trio's shielded cancel scope, Kotlin's {@code NonCancellable}). A cancellation or deadline
     * that arrives meanwhile is counted ({@link Task#cancelling()}) but held back, and thrown at the
     * first suspension after the block, where an enclosing {@code timeout} still turns its own
     * expiry into a {@link TimeoutException}; a {@code timeout} opened inside the block still bounds
     * the clean-up. A cancellation already on its way when the block starts is held back too.
     *
     * <pre>{@code
     * } finally {
     *     shielded(() -> timeout(Duration.ofSeconds(5), () -> { conn.rollback(); return null; }));
     * }
     * }</pre>
     */
    public static <T> T shielded(Coroutine<T> body) {
        try {
            return Shield.run(body);
        } catch (Exception e) {
            throw io.jasyncio.internal.Sneaky.raise(e);
        }
    }

    /**
     * The earliest deadline of the {@code timeout} blocks the current task is in, in loop time
     * ({@link EventLoop#time()}), or {@link Double#POSITIVE_INFINITY}: trio's
     * {@code current_effective_deadline()}, so that a library (an HTTP or database call) can pass
     * the deadline on to a server or pick its own timeouts below it.
     */
    public static double currentEffectiveDeadline() {
        long nanos = Scope.effectiveDeadlineNanos(Task.currentOrThrow("currentEffectiveDeadline()").scope);
        return nanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : nanos / 1e9;
    }

    /**
     * Runs {@code coroutine} in the current task with a deadline (null: none): asyncio 3.12's
     * {@code wait_for}, which is {@link #timeout(Duration, Coroutine)}. With a timeout of zero or
     * less, the coroutine runs as a task that is cancelled at once and awaited.
     * Cancellation: a cancellation from outside propagates as {@link CancelledError}.
     * @throws TimeoutException when the deadline passed
     */
    public static <T> T waitFor(Coroutine<T> coroutine, Duration timeout) {
        return Combinators.waitFor(coroutine, timeout);
    }

    /**
     * Waits for {@code future} at most {@code timeout} (null: forever); when it passes, the future
     * is cancelled and {@link TimeoutException} is thrown. A future that finished with a value even
     * as the deadline passed gives its value, never lost. With a timeout of zero or less the future
     * is cancelled at once (unless done) and awaited; the exception's cause is its {@link CancelledError}.
     * Cancellation: cancelling the caller cancels the future.
     */
    public static <T> T waitFor(Future<T> future, Duration timeout) {
        return Combinators.waitFor(future, timeout);
    }

    // ================================================================ wait, asCompleted, shield

    /**
     * Suspends until the futures satisfy {@code returnWhen} or {@code timeout} passes (null: no
     * limit), and returns which are done and which pending. Nothing is cancelled, even on timeout.
     * Cancellation: cancelling the caller leaves the futures running.
     */
    public static <T> DoneAndPending<T> wait(Collection<? extends Future<T>> futures, ReturnWhen returnWhen, Duration timeout) {
        return Combinators.wait(futures, returnWhen, timeout);
    }

    /**
     * The futures in the order they complete: iterating suspends until the next one is done (each
     * returned future is done, so its {@code result()} does not suspend). With a {@code timeout}
     * (null: none), {@code next()} throws {@link TimeoutException} once it has passed.
     * Cancellation: cancelling the iterating task leaves the futures running.
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<T>> futures, Duration timeout) {
        return Combinators.asCompleted(futures, timeout);
    }

    /**
     * Protects {@code inner} from cancellation: the returned future follows it, but cancelling
     * the returned one (or the task awaiting it) does not cancel {@code inner}, which keeps
     * running. asyncio's {@code shield}. If {@code inner} fails after the returned future was
     * cancelled, nobody is left to read the failure: it is reported once to the loop's exception
     * handler ("exception in shielded future").
     */
    public static <T> Future<T> shield(Future<T> inner) {
        return Combinators.shield(inner);
    }

    /** Runs {@code coroutine} as a task and shields it: see {@link #shield(Future)}. */
    public static <T> Future<T> shield(Coroutine<T> coroutine) {
        return shield(createTask(coroutine));
    }

    // ================================================================ threads

    /**
     * Runs blocking {@code work} on the loop's default executor (a pool of platform threads) and
     * suspends until it returns: asyncio's {@code to_thread}. It really runs in parallel with the
     * loop, in a copy of the caller's {@link Context}. Cancellation: the worker is interrupted; the
     * task gets {@link CancelledError} at once.
     */
    public static <T> T toThread(Callable<T> work) {
        return ExecutorJob.toThread(work);
    }

    /**
     * {@link #toThread(Callable)}, declaring the checked exception the caller expects, so that
     * {@code catch (SQLException e)} around {@code toThreadChecked(() -> query(), SQLException.class)} compiles.
     */
    public static <T, X extends Exception> T toThreadChecked(Callable<T> work, Class<X> expected) throws X {
        Objects.requireNonNull(expected, "expected");
        return toThread(work);
    }

    /**
     * Runs {@code coroutine} on {@code loop} from any other thread and returns a
     * {@link CompletableFuture} of its result. Cancelling that future cancels the task. A failure
     * that nobody reads from the returned future is reported when it is garbage-collected.
     */
    public static <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine, EventLoop loop) {
        return CrossThreadFuture.runCoroutine(coroutine, loop);
    }
}
