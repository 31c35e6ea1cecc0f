package io.jasyncio;

import io.jasyncio.internal.UserFrames;

/**
 * Recognises a blocking call in a sampled stack of a task step: the thread is inside a JDK method that
 * waits ({@code Thread.sleep}, {@code Object.wait}, {@code LockSupport.park} as under
 * {@code CompletableFuture.get()}, blocking socket or file I/O) or in native code of a library (a JDBC
 * driver such as SQLite's), called from the user's code rather than from jasyncio's own machinery. Used by
 * debug mode's sampling mode ({@link EventLoop#setBlockingSampleInterval}), which catches such calls inside
 * tasks even when they are too short to make a slow step.
 *
 * <p>Threading: pure function of the stack; called on the sampler thread.
 */
final class BlockingCalls {
    private BlockingCalls() {}

    /** What the stack is blocked in and where the user called it ("Thread.sleep at App.run(App.java:12)"), or null. */
    static String describe(StackTraceElement[] stack) {
        if (stack.length == 0) {
            return null;
        }
        StackTraceElement inner = stack[0];
        if (!isWaitingJdkFrame(inner) && !isLibraryNative(inner)) {
            return null;
        }
        // The outermost JDK frame of the blocking call, and the first frame below it that is not the JDK.
        int i = 0;
        while (i < stack.length && isJdk(stack[i])) {
            i++;
        }
        StackTraceElement api = stack[Math.max(0, i - 1)];
        if (i >= stack.length || UserFrames.isLibraryFrame(stack[i])) {
            return null; // jasyncio's own waiting (the engine, the selector), or a thread with no user frame
        }
        StackTraceElement user = UserFrames.firstUserFrame(stack);
        if (user == null) {
            return null;
        }
        String what = isJdk(inner) ? simpleName(api.getClassName()) + "." + api.getMethodName()
                : simpleName(inner.getClassName()) + "." + inner.getMethodName() + " (native)";
        return what + " at " + user;
    }

    private static boolean isJdk(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.");
    }

    private static boolean isWaitingJdkFrame(StackTraceElement e) {
        String c = e.getClassName();
        String m = e.getMethodName();
        return switch (c) {
            case "java.lang.Thread" -> m.startsWith("sleep");
            case "java.lang.Object" -> m.startsWith("wait");
            case "jdk.internal.misc.Unsafe" -> m.equals("park");
            case "java.lang.VirtualThread", "jdk.internal.vm.Continuation" -> true; // a virtual thread parked in a blocking call
            default -> e.isNativeMethod() && (c.startsWith("sun.nio.ch.") || c.startsWith("java.net.") || c.startsWith("java.io.")
                    || c.startsWith("sun.nio.fs."));
        };
    }

    private static boolean isLibraryNative(StackTraceElement e) {
        return e.isNativeMethod() && !isJdk(e) && !e.getClassName().startsWith("io.jasyncio.");
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
