package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.http.FileSelection.Kind;
import org.junit.jupiter.api.Test;

/** Conditional and range requests on a file's validators, on header values alone (RFC 9110 §13, §14). */
class FileSelectionTest {
    private static final long SIZE = 1000;
    private static final long MODIFIED = 1_700_000_000_123L; // ms; Last-Modified is its second
    private static final String ETAG = FileSelection.entityTag(SIZE, MODIFIED);
    private static final String LAST_MODIFIED = HttpDate.format(MODIFIED / 1000);

    private static FileSelection get(String... fields) {
        return FileSelection.of("GET", HttpHeaders.of(fields), SIZE, MODIFIED);
    }

    @Test
    void withoutConditionsOrRangeTheWholeFile() {
        assertThat(get()).isEqualTo(new FileSelection(Kind.FULL, 0, SIZE));
        assertThat(ETAG).isEqualTo("\"3e8-" + Long.toHexString(MODIFIED) + "\"");
    }

    @Test
    void ifNoneMatchComparesWeaklyAndWinsOverIfModifiedSince() {
        assertThat(get("If-None-Match", ETAG).kind()).isEqualTo(Kind.NOT_MODIFIED);
        assertThat(get("If-None-Match", "W/" + ETAG).kind()).isEqualTo(Kind.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"other\", " + ETAG).kind()).isEqualTo(Kind.NOT_MODIFIED);
        assertThat(get("If-None-Match", "*").kind()).isEqualTo(Kind.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"other\"").kind()).isEqualTo(Kind.FULL);
        // If-None-Match present: If-Modified-Since is not looked at (§13.2.2)
        assertThat(get("If-None-Match", "\"other\"", "If-Modified-Since", LAST_MODIFIED).kind()).isEqualTo(Kind.FULL);
    }

    @Test
    void ifModifiedSinceAtOneSecondPrecisionAndInvalidDatesIgnored() {
        assertThat(get("If-Modified-Since", LAST_MODIFIED).kind()).isEqualTo(Kind.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", HttpDate.format(MODIFIED / 1000 + 60)).kind()).isEqualTo(Kind.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", HttpDate.format(MODIFIED / 1000 - 1)).kind()).isEqualTo(Kind.FULL);
        assertThat(get("If-Modified-Since", "yesterday").kind()).isEqualTo(Kind.FULL);
    }

    @Test
    void ifMatchAndIfUnmodifiedSinceFailWith412() {
        assertThat(get("If-Match", ETAG).kind()).isEqualTo(Kind.FULL);
        assertThat(get("If-Match", "*").kind()).isEqualTo(Kind.FULL);
        assertThat(get("If-Match", "W/" + ETAG).kind()).as("If-Match compares strongly").isEqualTo(Kind.PRECONDITION_FAILED);
        assertThat(get("If-Match", "\"other\"").kind()).isEqualTo(Kind.PRECONDITION_FAILED);
        assertThat(get("If-Unmodified-Since", HttpDate.format(MODIFIED / 1000 - 1)).kind()).isEqualTo(Kind.PRECONDITION_FAILED);
        assertThat(get("If-Unmodified-Since", LAST_MODIFIED).kind()).isEqualTo(Kind.FULL);
    }

    @Test
    void oneByteRangeInEachForm() {
        assertThat(get("Range", "bytes=0-99")).isEqualTo(new FileSelection(Kind.PARTIAL, 0, 100));
        assertThat(get("Range", "bytes=900-")).isEqualTo(new FileSelection(Kind.PARTIAL, 900, 100));
        assertThat(get("Range", "bytes=-10")).isEqualTo(new FileSelection(Kind.PARTIAL, 990, 10));
        assertThat(get("Range", "bytes=-5000")).as("a suffix longer than the file is all of it").isEqualTo(new FileSelection(Kind.PARTIAL, 0, SIZE));
        assertThat(get("Range", "bytes=500-99999")).as("the last byte is clipped").isEqualTo(new FileSelection(Kind.PARTIAL, 500, 500));
        assertThat(get("Range", "BYTES=1-1")).as("the unit is case-insensitive").isEqualTo(new FileSelection(Kind.PARTIAL, 1, 1));
    }

    @Test
    void unsatisfiableRangesGet416AndBadOnesTheWholeFile() {
        assertThat(get("Range", "bytes=1000-").kind()).isEqualTo(Kind.UNSATISFIABLE);
        assertThat(get("Range", "bytes=-0").kind()).isEqualTo(Kind.UNSATISFIABLE);
        assertThat(FileSelection.of("GET", HttpHeaders.of("Range", "bytes=-5"), 0, MODIFIED).kind()).isEqualTo(Kind.UNSATISFIABLE);
        for (String bad : new String[] {"bytes=5-1", "bytes=a-b", "bytes=+1-2", "bytes=0-1,5-9", "items=0-1", "bytes=", "bytes=-",
                "bytes=99999999999999999999-"}) {
            assertThat(get("Range", bad)).as(bad).isEqualTo(new FileSelection(Kind.FULL, 0, SIZE));
        }
    }

    @Test
    void ifRangeMustNameTheCurrentValidatorAndRangeIsForGetOnly() {
        assertThat(get("Range", "bytes=0-9", "If-Range", ETAG).kind()).isEqualTo(Kind.PARTIAL);
        assertThat(get("Range", "bytes=0-9", "If-Range", LAST_MODIFIED).kind()).isEqualTo(Kind.PARTIAL);
        assertThat(get("Range", "bytes=0-9", "If-Range", "\"old\"").kind()).isEqualTo(Kind.FULL);
        assertThat(get("Range", "bytes=0-9", "If-Range", HttpDate.format(MODIFIED / 1000 - 1)).kind()).isEqualTo(Kind.FULL);
        assertThat(FileSelection.of("HEAD", HttpHeaders.of("Range", "bytes=0-9"), SIZE, MODIFIED).kind()).isEqualTo(Kind.FULL);
    }
}
