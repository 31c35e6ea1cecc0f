package io.jasyncio.examples.tour;

/**
 * One chapter of the guided tour: a title, the explanation, and code that really runs and prints
 * what it demonstrates. {@link #run(Out)} returns the measurement the chapter's test asserts.
 */
public interface Chapter {
    /** Short title, shown in {@code tour --list}. */
    String title();

    /** The explanation printed with {@code tour --explain} (plain text, a few paragraphs). */
    String explanation();

    /** The takeaway: one line. */
    String takeaway();

    /** Runs the demonstration, printing through {@code out}; returns what it measured. */
    Object run(Out out) throws Exception;
}
