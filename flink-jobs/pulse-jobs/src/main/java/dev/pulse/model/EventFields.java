package dev.pulse.model;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The field encodings of the input events' serializers, each field able to be null. Strings go as UTF-8 bytes
 * after their length: ids and labels are ASCII, which the JDK copies in bulk both ways, where Flink's own string
 * encoding reads and writes a character at a time. An instant keeps its nanoseconds; a decimal its scale, with its
 * unscaled value as a long when it fits (every amount and cost passing ingestion does).
 */
final class EventFields {
    private static final int NULL = 0;
    private static final int LONG = 1;
    private static final int BIG = 2;

    private EventFields() {}

    /** Length + 1 (0 for null) as a variable-length int, then the bytes. */
    static void writeString(DataOutputView out, String s) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeLength(out, bytes.length + 1);
        out.write(bytes);
    }

    static String readString(DataInputView in) throws IOException {
        int length = readLength(in) - 1;
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
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
