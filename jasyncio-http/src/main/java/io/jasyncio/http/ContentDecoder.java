package io.jasyncio.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes a response's {@code Content-Encoding} (gzip, deflate) chunk by chunk, as the body streams in, so
 * that a large compressed body is never held whole. gzip members are parsed here (RFC 1952: the header
 * with its optional fields, the raw deflate data, the CRC-32 and length trailer, checked); "deflate" is
 * the zlib format (RFC 1950), or raw deflate from servers that get it wrong, told apart by the zlib
 * header's checksum as browsers do. A decompressed size over {@code maxBytes} (a "zip bomb") is an error.
 *
 * <p>Implementation notes: the Inflater works on the bytes of each chunk; bytes of a gzip header or
 * trailer that straddle two chunks are kept in {@code pending} until complete.
 */
final class ContentDecoder implements HttpBody.Decoder {
    private enum Format { GZIP, ZLIB_OR_RAW }
    private enum Stage { HEADER, DATA, TRAILER, DONE }

    private final Format format;
    private final long maxBytes;
    private Inflater inflater;
    private final CRC32 crc = new CRC32();
    private Stage stage;
    private byte[] pending = new byte[0];
    private long produced;

    private ContentDecoder(Format format, long maxBytes) {
        this.format = format;
        this.maxBytes = maxBytes;
        this.stage = format == Format.GZIP ? Stage.HEADER : Stage.DATA;
    }

    /** The decoder for a Content-Encoding value, null for identity, or an exception for one it does not know. */
    static ContentDecoder forEncoding(String contentEncoding, long maxBytes) throws IOException {
        if (contentEncoding == null) {
            return null;
        }
        return switch (contentEncoding.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "identity" -> null;
            case "gzip", "x-gzip" -> new ContentDecoder(Format.GZIP, maxBytes);
            case "deflate" -> new ContentDecoder(Format.ZLIB_OR_RAW, maxBytes);
            default -> throw new IOException("unsupported Content-Encoding: " + contentEncoding);
        };
    }

    @Override
    public byte[] decode(byte[] chunk, boolean last) throws IOException {
        byte[] in = concat(pending, chunk);
        pending = new byte[0];
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length * 3));
        int offset = 0;
        while (offset < in.length || (stage == Stage.DATA && inflater != null && !inflater.needsInput())) {
            if (stage == Stage.HEADER) {
                int headerLength = gzipHeaderLength(in, offset);
                if (headerLength < 0) {
                    pending = java.util.Arrays.copyOfRange(in, offset, in.length);
                    offset = in.length;
                    break;
                }
                offset += headerLength;
                inflater = new Inflater(true);
                crc.reset();
                stage = Stage.DATA;
            } else if (stage == Stage.DATA) {
                if (inflater == null) {
                    if (in.length - offset < 2 && !last) {
                        pending = java.util.Arrays.copyOfRange(in, offset, in.length);
                        offset = in.length;
                        break;
                    }
                    inflater = new Inflater(!looksLikeZlib(in, offset));
                }
                if (inflater.needsInput()) {
                    inflater.setInput(in, offset, in.length - offset);
                    offset = in.length;
                }
                offset -= inflateAvailable(out);
                if (inflater.finished()) {
                    if (format == Format.GZIP) {
                        stage = Stage.TRAILER;
                    } else {
                        stage = Stage.DONE;
                    }
                } else if (inflater.needsInput()) {
                    break;
                }
            } else if (stage == Stage.TRAILER) {
                if (in.length - offset < 8) {
                    pending = java.util.Arrays.copyOfRange(in, offset, in.length);
                    offset = in.length;
                    break;
                }
                long expectedCrc = le32(in, offset);
                long expectedSize = le32(in, offset + 4);
                if (expectedCrc != crc.getValue() || expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
                    throw new IOException("gzip body is corrupt (CRC or length mismatch)");
                }
                inflater.end();
                inflater = null;
                offset += 8;
                stage = Stage.HEADER; // another gzip member may follow (RFC 1952 §2.2)
            } else {
                offset = in.length; // bytes after the end of a deflate stream are ignored
            }
        }
        if (last && (stage == Stage.DATA && inflater != null || stage == Stage.TRAILER || pending.length > 0 && stage == Stage.HEADER)) {
            throw new IOException("compressed body ends early (truncated " + format.name().toLowerCase(java.util.Locale.ROOT) + " data)");
        }
        if (last && inflater != null) {
            inflater.end();
        }
        return out.toByteArray();
    }

    /** Inflates what the Inflater holds into out; returns how many input bytes it left unused. */
    private int inflateAvailable(ByteArrayOutputStream out) throws IOException {
        byte[] block = new byte[16 * 1024];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(block);
                if (n == 0) {
                    if (inflater.needsDictionary()) {
                        throw new IOException("compressed body needs a preset dictionary, which HTTP never provides");
                    }
                    break; // needs input
                }
                produced += n;
                if (produced > maxBytes) {
                    throw new IOException("decompressed body larger than " + maxBytes + " bytes");
                }
                if (format == Format.GZIP) {
                    crc.update(block, 0, n);
                }
                out.write(block, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IOException("compressed body is corrupt: " + e.getMessage(), e);
        }
        return inflater.getRemaining();
    }

    /** The gzip header's length at offset, or -1 if it is not all there yet. */
    private static int gzipHeaderLength(byte[] b, int offset) throws IOException {
        int n = b.length - offset;
        if (n < 10) {
            return -1;
        }
        if ((b[offset] & 0xff) != 0x1f || (b[offset + 1] & 0xff) != 0x8b || b[offset + 2] != 8) {
            throw new IOException("not gzip data (bad magic number or method)");
        }
        int flags = b[offset + 3] & 0xff;
        int p = offset + 10;
        if ((flags & 4) != 0) { // FEXTRA
            if (p + 2 > b.length) return -1;
            p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & flag) != 0) {
                while (p < b.length && b[p] != 0) p++;
                if (p >= b.length) return -1;
                p++;
            }
        }
        if ((flags & 2) != 0) p += 2; // FHCRC
        return p > b.length ? -1 : p - offset;
    }

    private static boolean looksLikeZlib(byte[] b, int offset) {
        if (b.length - offset < 2) {
            return false;
        }
        int cmf = b[offset] & 0xff;
        int flg = b[offset + 1] & 0xff;
        return (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
    }

    private static long le32(byte[] b, int o) {
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }

    /** {@code a} then {@code b} in one array ({@code b} itself when {@code a} is empty). */
    static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
