package dev.pulse.ingestion;

import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink type information of {@code Parsed<T>} per stream (generic POJOs need a concrete type hint). */
final class ParsedTypes {
    private ParsedTypes() {}

    @SuppressWarnings("unchecked")
    static <T> TypeInformation<Parsed<T>> of(Stream stream) {
        switch (stream) {
            case CLICK:
                return (TypeInformation<Parsed<T>>) (Object) new TypeHint<Parsed<ClickEvent>>() {}.getTypeInfo();
            case ORDER:
                return (TypeInformation<Parsed<T>>) (Object) new TypeHint<Parsed<OrderEvent>>() {}.getTypeInfo();
            case AD:
                return (TypeInformation<Parsed<T>>) (Object) new TypeHint<Parsed<AdEvent>>() {}.getTypeInfo();
            default:
                throw new IllegalArgumentException("no type for stream " + stream);
        }
    }
}
