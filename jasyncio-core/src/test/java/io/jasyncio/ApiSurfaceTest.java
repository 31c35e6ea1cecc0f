package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guarded surface (DESIGN 7.10): module-info exports only the public package, every public
 * type is documented, and no public signature of the API mentions an internal type.
 */
class ApiSurfaceTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (?:final |abstract |sealed )*(?:class|interface|enum|record) (\\w+)", Pattern.MULTILINE);

    @Test
    void moduleExportsOnlyThePublicPackage() throws IOException {
        String moduleInfo = Files.readString(SOURCES.resolve("module-info.java"));
        List<String> exports = new ArrayList<>();
        Matcher m = Pattern.compile("exports ([\\w.]+);").matcher(moduleInfo);
        while (m.find()) {
            exports.add(m.group(1));
        }
        assertThat(exports).containsExactly("io.jasyncio", "io.jasyncio.net", "io.jasyncio.process");
    }

    @Test
    void everyPublicTypeHasAClassComment() throws IOException {
        List<String> undocumented = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve("io/jasyncio"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher m = PUBLIC_TYPE.matcher(src);
                if (m.find()) {
                    String before = src.substring(0, m.start()).stripTrailing()
                            .replaceAll("(\\s*@\\w+(\\([^)]*\\))?)+$", ""); // annotations between comment and type
                    if (!before.endsWith("*/")) {
                        undocumented.add(f.getFileName().toString());
                    }
                }
            }
        }
        assertThat(undocumented).as("public types without a class comment").isEmpty();
    }

    @Test
    void publicApiDoesNotLeakInternalTypes() throws IOException {
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve("io/jasyncio"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String t = line.strip();
                    if ((t.startsWith("public ") || t.startsWith("protected ")) && t.matches(".*\\b(Strand|Engine|Engines|Sneaky|Config)\\b.*")) {
                        leaks.add(f.getFileName() + ": " + t);
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }
}
