package io.jasyncio.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The fast engine: each strand is a {@code jdk.internal.vm.Continuation} (the mechanism under
 * virtual threads), run directly by the loop thread. A switch is a plain call into the JVM, about
 * 100 ns, and a parked strand costs only its captured frames on the heap.
 *
 * <p>Implementation notes. {@code Continuation} lives in a package that {@code java.base} does
 * not export; the library is compiled with {@code --release 21}, which forbids
 * {@code --add-exports} at compile time, so the four members used are reached through method
 * handles looked up once into {@code static final} fields (the JIT inlines {@code invokeExact}
 * on constant handles: measured as fast as direct calls). When the package is not exported to
 * us the lookup throws {@link IllegalAccessException}: that is the signal, read by
 * {@link Engines}, to fall back to {@link VirtualThreadEngine}.
 *
 * <p>Pinning: where the JVM cannot capture the stack (a native frame, a class initializer, a
 * monitor on JDK 21-23) {@code Continuation.yield} throws {@code IllegalStateException("Pinned:
 * ...")}. {@link #suspend} turns it into an exception naming the cause and the way out; the strand
 * keeps running, so the caller's cleanup runs and the loop is untouched.
 */
public final class ContinuationEngine implements Engine {

    private static final Object SCOPE;
    private static final MethodHandle NEW;     // (Object scope, Runnable) -> Object
    private static final MethodHandle RUN;     // (Object) -> void
    private static final MethodHandle YIELD;   // (Object scope) -> boolean
    private static final MethodHandle STACK;   // (Object) -> StackTraceElement[]
    private static final Throwable UNAVAILABLE;

    static {
        Object scope = null;
        MethodHandle mkNew = null, run = null, yield = null, stack = null;
        Throwable unavailable = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            scope = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("jasyncio");
            mkNew = lookup.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = lookup.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = lookup.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            stack = lookup.findVirtual(contClass, "getStackTrace", MethodType.methodType(StackTraceElement[].class))
                    .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
        } catch (Throwable t) {
            unavailable = t;
        }
        SCOPE = scope;
        NEW = mkNew;
        RUN = run;
        YIELD = yield;
        STACK = stack;
        UNAVAILABLE = unavailable;
    }

    /** Why this engine cannot run here, or null when it can. */
    static Throwable unavailableReason() {
        return UNAVAILABLE;
    }

    /** Fails unless the JVM exports {@code jdk.internal.vm} to this library. */
    public ContinuationEngine() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("the continuation engine needs " + Engines.exportFlag()
                    + " on the java command line", UNAVAILABLE);
        }
    }

    @Override
    public String name() {
        return "continuation";
    }

    /** The strand is the {@code Continuation} itself: no wrapper object per task. */
    @Override
    public Object newStrand(Runnable body) {
        try {
            return NEW.invokeExact(SCOPE, body);
        } catch (Throwable t) {
            throw Sneaky.raise(t);
        }
    }

    @Override
    public void resume(Object strand) {
        try {
            RUN.invokeExact(strand);
        } catch (Throwable t) {
            throw Sneaky.raise(t);
        }
    }

    @Override
    public void suspend(Object strand) {
        boolean yielded;
        try {
            yielded = (boolean) YIELD.invokeExact(SCOPE);
        } catch (IllegalStateException pinned) {
            throw new IllegalStateException("cannot suspend here: the JVM pinned this coroutine to its thread ("
                    + pinned.getMessage() + "). Suspend outside class initializers and native frames"
                    + " (and on JDK 21-23 outside synchronized blocks), or use a jasyncio Lock instead of"
                    + " synchronized", pinned);
        } catch (Throwable t) {
            throw Sneaky.raise(t);
        }
        if (!yielded) {
            throw new IllegalStateException("cannot suspend here: this code is not running inside a jasyncio task");
        }
    }

    @Override
    public Thread thread(Object strand) {
        return null;
    }

    @Override
    public StackTraceElement[] suspendedStack(Object strand) {
        try {
            return (StackTraceElement[]) STACK.invokeExact(strand);
        } catch (Throwable t) {
            return new StackTraceElement[0];
        }
    }

    @Override
    public boolean tasksHaveOwnThreads() {
        return false;
    }

    @Override
    public void runLoop(Runnable loopBody) {
        loopBody.run();
    }
}
