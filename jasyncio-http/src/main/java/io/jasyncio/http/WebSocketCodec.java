package io.jasyncio.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The WebSocket frame codec (RFC 6455 §5), sans I/O: bytes go in with {@link #feed}, whole messages and
 * control frames come out of {@link #next()}; {@link #encode} makes frames. Both sides use it: a server's
 * codec demands masked frames, a client's refuses them (§5.1).
 *
 * <p>What it checks, each answered with a {@link WebSocketProtocolException} carrying the close code to
 * send: reserved bits (no extension is negotiated), unknown opcodes, fragmented or oversized
 * (over 125 bytes) control frames, a continuation without a start or a new message inside a fragmented
 * one, a 64-bit length with its top bit set, the mask rule (1002); a text message or close reason that is
 * not UTF-8 (1007); a message larger than {@code maxMessageBytes}, checked against each frame's declared
 * length before its payload is buffered (1009); a malformed close payload (1002).
 *
 * <p>Memory: at most one frame header plus one frame's payload is buffered, and a fragmented message's
 * pieces up to {@code maxMessageBytes}. After an error every call rethrows it. Not thread-safe.
 */
final class WebSocketCodec {
    static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    /** A whole data message (TEXT or BINARY, fragments joined; {@code text} set for TEXT) or a control frame. */
    record Frame(int opcode, byte[] payload, String text) {}

    private final boolean serverSide;
    private final long maxMessageBytes;
    private byte[] buf = new byte[1024];
    private int pos;
    private int lim;
    private int messageOpcode = -1;          // the data message being assembled, -1: none
    private ByteArrayOutputStream fragments; // its earlier fragments
    private WebSocketProtocolException failure;

    WebSocketCodec(boolean serverSide, long maxMessageBytes) {
        this.serverSide = serverSide;
        this.maxMessageBytes = maxMessageBytes;
    }

    void feed(byte[] data, int offset, int length) {
        if (lim + length > buf.length) {
            int live = lim - pos;
            if (live + length > buf.length) {
                buf = Arrays.copyOfRange(buf, pos, Math.max(buf.length * 2, live + length));
            } else {
                System.arraycopy(buf, pos, buf, 0, live);
            }
            pos = 0;
            lim = live;
        }
        System.arraycopy(data, offset, buf, lim, length);
        lim += length;
    }

    void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    /** The next message or control frame, or null when more bytes are needed. */
    Frame next() throws WebSocketProtocolException {
        if (failure != null) {
            throw failure;
        }
        try {
            while (true) {
                Frame f = step();
                if (f != NEED_MORE_OR_FRAGMENT) {
                    return f;
                }
                if (lim - pos < 2) {
                    return null;
                }
            }
        } catch (WebSocketProtocolException e) {
            failure = e;
            throw e;
        }
    }

    private static final Frame NEED_MORE_OR_FRAGMENT = new Frame(-1, new byte[0], null);

    /** Decodes one frame: a result, null (need more bytes), or NEED_MORE_OR_FRAGMENT (a fragment was absorbed). */
    private Frame step() throws WebSocketProtocolException {
        int avail = lim - pos;
        if (avail < 2) {
            return null;
        }
        int b0 = buf[pos] & 0xff;
        int b1 = buf[pos + 1] & 0xff;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        if ((b0 & 0x70) != 0) {
            throw new WebSocketProtocolException(1002, "reserved bits set in a frame (no extension was negotiated)");
        }
        boolean control = opcode >= 0x8;
        if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY && opcode != CLOSE && opcode != PING && opcode != PONG) {
            throw new WebSocketProtocolException(1002, "unknown opcode 0x" + Integer.toHexString(opcode));
        }
        boolean masked = (b1 & 0x80) != 0;
        if (masked != serverSide) {
            throw new WebSocketProtocolException(1002, serverSide ? "a client frame was not masked" : "a server frame was masked");
        }
        int len7 = b1 & 0x7f;
        int headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (control && (!fin || len7 > 125)) {
            throw new WebSocketProtocolException(1002, !fin ? "a fragmented control frame" : "a control frame longer than 125 bytes");
        }
        if (avail < headerLength) {
            return null;
        }
        long length = len7;
        if (len7 == 126) {
            length = ((buf[pos + 2] & 0xffL) << 8) | (buf[pos + 3] & 0xffL);
        } else if (len7 == 127) {
            length = ByteBuffer.wrap(buf, pos + 2, 8).getLong();
            if (length < 0) {
                throw new WebSocketProtocolException(1002, "a frame length with its most significant bit set");
            }
        }
        if (!control) {
            if (opcode == CONTINUATION && messageOpcode < 0) {
                throw new WebSocketProtocolException(1002, "a continuation frame without a message to continue");
            }
            if (opcode != CONTINUATION && messageOpcode >= 0) {
                throw new WebSocketProtocolException(1002, "a new data frame inside a fragmented message");
            }
            long soFar = fragments == null ? 0 : fragments.size();
            if (soFar + length > maxMessageBytes) {
                throw new WebSocketProtocolException(1009, "a message larger than " + maxMessageBytes + " bytes");
            }
        }
        if (avail < headerLength + length) {
            return null;
        }
        int payloadStart = pos + headerLength;
        byte[] payload = Arrays.copyOfRange(buf, payloadStart, payloadStart + (int) length);
        if (masked) {
            int k = payloadStart - 4;
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= buf[k + (i & 3)];
            }
        }
        pos += headerLength + (int) length;
        if (pos == lim) {
            pos = lim = 0;
        }
        if (control) {
            if (opcode == CLOSE) {
                checkClosePayload(payload);
            }
            return new Frame(opcode, payload, null);
        }
        if (!fin) {
            if (messageOpcode < 0) {
                messageOpcode = opcode;
                fragments = new ByteArrayOutputStream();
            }
            fragments.writeBytes(payload);
            return NEED_MORE_OR_FRAGMENT;
        }
        int type = opcode;
        if (messageOpcode >= 0) {
            type = messageOpcode;
            fragments.writeBytes(payload);
            payload = fragments.toByteArray();
            fragments = null;
            messageOpcode = -1;
        }
        return new Frame(type, payload, type == TEXT ? utf8(payload, "a text message") : null);
    }

    private static void checkClosePayload(byte[] payload) throws WebSocketProtocolException {
        if (payload.length == 0) {
            return;
        }
        if (payload.length == 1) {
            throw new WebSocketProtocolException(1002, "a close frame with a one-byte payload");
        }
        int code = closeCode(payload);
        if (!validCloseCode(code)) {
            throw new WebSocketProtocolException(1002, "invalid close code " + code);
        }
        utf8(Arrays.copyOfRange(payload, 2, payload.length), "a close reason");
    }

    /** Close codes a peer may send (RFC 6455 §7.4): 1000-1003, 1007-1014, 3000-4999. */
    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    static int closeCode(byte[] payload) {
        return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    static String closeReason(byte[] payload) {
        return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    static String utf8(byte[] bytes, String what) throws WebSocketProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WebSocketProtocolException(1007, what + " is not valid UTF-8");
        }
    }

    /** The payload of a close frame: the code and the reason (at most 123 bytes of UTF-8). */
    static byte[] closePayload(int code, String reason) {
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > 123) {
            throw new IllegalArgumentException("a close reason is at most 123 bytes of UTF-8, not " + r.length);
        }
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** One frame; {@code maskKey} (4 bytes) masks it (a client's frames), null leaves it clear (a server's). */
    static byte[] encode(int opcode, boolean fin, byte[] payload, byte[] maskKey) {
        int n = payload.length;
        int lengthBytes = n <= 125 ? 0 : n <= 0xffff ? 2 : 8;
        int header = 2 + lengthBytes + (maskKey == null ? 0 : 4);
        byte[] out = new byte[header + n];
        out[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        int maskBit = maskKey == null ? 0 : 0x80;
        if (lengthBytes == 0) {
            out[1] = (byte) (maskBit | n);
        } else if (lengthBytes == 2) {
            out[1] = (byte) (maskBit | 126);
            out[2] = (byte) (n >> 8);
            out[3] = (byte) n;
        } else {
            out[1] = (byte) (maskBit | 127);
            ByteBuffer.wrap(out, 2, 8).putLong(n);
        }
        if (maskKey == null) {
            System.arraycopy(payload, 0, out, header, n);
        } else {
            System.arraycopy(maskKey, 0, out, header - 4, 4);
            for (int i = 0; i < n; i++) {
                out[header + i] = (byte) (payload[i] ^ maskKey[i & 3]);
            }
        }
        return out;
    }
}
