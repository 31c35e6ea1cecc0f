package io.jasyncio.internal;

import io.jasyncio.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * What must not outlive a loop, registered by code outside the {@code io.jasyncio} package: a child
 * process still running when its loop closes is killed and reaped (asyncio kills it when its
 * transport closes). {@link EventLoop#close()} runs the hooks of the loop, once, on its thread.
 *
 * <p>Threading: any thread may add or remove (a process's exit is seen on a JDK thread); the map
 * holds loops weakly, so a loop that is never closed does not leak here.
 */
public final class LoopCloseHooks {
    private static final Map<EventLoop, Set<Runnable>> HOOKS = Collections.synchronizedMap(new WeakHashMap<>());

    private LoopCloseHooks() {}

    /** Runs {@code hook} when {@code loop} closes, unless removed before. */
    public static void add(EventLoop loop, Runnable hook) {
        HOOKS.computeIfAbsent(loop, l -> Collections.synchronizedSet(new LinkedHashSet<>())).add(hook);
    }

    /** The resource was released in time: its hook is not needed any more. */
    public static void remove(EventLoop loop, Runnable hook) {
        Set<Runnable> hooks = HOOKS.get(loop);
        if (hooks != null) {
            hooks.remove(hook);
        }
    }

    /** Runs and forgets every hook of {@code loop}; called by {@code EventLoop.close()}. */
    public static void runFor(EventLoop loop) {
        Set<Runnable> hooks = HOOKS.remove(loop);
        if (hooks == null) {
            return;
        }
        List<Runnable> copy;
        synchronized (hooks) {
            copy = new ArrayList<>(hooks);
        }
        for (Runnable hook : copy) {
            hook.run();
        }
    }
}
