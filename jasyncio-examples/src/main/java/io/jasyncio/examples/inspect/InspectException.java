package io.jasyncio.examples.inspect;

/** A one-line reason why another JVM cannot be inspected; the command line prints it and exits with 2. */
public final class InspectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InspectException(String message) {
        super(message);
    }
}
