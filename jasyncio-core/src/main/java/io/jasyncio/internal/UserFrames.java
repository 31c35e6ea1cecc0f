package io.jasyncio.internal;

import java.util.Objects;

/**
 * Tells the user's stack frames from jasyncio's and the JDK's: where a task is paused, where a future or a
 * resource was created, which line caught a cancellation. A frame is the library's when its class is in
 * {@code java.*}, {@code jdk.*}, or in {@code io.jasyncio.*} and loaded from this jar (jasyncio's own tests
 * and examples live in {@code io.jasyncio} packages too, but elsewhere, and count as user code).
 */
public final class UserFrames {
    private UserFrames() {}

    /** True for a frame of the JDK or of jasyncio-core itself. */
    public static boolean isLibraryFrame(StackTraceElement e) {
        String c = e.getClassName();
        if (c.startsWith("java.") || c.startsWith("jdk.")) {
            return true;
        }
        if (!c.startsWith("io.jasyncio.")) {
            return false;
        }
        try {
            Class<?> k = Class.forName(c, false, UserFrames.class.getClassLoader());
            return Objects.equals(k.getProtectionDomain().getCodeSource(), UserFrames.class.getProtectionDomain().getCodeSource());
        } catch (ClassNotFoundException | SecurityException notOurs) {
            return false;
        }
    }

    /** The innermost user frame of {@code stack}, or null. */
    public static StackTraceElement firstUserFrame(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (!isLibraryFrame(e)) {
                return e;
            }
        }
        return null;
    }

    /** "Class.method(File.java:42)" of the caller's innermost user frame, or "an unknown place". */
    public static String callerSite() {
        StackTraceElement e = firstUserFrame(new Throwable().getStackTrace());
        return e == null ? "an unknown place" : e.toString();
    }
}
