package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frame codec on bytes alone: lengths, masking, fragmentation, control frames, every rejection. */
class WebSocketCodecTest {
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in pieces of {@code step} and collects every frame. */
    private static List<WebSocketCodec.Frame> decode(WebSocketCodec codec, byte[] bytes, int step) throws Exception {
        List<WebSocketCodec.Frame> frames = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += step) {
            codec.feed(bytes, i, Math.min(step, bytes.length - i));
            for (WebSocketCodec.Frame f; (f = codec.next()) != null; ) frames.add(f);
        }
        return frames;
    }

    private static WebSocketCodec server() {
        return new WebSocketCodec(true, 1 << 20);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65535, 65536, 200_000})
    void everyLengthEncodingRoundTripsMaskedAndClear(int length) throws Exception {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        for (int step : new int[] {1 << 20, 7}) {
            if (length > 70_000 && step == 7) continue; // one byte-split pass over the big one is enough below
            List<WebSocketCodec.Frame> masked = decode(server(), WebSocketCodec.encode(WebSocketCodec.BINARY, true, payload, MASK), step);
            assertThat(masked).hasSize(1);
            assertThat(masked.get(0).payload()).isEqualTo(payload);
            List<WebSocketCodec.Frame> clear = decode(new WebSocketCodec(false, 1 << 20),
                    WebSocketCodec.encode(WebSocketCodec.BINARY, true, payload, null), step);
            assertThat(clear.get(0).payload()).isEqualTo(payload);
        }
    }

    @Test
    void fragmentsAreJoinedAndControlFramesMayComeBetweenThem() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes, split across two fragments below
        byte[] wire = concat(
                WebSocketCodec.encode(WebSocketCodec.TEXT, false, concat("price ".getBytes(StandardCharsets.UTF_8), new byte[] {euro[0]}), MASK),
                WebSocketCodec.encode(WebSocketCodec.PING, true, "p".getBytes(StandardCharsets.UTF_8), MASK),
                WebSocketCodec.encode(WebSocketCodec.CONTINUATION, false, new byte[] {euro[1], euro[2]}, MASK),
                WebSocketCodec.encode(WebSocketCodec.CONTINUATION, true, "5".getBytes(StandardCharsets.UTF_8), MASK),
                WebSocketCodec.encode(WebSocketCodec.CLOSE, true, WebSocketCodec.closePayload(1000, "bye"), MASK));
        for (int step : new int[] {1, 3, wire.length}) {
            List<WebSocketCodec.Frame> frames = decode(server(), wire, step);
            assertThat(frames).extracting(WebSocketCodec.Frame::opcode)
                    .containsExactly(WebSocketCodec.PING, WebSocketCodec.TEXT, WebSocketCodec.CLOSE);
            assertThat(frames.get(1).text()).isEqualTo("price €5");
            assertThat(WebSocketCodec.closeCode(frames.get(2).payload())).isEqualTo(1000);
            assertThat(WebSocketCodec.closeReason(frames.get(2).payload())).isEqualTo("bye");
        }
    }

    private static void rejected(WebSocketCodec codec, byte[] wire, int closeCode, String messagePart) {
        assertThatThrownBy(() -> decode(codec, wire, wire.length))
                .isInstanceOf(WebSocketProtocolException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((WebSocketProtocolException) e).closeCode()).isEqualTo(closeCode));
    }

    @Test
    void protocolViolationsAreRejectedWithTheirCloseCode() {
        byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
        rejected(server(), WebSocketCodec.encode(WebSocketCodec.TEXT, true, hi, null), 1002, "not masked");
        rejected(new WebSocketCodec(false, 1000), WebSocketCodec.encode(WebSocketCodec.TEXT, true, hi, MASK), 1002, "was masked");
        byte[] rsv = WebSocketCodec.encode(WebSocketCodec.TEXT, true, hi, MASK);
        rsv[0] |= 0x40;
        rejected(server(), rsv, 1002, "reserved bits");
        rejected(server(), WebSocketCodec.encode(0x3, true, hi, MASK), 1002, "unknown opcode");
        rejected(server(), WebSocketCodec.encode(WebSocketCodec.PING, false, hi, MASK), 1002, "fragmented control");
        rejected(server(), WebSocketCodec.encode(WebSocketCodec.PING, true, new byte[126], MASK), 1002, "longer than 125");
        rejected(server(), WebSocketCodec.encode(WebSocketCodec.CONTINUATION, true, hi, MASK), 1002, "without a message");
        rejected(server(), concat(WebSocketCodec.encode(WebSocketCodec.TEXT, false, hi, MASK),
                WebSocketCodec.encode(WebSocketCodec.BINARY, true, hi, MASK)), 1002, "inside a fragmented");
        rejected(server(), WebSocketCodec.encode(WebSocketCodec.TEXT, true, new byte[] {(byte) 0xc3, 0x28}, MASK), 1007, "not valid UTF-8");
        rejected(server(), WebSocketCodec.encode(WebSocketCodec.CLOSE, true, new byte[] {3}, MASK), 1002, "one-byte");
        rejected(server(), WebSocketCodec.encode(WebSocketCodec.CLOSE, true, WebSocketCodec.closePayload(1005, ""), MASK), 1002, "invalid close code");
        byte[] badReason = concat(new byte[] {0x03, (byte) 0xe8}, new byte[] {(byte) 0xff});
        rejected(server(), WebSocketCodec.encode(WebSocketCodec.CLOSE, true, badReason, MASK), 1007, "close reason");
        byte[] huge = {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        rejected(server(), huge, 1002, "most significant bit");
    }

    @Test
    void anOversizedMessageIsRefusedFromItsDeclaredLengthBeforeThePayloadArrives() throws Exception {
        WebSocketCodec codec = new WebSocketCodec(true, 1000);
        byte[] frame = WebSocketCodec.encode(WebSocketCodec.BINARY, true, new byte[5000], MASK);
        codec.feed(frame, 0, 8); // the header only
        assertThatThrownBy(codec::next).isInstanceOf(WebSocketProtocolException.class)
                .satisfies(e -> assertThat(((WebSocketProtocolException) e).closeCode()).isEqualTo(1009));
        // fragments count together
        WebSocketCodec fragmented = new WebSocketCodec(true, 1000);
        rejected(fragmented, concat(WebSocketCodec.encode(WebSocketCodec.BINARY, false, new byte[600], MASK),
                WebSocketCodec.encode(WebSocketCodec.CONTINUATION, true, new byte[600], MASK)), 1009, "larger than 1000");
        // and the codec stays failed
        assertThatThrownBy(fragmented::next).isInstanceOf(WebSocketProtocolException.class);
    }

    @Test
    void acceptKeyMatchesTheRfcExample() {
        assertThat(WebSocket.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
