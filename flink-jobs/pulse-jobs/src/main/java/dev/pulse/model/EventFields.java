package dev.pulse.model;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The field encodings of the input events' serializers, each field able to be null. An ASCII string (ids and
 * labels are) goes as its bytes, which the JDK copies in bulk both ways, where Flink's own string encoding reads
 * and writes a character at a time. An instant keeps its nanoseconds; a decimal its scale, with its
 * unscaled value as a long when it fits (every amount and cost passing ingestion does).
 */
final class EventFields {
    private static final int NULL = 0;
    private static final int LONG = 1;
    private static final int BIG = 2;

    private EventFields() {}

    /**
     * A header (0 for null, else the length + 1, shifted left once, with the low bit set for UTF-16), then an ASCII
     * string's bytes, or any other string's characters: exact even for a lone surrogate, which an id from outside
     * may hold and which UTF-8 would turn into another id.
     */
    static void writeString(DataOutputView out, String s) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        if (isAscii(s)) {
            writeLength(out, (s.length() + 1) << 1);
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        writeLength(out, (s.length() + 1) << 1 | 1);
        for (int i = 0; i < s.length(); i++) {
            out.writeChar(s.charAt(i));
        }
    }

    static String readString(DataInputView in) throws IOException {
        int header = readLength(in);
        int length = (header >>> 1) - 1;
        if (length < 0) {
            return null;
        }
        if ((header & 1) == 0) {
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1); // ASCII: a plain copy
        }
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = in.readChar();
        }
        return new String(chars);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static void writeInstant(DataOutputView out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    static Instant readInstant(DataInputView in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    static void writeDecimal(DataOutputView out, BigDecimal d) throws IOException {
        if (d == null) {
            out.writeByte(NULL);
            return;
        }
        BigInteger unscaled = d.unscaledValue();
        if (unscaled.bitLength() < 64) {
            out.writeByte(LONG);
            out.writeInt(d.scale());
            out.writeLong(unscaled.longValue());
            return;
        }
        byte[] bytes = unscaled.toByteArray();
        out.writeByte(BIG);
        out.writeInt(d.scale());
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static BigDecimal readDecimal(DataInputView in) throws IOException {
        int kind = in.readByte();
        if (kind == NULL) {
            return null;
        }
        int scale = in.readInt();
        if (kind == LONG) {
            return BigDecimal.valueOf(in.readLong(), scale);
        }
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new BigDecimal(new BigInteger(bytes), scale);
    }

    private static void writeLength(DataOutputView out, int value) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static int readLength(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }
}
