package dev.pulse.model;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A serializer for one input event type, written field by field ({@link EventFields}): every admitted event
 * crosses the shuffle to its visitor's subtask, where Flink's POJO serializer (a reflective access and a string
 * read a character at a time per field) was a tenth of the job's CPU. Events are immutable once parsed, so a copy
 * shares the field values. A subclass lists its fields once, in {@link #write} and {@link #read}; adding one means
 * a new snapshot version.
 */
abstract class EventSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    abstract void write(T event, DataOutputView out) throws IOException;

    abstract T read(DataInputView in) throws IOException;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T event, DataOutputView out) throws IOException {
        write(event, out);
    }

    @Override
    public T deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        write(read(in), out);
    }
}
