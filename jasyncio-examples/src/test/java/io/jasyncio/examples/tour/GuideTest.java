package io.jasyncio.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/guide must say what the tour does. Run with {@code -Djasyncio.guide.write=true} to
 * regenerate it after changing a chapter.
 */
class GuideTest {
    private static final Path DOCS = Path.of("../docs/guide");

    @Test
    void guideMatchesTheChapters() throws Exception {
        Map<String, String> files = Guide.render(Path.of("src/main/java"));
        if (Boolean.getBoolean("jasyncio.guide.write")) {
            Files.createDirectories(DOCS);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(DOCS.resolve(f.getKey()), f.getValue());
            }
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = DOCS.resolve(f.getKey());
            assertThat(file).as("docs/guide/%s exists (regenerate: mvn -pl jasyncio-examples test -Dtest=GuideTest -Djasyncio.guide.write=true)", f.getKey()).exists();
            assertThat(Files.readString(file)).as("docs/guide/%s is up to date (regenerate with -Djasyncio.guide.write=true)", f.getKey())
                    .isEqualTo(f.getValue());
        }
    }
}
