package io.jasyncio;

import io.jasyncio.internal.LoopPost;
import io.jasyncio.internal.Signals;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A loop's Unix signal handlers: asyncio's {@code add_signal_handler} / {@code remove_signal_handler}.
 * The JVM delivers a signal on its own signal thread; the handler only posts the callback to the loop
 * ({@code callSoonThreadsafe}), so the callback runs on the loop like any other and may create tasks,
 * cancel, or stop the loop. Removing a handler, or closing the loop, puts back the handler that was
 * there before (the JVM's default for SIGTERM and SIGHUP: shutdown).
 *
 * <p>Which signals: those the JVM lets through, e.g. TERM, HUP, INT, USR2, WINCH, CONT, PIPE. QUIT
 * (thread dumps), and USR1 on some JVMs, are reserved: asking for them fails with a clear error.
 *
 * <p>Threading: loop-confined, except the JVM's delivery, which only posts.
 */
final class SignalHandlers {
    private final EventLoop loop;
    /** Signal name without "SIG" -> the handler that was installed before ours. */
    private final Map<String, Signals.Previous> previous = new HashMap<>();

    SignalHandlers(EventLoop loop) {
        this.loop = loop;
    }

    void add(String signal, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        String name = normalize(signal);
        Signals.Previous before;
        try {
            before = Signals.install(name, s -> LoopPost.postIfOpen(loop, callback));
        } catch (IllegalArgumentException refused) {
            String why = refused.getMessage() == null ? "" : refused.getMessage();
            if (why.contains("Unknown signal")) {
                throw new IllegalArgumentException("unknown signal " + signal + ": use a name such as TERM, HUP, INT or USR2");
            }
            throw new IllegalArgumentException("SIG" + name + " cannot be handled here: " + why
                    + " (the JVM reserves it, or it was started with -Xrs)");
        }
        previous.putIfAbsent(name, before); // replacing our own handler keeps the original to restore
    }

    boolean remove(String signal) {
        String name = normalize(signal);
        Signals.Previous before = previous.remove(name);
        if (before == null) {
            return false;
        }
        Signals.restore(name, before);
        return true;
    }

    /** The loop closes: every signal gets its earlier handler back. */
    void removeAll() {
        for (String name : Map.copyOf(previous).keySet()) {
            remove(name);
        }
    }

    private static String normalize(String signal) {
        Objects.requireNonNull(signal, "signal");
        String n = signal.trim().toUpperCase(Locale.ROOT);
        return n.startsWith("SIG") ? n.substring(3) : n;
    }
}
