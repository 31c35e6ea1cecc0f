package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentDecoderTest {
    private static final byte[] TEXT = "the quick brown fox jumps over the lazy dog\n".repeat(500).getBytes(StandardCharsets.UTF_8);

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(data);
        }
        return out.toByteArray();
    }

    /** Feeds {@code encoded} in pieces of {@code piece} bytes and returns what came out. */
    static byte[] decode(String encoding, byte[] encoded, int piece, long max) throws IOException {
        ContentDecoder d = ContentDecoder.forEncoding(encoding, max);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length; i += piece) {
            out.writeBytes(d.decode(Arrays.copyOfRange(encoded, i, Math.min(encoded.length, i + piece)), false));
        }
        out.writeBytes(d.decode(new byte[0], true));
        return out.toByteArray();
    }

    @Test
    void gzipSplitAnywhere() throws IOException {
        byte[] encoded = gzip(TEXT);
        for (int piece : new int[] {1, 2, 3, 7, 10, 11, 64, 1000, encoded.length}) {
            assertThat(decode("gzip", encoded, piece, Long.MAX_VALUE)).as("piece %d", piece).isEqualTo(TEXT);
        }
    }

    @Test
    void gzipMembersFollowEachOther() throws IOException {
        byte[] a = gzip("first ".getBytes());
        byte[] b = gzip("second".getBytes());
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertThat(new String(decode("gzip", both, 5, Long.MAX_VALUE))).isEqualTo("first second");
    }

    @Test
    void deflateInBothWrappings() throws IOException {
        assertThat(decode("deflate", deflate(TEXT, false), 13, Long.MAX_VALUE)).isEqualTo(TEXT);
        assertThat(decode("deflate", deflate(TEXT, true), 13, Long.MAX_VALUE)).as("raw deflate, as some servers send").isEqualTo(TEXT);
    }

    @Test
    void corruptTruncatedAndBombsAreErrors() throws IOException {
        byte[] encoded = gzip(TEXT);
        byte[] badCrc = encoded.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertThatThrownBy(() -> decode("gzip", badCrc, 100, Long.MAX_VALUE)).hasMessageContaining("CRC");
        assertThatThrownBy(() -> decode("gzip", Arrays.copyOf(encoded, encoded.length - 4), 100, Long.MAX_VALUE)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> decode("gzip", "not gzip at all".getBytes(), 100, Long.MAX_VALUE)).hasMessageContaining("not gzip");
        byte[] bomb = gzip(new byte[10_000_000]);
        assertThat(bomb.length).isLessThan(20_000);
        assertThatThrownBy(() -> decode("gzip", bomb, 4096, 1_000_000)).hasMessageContaining("larger than 1000000");
        assertThatThrownBy(() -> ContentDecoder.forEncoding("br", 10)).hasMessageContaining("unsupported Content-Encoding");
        assertThat(ContentDecoder.forEncoding("identity", 10)).isNull();
    }
}
