package io.jasyncio.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * The one place that touches the JDK's {@code sun.misc.Signal} (module jdk.unsupported), the only way
 * a Java program can handle SIGINT, SIGTERM or SIGHUP. It is reached through method handles looked up
 * once, so no other class names the unsupported API (which would make javac and javadoc warn on every
 * use); a handler is any {@link Runnable}-like {@link Handler}.
 *
 * <p>Threading: the JVM calls a handler on its own signal-dispatch thread; installing and restoring may
 * happen on any thread.
 */
public final class Signals {
    /** What a signal runs: called on the JVM's signal thread with the signal's name (without "SIG"). */
    @FunctionalInterface
    public interface Handler {
        void handle(String signalName);
    }

    /** The handler that was installed before: to restore it, or to pass a signal on to it. */
    public static final class Previous {
        private final Object handler; // a sun.misc.SignalHandler

        private Previous(Object handler) {
            this.handler = handler;
        }

        /** The signal was ignored (SIG_IGN) before: a background job, nohup. */
        public boolean ignored() {
            return handler == SIG_IGN;
        }

        /** The system default disposition (SIG_DFL), not a JVM or user handler. */
        public boolean systemDefault() {
            return handler == SIG_DFL;
        }
    }

    private static final Class<?> SIGNAL, HANDLER;
    private static final Object SIG_DFL, SIG_IGN;
    private static final MethodHandle NEW_SIGNAL, HANDLE, RAISE, GET_NAME, INVOKE_HANDLER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            SIGNAL = Class.forName("sun.misc.Signal");
            HANDLER = Class.forName("sun.misc.SignalHandler");
            SIG_DFL = HANDLER.getField("SIG_DFL").get(null);
            SIG_IGN = HANDLER.getField("SIG_IGN").get(null);
            NEW_SIGNAL = lookup.findConstructor(SIGNAL, MethodType.methodType(void.class, String.class));
            HANDLE = lookup.findStatic(SIGNAL, "handle", MethodType.methodType(HANDLER, SIGNAL, HANDLER));
            RAISE = lookup.findStatic(SIGNAL, "raise", MethodType.methodType(void.class, SIGNAL));
            GET_NAME = lookup.findVirtual(SIGNAL, "getName", MethodType.methodType(String.class));
            INVOKE_HANDLER = lookup.findVirtual(HANDLER, "handle", MethodType.methodType(void.class, SIGNAL));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Signals() {}

    /**
     * Installs {@code handler} for the signal {@code name} ("INT", "TERM", ...) and returns the one
     * before.
     * @throws IllegalArgumentException for an unknown signal, or one the JVM reserves (or -Xrs)
     */
    public static Previous install(String name, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        Object proxy = Proxy.newProxyInstance(HANDLER.getClassLoader(), new Class<?>[] {HANDLER}, (p, method, args) -> {
            switch (method.getName()) {
                case "handle" -> handler.handle((String) GET_NAME.invoke(args[0]));
                case "hashCode" -> {
                    return System.identityHashCode(p);
                }
                case "equals" -> {
                    return p == args[0];
                }
                case "toString" -> {
                    return "SignalHandler[" + handler + "]";
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
            return null;
        });
        return new Previous(set(name, proxy));
    }

    /** Puts {@code previous} back for the signal {@code name}. */
    public static void restore(String name, Previous previous) {
        set(name, previous.handler);
    }

    /** Leaves the signal ignored (SIG_IGN). */
    public static void ignore(String name) {
        set(name, SIG_IGN);
    }

    /**
     * Passes a signal to the handler that was there before (the JVM's: shutdown); where that was the
     * system default, restores the default and raises the signal again, so the process ends the way
     * it would have without us.
     */
    public static void passOn(String name, Previous previous) {
        try {
            if (previous.handler != null && previous.handler != SIG_DFL && previous.handler != SIG_IGN) {
                INVOKE_HANDLER.invoke(previous.handler, signal(name));
            } else {
                set(name, SIG_DFL);
                RAISE.invoke(signal(name));
            }
        } catch (Throwable t) {
            throw Sneaky.raise(t);
        }
    }

    private static Object set(String name, Object handler) {
        try {
            return HANDLE.invoke(signal(name), handler);
        } catch (Throwable t) {
            throw Sneaky.raise(t); // IllegalArgumentException for reserved signals, as the JDK throws it
        }
    }

    private static Object signal(String name) throws Throwable {
        return NEW_SIGNAL.invoke(name); // IllegalArgumentException for an unknown name
    }
}
