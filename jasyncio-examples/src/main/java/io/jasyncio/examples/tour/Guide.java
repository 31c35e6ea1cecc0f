package io.jasyncio.examples.tour;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders docs/guide/: one Markdown file per chapter, with the chapter's explanation, its code (the
 * chapter's own source file, so the guide shows exactly what the tour runs) and its takeaway.
 * {@code GuideTest} fails when the files drift from the chapters.
 */
public final class Guide {
    private Guide() {}

    /** File name to Markdown text, in chapter order; {@code sources} is the examples' src/main/java. */
    public static Map<String, String> render(Path sources) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("# The jasyncio guide\n\nThe text and code of `./jasyncio tour`, one chapter per file.\n\n");
        for (int i = 0; i < Tour.CHAPTERS.size(); i++) {
            Chapter c = Tour.CHAPTERS.get(i);
            String name = String.format(Locale.ROOT, "%02d-%s.md", i + 1, c.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
            Path src = sources.resolve(c.getClass().getName().replace('.', '/') + ".java");
            String md = "# " + (i + 1) + ". " + c.title() + "\n\n"
                    + c.explanation().strip() + "\n\n"
                    + "Run it: `./jasyncio tour " + (i + 1) + "` (add `--explain` for this text).\n\n"
                    + "```java\n" + Files.readString(src).strip() + "\n```\n\n"
                    + "**Takeaway:** " + c.takeaway() + "\n";
            files.put(name, md);
            index.append(i + 1).append(". [").append(c.title()).append("](").append(name).append(")\n");
        }
        files.put("README.md", index.toString());
        return files;
    }
}
