package io.jasyncio.http.monitor;

import io.jasyncio.EventLoopMXBean;
import io.jasyncio.LoopMetrics;
import io.jasyncio.TaskInfo;
import io.jasyncio.http.monitor.MonitorSnapshot.LagPoint;
import io.jasyncio.http.monitor.MonitorSnapshot.LoopEntry;
import io.jasyncio.http.monitor.MonitorSnapshot.TaskEntry;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.management.InstanceNotFoundException;

/**
 * Reads a {@link LoopSource} into {@link MonitorSnapshot}s and remembers what a single reading cannot tell:
 * the lag of each loop over time (one point per sample, the last {@value #HISTORY}) and how long each task
 * has waited on what it waits for now. The one snapshot source of the monitor web page and of
 * {@code ./jasyncio monitor}.
 *
 * <p>Wait times are seen from here, so the watched program pays nothing for them: a task's wait starts at
 * the first sample that saw it waiting at the same user line on the same kind of thing (the same lock
 * operation, the same sleep deadline), and the clock is this JVM's {@code System.nanoTime}. A task already
 * waiting when its loop was first sampled is marked {@code waitingAtLeast}.
 *
 * <p>A loop that closes while it is read (its bean is gone) is left out of that snapshot. A loop blocked in a
 * step answers nothing for a second per reading; its snapshot then carries the stack where it is blocked.
 *
 * <p>Threading: thread-safe (one sample at a time, under this object's lock); {@link #sample()} blocks on
 * the source's JMX calls, so call it off any event loop's thread. A failing source (the JVM exited, the
 * connection broke) gives a snapshot with no loops and an {@code error}, and the history is kept for when
 * it answers again.
 */
public final class MonitorSampler {
    /** Lag points kept per loop: five minutes at one sample a second. */
    public static final int HISTORY = 300;
    /** {@link #recent()} hands out a snapshot younger than this instead of taking a new one. */
    private static final long REUSE_NANOS = 500_000_000L;
    /** How {@link EventLoopMXBean#getState()} begins for a loop blocked in a step. */
    private static final String NOT_RESPONDING = "running, not responding";

    private record Wait(long sinceNanos, boolean atLeast) {}

    private final String sourceName;
    private final LoopSource source;
    private final Map<Long, ArrayDeque<LagPoint>> lagHistory = new HashMap<>();
    /** (loop, task, line, kind of wait) -> when the wait was first seen; only the waits of the last sample. */
    private Map<String, Wait> waits = new HashMap<>();
    private final Set<Long> loopsSeen = new HashSet<>();
    private long firstSampleNanos;
    private boolean sampled;
    private MonitorSnapshot latest;
    private long latestNanos;

    /**
     * A sampler of {@code source}, described as {@code sourceName} in every snapshot
     * ({@code "PID 12345"}, {@code "this JVM"}).
     */
    public MonitorSampler(String sourceName, LoopSource source) {
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** A sampler of every loop of this JVM ({@link LoopSource#thisJvm()}). */
    public static MonitorSampler thisJvm() {
        return new MonitorSampler("PID " + ProcessHandle.current().pid() + " (this JVM)", LoopSource.thisJvm());
    }

    /**
     * The last snapshot if it is younger than half a second, else a new one: several pages polling once a
     * second share samples, so the lag history keeps about one point a second however many watch.
     */
    public synchronized MonitorSnapshot recent() {
        if (latest != null && System.nanoTime() - latestNanos < REUSE_NANOS) {
            return latest;
        }
        return sample();
    }

    /** Reads every loop of the source now. */
    public synchronized MonitorSnapshot sample() {
        long now = System.nanoTime();
        if (!sampled) {
            sampled = true;
            firstSampleNanos = now;
        }
        List<LoopEntry> loops = new ArrayList<>();
        Map<String, Wait> stillWaiting = new HashMap<>();
        String error = "";
        try {
            for (EventLoopMXBean loop : source.loops()) {
                try {
                    loops.add(read(loop, now, stillWaiting));
                } catch (UndeclaredThrowableException e) {
                    if (!(e.getCause() instanceof InstanceNotFoundException)) {
                        throw e;
                    }
                    // the loop closed and its bean went away between the query and the reading: it is gone
                }
            }
        } catch (UndeclaredThrowableException e) { // a JMX proxy call whose connection broke
            error = "lost the connection: " + e.getCause();
            loops.clear();
        } catch (RuntimeException e) {
            error = e.getMessage() != null ? e.getMessage() : e.toString();
            loops.clear();
        }
        if (error.isEmpty()) {
            waits = stillWaiting;
            lagHistory.keySet().retainAll(loops.stream().map(LoopEntry::id).toList());
        }
        latest = new MonitorSnapshot(sourceName, System.currentTimeMillis(), List.copyOf(loops), error);
        latestNanos = now;
        return latest;
    }

    private LoopEntry read(EventLoopMXBean loop, long now, Map<String, Wait> stillWaiting) {
        long id = loop.getId();
        LoopMetrics metrics = loop.getMetrics();
        List<TaskInfo> infos = loop.getTasks();
        String deadlocks = loop.getDeadlocks();
        boolean firstSight = loopsSeen.add(id);
        List<TaskEntry> tasks = new ArrayList<>(infos.size());
        for (TaskInfo t : infos) {
            double waited = 0;
            boolean atLeast = false;
            if (t.state().equals("waiting")) {
                String key = id + "/" + t.id() + "/" + t.location() + "/" + kindOf(t.awaiting());
                Wait w = waits.getOrDefault(key, new Wait(now, firstSight));
                stillWaiting.put(key, w);
                waited = (now - w.sinceNanos()) / 1e9;
                atLeast = w.atLeast();
            }
            tasks.add(new TaskEntry(t.id(), t.name(), t.state(), t.awaiting(), t.location(), t.stack(), t.awaitedBy(),
                    t.cancelling(), waited, atLeast));
        }
        ArrayDeque<LagPoint> history = lagHistory.computeIfAbsent(id, k -> new ArrayDeque<>());
        if (metrics.measuring()) {
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(new LagPoint((now - firstSampleNanos) / 1e9, metrics.recentLagP50Nanos() / 1e6,
                    metrics.recentLagP99Nanos() / 1e6, metrics.recentLagMaxNanos() / 1e6));
        }
        List<String> cycles = deadlocks.lines().filter(l -> !l.isBlank()).toList();
        String state = loop.getState();
        String blockedAt = state.startsWith(NOT_RESPONDING) ? loop.getLoopThreadStack() : "";
        return new LoopEntry(id, state, loop.getEngine(), loop.isDebug(), metrics, List.copyOf(history),
                List.copyOf(tasks), cycles, blockedAt);
    }

    /**
     * What a wait is on, without the parts that change while it lasts: {@code "Lock.acquire on Lock[locked by a,
     * waiters=2]"} is {@code "Lock.acquire"}, {@code "sleep until 12.500 (in 3.2 s)"} is
     * {@code "sleep until 12.500"}.
     */
    static String kindOf(String awaiting) {
        int end = awaiting.length();
        for (String cut : new String[] {" on ", " (in ", "["}) {
            int i = awaiting.indexOf(cut);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return awaiting.substring(0, end);
    }
}
