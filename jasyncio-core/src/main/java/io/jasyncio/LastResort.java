package io.jasyncio;

import java.io.PrintStream;

/**
 * Where an error goes when even logging it failed (a broken {@code System.Logger} backend): standard
 * error, written by hand so that nothing it relies on can fail the same way. Used only by
 * {@link EventLoop#callExceptionHandler}, which must never throw: a loop that dies because its error
 * reporting broke would lose every task.
 */
final class LastResort {
    private static final int MAX_FRAMES = 20;

    private LastResort() {}

    static void print(String message, Throwable error) {
        try {
            PrintStream err = System.err;
            StringBuilder sb = new StringBuilder(message).append(System.lineSeparator());
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                sb.append(t == error ? "" : "Caused by: ").append(t).append(System.lineSeparator());
                StackTraceElement[] frames = t.getStackTrace();
                for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                    sb.append("\tat ").append(frames[i]).append(System.lineSeparator());
                }
                if (frames.length > MAX_FRAMES) {
                    sb.append("\t... ").append(frames.length - MAX_FRAMES).append(" more").append(System.lineSeparator());
                }
            }
            err.print(sb);
            err.flush();
        } catch (Throwable ignored) {
            // Standard error itself is broken: there is nowhere left to report to.
        }
    }
}
