package io.jasyncio.examples.tour;

import java.io.PrintStream;

/** Tour output: headings and results, coloured only when stdout is a terminal. */
public final class Out {
    private final PrintStream out;
    private final boolean color;

    public Out(PrintStream out, boolean color) {
        this.out = out;
        this.color = color;
    }

    /** Output for a terminal if there is one (System.console() and TERM not dumb). */
    public static Out forStdout() {
        String term = System.getenv("TERM");
        return new Out(System.out, System.console() != null && term != null && !term.equals("dumb"));
    }

    public void heading(String text) {
        out.println();
        out.println(style("1;36", text));
        out.println(style("36", "=".repeat(text.length())));
    }

    public void line(String text) {
        out.println(text);
    }

    /** Source code, indented and dimmed. */
    public void code(String source) {
        for (String l : source.strip().split("\n")) {
            out.println(style("2", "    " + l));
        }
        out.println();
    }

    public void result(String text) {
        out.println(style("32", "  > " + text));
    }

    public void takeaway(String text) {
        out.println(style("1;33", "Takeaway: " + text));
    }

    private String style(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
