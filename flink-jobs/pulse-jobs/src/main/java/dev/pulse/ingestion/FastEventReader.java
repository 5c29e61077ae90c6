package dev.pulse.ingestion;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.pulse.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one event in a single streaming pass, from bytes to the typed event, checking as it goes what the
 * stream's JSON Schema checks. The checks are taken from the schema file itself (types, nullability, length
 * bounds, enums, patterns, minimums, required fields, and the "if a value then required" rules), so the schema
 * stays the one source of truth; the caller names only where each property goes.
 *
 * <p>It answers only "certainly valid": anything unusual (a failed check, a duplicate key, an uncommon time
 * notation, a number the binding might read otherwise) returns null, and the caller decides with the schema
 * validator, which also explains the rejection. So this reader may defer a valid event, never accept an invalid
 * one; {@code FastEventReaderTest} holds it to that on every example and on mutated traffic.
 */
final class FastEventReader<T> {
    private static final int END = -1;
    private static final int OTHER = -2;

    /** Where a property's value goes. */
    @FunctionalInterface
    interface Setter<T> {
        void set(T event, Object value);
    }

    private final Supplier<T> factory;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<Setter<T>> setters = new ArrayList<>();
    private final long required;
    private final List<Conditional> conditionals = new ArrayList<>();

    /** "When property {@code field} takes one of {@code values}, {@code then} must be present and non-null." */
    private record Conditional(int field, Set<String> values, long then) {}

    /** For each property, its slot among the values the conditionals look at, or -1. */
    private int[] conditionalSlot;
    /** Each property's name as the parser can match it against the input bytes. */
    private final List<SerializedString> names = new ArrayList<>();
    /** For each property (and, last, for the start), the property that followed it last time, or -1. */
    private final int[] following;

    /**
     * @param schema the stream's schema
     * @param setters one per schema property: where its value goes (String, Instant, BigDecimal or Integer)
     * @throws IllegalArgumentException when the schema uses something this reader does not check, or a property
     *     has no setter: the fast path must never be looser than the schema
     */
    FastEventReader(JsonNode schema, Supplier<T> factory, Map<String, Setter<T>> setters) {
        this.factory = factory;
        JsonNode properties = schema.get("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            Setter<T> setter = setters.get(property.getKey());
            if (setter == null) {
                throw new IllegalArgumentException("no setter for schema property " + property.getKey());
            }
            index.put(property.getKey(), checks.size());
            checks.add(Check.of(property.getKey(), property.getValue()));
            this.setters.add(setter);
            names.add(new SerializedString(property.getKey()));
        }
        following = new int[checks.size() + 1];
        Arrays.fill(following, -1);
        if (checks.size() > Long.SIZE) {
            throw new IllegalArgumentException("more than 64 properties");
        }
        if (!setters.keySet().equals(index.keySet())) {
            throw new IllegalArgumentException("setters for properties the schema does not have: " + setters.keySet());
        }
        this.required = mask(schema.get("required"));
        for (String keyword : iterable(schema.fieldNames())) {
            if (!Set.of("$schema", "$id", "title", "description", "type", "required", "properties", "allOf")
                    .contains(keyword)) {
                throw new IllegalArgumentException("schema keyword " + keyword + " is not checked by the fast reader");
            }
        }
        if (!"object".equals(schema.path("type").asText())) {
            throw new IllegalArgumentException("the schema must describe an object");
        }
        for (JsonNode rule : schema.path("allOf")) {
            conditionals.add(conditional(rule));
        }
        conditionalSlot = new int[checks.size()];
        Arrays.fill(conditionalSlot, -1);
        for (int c = 0; c < conditionals.size(); c++) {
            conditionalSlot[conditionals.get(c).field] = c;
        }
    }

    /** The event if the line is certainly valid; null to let the schema decide. */
    T read(byte[] raw) throws IOException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(raw)) {
            return read(p);
        }
    }

    private T read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        T event = factory.get();
        Object[] conditionalValues = conditionals.isEmpty() ? null : new Object[conditionals.size()];
        long seen = 0;
        long nonNull = 0;
        int previous = checks.size(); // the slot of "before the first property"
        while (true) {
            int i = nextProperty(p, previous);
            if (i == END) {
                break;
            }
            JsonToken token = p.nextToken();
            if (i == OTHER) {
                p.skipChildren(); // other properties are allowed, whatever their value
                continue;
            }
            previous = i;
            long bit = 1L << i;
            if ((seen & bit) != 0) {
                return null; // a repeated key: the tree keeps the last one, let the schema path decide
            }
            seen |= bit;
            Object value = checks.get(i).read(p, token);
            if (value == Check.INVALID) {
                return null;
            }
            if (value != null) {
                nonNull |= bit;
                setters.get(i).set(event, value);
                if (conditionalSlot[i] >= 0) {
                    conditionalValues[conditionalSlot[i]] = value;
                }
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || (seen & required) != required) {
            return null;
        }
        for (int c = 0; c < conditionals.size(); c++) {
            Conditional rule = conditionals.get(c);
            if (rule.values.contains(conditionalValues[c]) && (nonNull & rule.then) != rule.then) {
                return null;
            }
        }
        return event;
    }

    /**
     * The next property's index, {@link #OTHER} for one the schema does not describe, or {@link #END}. Producers
     * write properties in the same order event after event, so the one that followed {@code previous} last time
     * is tried first, by its bytes, without decoding the name or looking it up.
     */
    private int nextProperty(JsonParser p, int previous) throws IOException {
        int guess = following[previous];
        String name;
        if (guess >= 0) {
            if (p.nextFieldName(names.get(guess))) {
                return guess;
            }
            name = p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
        } else {
            name = p.nextFieldName();
        }
        if (name == null) {
            return END;
        }
        Integer i = index.get(name);
        if (i == null) {
            return OTHER;
        }
        following[previous] = i; // a race between threads only costs a guess
        return i;
    }

    private Conditional conditional(JsonNode rule) {
        JsonNode ifProperties = rule.path("if").path("properties");
        JsonNode then = rule.path("then");
        if (ifProperties.size() != 1 || rule.size() != 2 || !then.has("required")) {
            throw new IllegalArgumentException("only 'if one property is in an enum then required' rules are checked");
        }
        String field = ifProperties.fieldNames().next();
        Set<String> values = new HashSet<>();
        ifProperties.get(field).get("enum").forEach(v -> values.add(v.asText()));
        long thenMask = mask(then.get("required"));
        // "then" may narrow a nullable property to a string: present and non-null is what the mask checks
        for (Iterator<Map.Entry<String, JsonNode>> it = then.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> narrowed = it.next();
            if (!"string".equals(narrowed.getValue().path("type").asText()) || narrowed.getValue().size() != 1
                    || (thenMask & (1L << index.get(narrowed.getKey()))) == 0) {
                throw new IllegalArgumentException("only narrowing a required property to a string is checked");
            }
        }
        return new Conditional(index.get(field), values, thenMask);
    }

    private long mask(JsonNode names) {
        long mask = 0;
        for (JsonNode name : names) {
            Integer i = index.get(name.asText());
            if (i == null) {
                throw new IllegalArgumentException("required property " + name.asText() + " is not described");
            }
            mask |= 1L << i;
        }
        return mask;
    }

    private static <E> Iterable<E> iterable(Iterator<E> it) {
        return () -> it;
    }

    /** The check of one property, built from its schema. */
    abstract static class Check {
        /** Returned by {@link #read} for a value the schema would not certainly accept. */
        static final Object INVALID = new Object();

        final boolean nullable;

        Check(boolean nullable) {
            this.nullable = nullable;
        }

        /** The value (null for JSON null where allowed), or {@link #INVALID}. */
        final Object read(JsonParser p, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return nullable ? null : INVALID;
            }
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                p.skipChildren();
                return INVALID;
            }
            return value(p, token);
        }

        abstract Object value(JsonParser p, JsonToken token) throws IOException;

        static Check of(String name, JsonNode property) {
            Set<String> keywords = new HashSet<>();
            property.fieldNames().forEachRemaining(keywords::add);
            keywords.remove("description");
            if (keywords.equals(Set.of("enum"))) {
                return new EnumCheck(property.get("enum"));
            }
            JsonNode type = property.get("type");
            boolean nullable = type != null && type.isArray() && contains(type, "null");
            String base = type == null ? "" : type.isArray() ? firstNonNull(type) : type.asText();
            keywords.remove("type");
            switch (base) {
                case "string" -> {
                    if (keywords.remove("format")) {
                        if (!"date-time".equals(property.get("format").asText()) || !keywords.isEmpty()) {
                            throw unsupported(name, property);
                        }
                        return new TimeCheck(nullable);
                    }
                    int min = property.path("minLength").asInt(0);
                    int max = property.path("maxLength").asInt(Integer.MAX_VALUE);
                    String pattern = property.path("pattern").asText(null);
                    keywords.removeAll(Set.of("minLength", "maxLength", "pattern"));
                    if (!keywords.isEmpty()) {
                        throw unsupported(name, property);
                    }
                    return new TextCheck(nullable, min, max, pattern == null ? null : PatternCheck.of(pattern));
                }
                case "number", "integer" -> {
                    keywords.remove("minimum");
                    if (!keywords.isEmpty() || !property.path("minimum").isNumber()) {
                        throw unsupported(name, property);
                    }
                    BigDecimal minimum = property.get("minimum").decimalValue();
                    return base.equals("integer") ? new IntegerCheck(nullable, minimum)
                            : new NumberCheck(nullable, minimum);
                }
                default -> throw unsupported(name, property);
            }
        }

        private static boolean contains(JsonNode array, String value) {
            for (JsonNode v : array) {
                if (v.asText().equals(value) && v.getNodeType() == JsonNodeType.STRING) {
                    return true;
                }
            }
            return false;
        }

        private static String firstNonNull(JsonNode types) {
            for (JsonNode t : types) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
            return "";
        }

        private static IllegalArgumentException unsupported(String name, JsonNode property) {
            return new IllegalArgumentException("property " + name + " uses a schema the fast reader does not check: "
                    + property);
        }
    }

    /** A property whose schema is only an enum (of strings, and maybe null). */
    static final class EnumCheck extends Check {
        private final String[] values;

        EnumCheck(JsonNode values) {
            super(hasNull(values));
            List<String> strings = new ArrayList<>();
            for (JsonNode v : values) {
                if (v.isTextual()) {
                    strings.add(v.asText());
                } else if (!v.isNull()) {
                    throw new IllegalArgumentException("only enums of strings are checked: " + values);
                }
            }
            this.values = strings.toArray(String[]::new);
        }

        private static boolean hasNull(JsonNode values) {
            for (JsonNode v : values) {
                if (v.isNull()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        Object value(JsonParser p, JsonToken token) throws IOException {
            if (token != JsonToken.VALUE_STRING) {
                return INVALID;
            }
            // compared in the parser's buffer: the one shared instance of each value, no string made per event
            char[] text = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            for (String value : values) {
                if (value.length() == length && sameChars(value, text, offset)) {
                    return value;
                }
            }
            return INVALID;
        }

        private static boolean sameChars(String value, char[] text, int offset) {
            for (int i = 0; i < value.length(); i++) {
                if (value.charAt(i) != text[offset + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A string with length bounds and maybe a pattern. */
    static final class TextCheck extends Check {
        private final int min;
        private final int max;
        private final Predicate<String> pattern;

        TextCheck(boolean nullable, int min, int max, Predicate<String> pattern) {
            super(nullable);
            this.min = min;
            this.max = max;
            this.pattern = pattern;
        }

        @Override
        Object value(JsonParser p, JsonToken token) throws IOException {
            if (token != JsonToken.VALUE_STRING) {
                return INVALID;
            }
            String s = p.getText();
            int length = s.length();
            // schema lengths count code points; a string within the bounds in UTF-16 units is within them in
            // code points too (longer ones are left to the schema), and has at least half as many code points
            if (length > max || ((length + 1) / 2 < min && s.codePointCount(0, length) < min)) {
                return INVALID;
            }
            return pattern == null || pattern.test(s) ? s : INVALID;
        }
    }

    /**
     * Schema patterns (ECMA 262, unanchored), for the classes they use. The usual form, {@code ^} then character
     * sets each with an optional count ({@code [A-Z]{3}}, {@code [0-9a-f]{16,64}}) then {@code $}, is matched
     * without a regular expression; any other form is compiled as a Java pattern.
     */
    static final class PatternCheck {
        /** One character set (no nested or negated set) with an optional count: {@code [0-9a-f]{16,64}}. */
        private static final String SET = "\\[([^\\[\\]^]+)\\](?:\\{(\\d+)(?:,(\\d+))?\\})?";
        private static final Pattern SIMPLE = Pattern.compile("\\^(?:" + SET + ")+\\$");
        private static final Pattern ATOM = Pattern.compile(SET);

        private PatternCheck() {}

        static Predicate<String> of(String pattern) {
            if (!pattern.matches("[\\^$\\[\\]A-Za-z0-9{},\\-]*")) {
                throw new IllegalArgumentException("pattern " + pattern + " uses syntax the fast reader does not check");
            }
            return SIMPLE.matcher(pattern).matches() ? CharSets.of(pattern) : Pattern.compile(pattern).asPredicate();
        }

        /** A whole string made of runs of characters from sets, each run a set's count long. */
        record CharSets(boolean[][] sets, int[] min, int[] max) implements Predicate<String> {
            static CharSets of(String pattern) {
                List<boolean[]> sets = new ArrayList<>();
                List<int[]> counts = new ArrayList<>();
                Matcher atom = ATOM.matcher(pattern);
                while (atom.find()) {
                    sets.add(members(atom.group(1)));
                    int min = atom.group(2) == null ? 1 : Integer.parseInt(atom.group(2));
                    int max = atom.group(3) == null ? min : Integer.parseInt(atom.group(3));
                    counts.add(new int[] {min, max});
                }
                return new CharSets(sets.toArray(boolean[][]::new),
                        counts.stream().mapToInt(c -> c[0]).toArray(), counts.stream().mapToInt(c -> c[1]).toArray());
            }

            /** The ASCII characters of a set such as {@code A-Za-z0-9-}. */
            private static boolean[] members(String set) {
                boolean[] in = new boolean[128];
                for (int i = 0; i < set.length(); i++) {
                    char from = set.charAt(i);
                    char to = from;
                    if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
                        to = set.charAt(i + 2);
                        i += 2;
                    }
                    for (char c = from; c <= to; c++) {
                        in[c] = true;
                    }
                }
                return in;
            }

            @Override
            public boolean test(String s) {
                int at = 0;
                for (int a = 0; a < sets.length; a++) {
                    boolean[] set = sets[a];
                    int run = 0;
                    // runs are greedy, so a string that needs a shorter run (a later set sharing its characters)
                    // is not matched here: the schema then decides, as for any event this reader defers
                    while (at < s.length() && run < max[a] && s.charAt(at) < 128 && set[s.charAt(at)]) {
                        at++;
                        run++;
                    }
                    if (run < min[a]) {
                        return false;
                    }
                }
                return at == s.length();
            }
        }
    }

    /** An RFC 3339 date-time, read when written plainly; any other notation is left to the schema. */
    static final class TimeCheck extends Check {
        TimeCheck(boolean nullable) {
            super(nullable);
        }

        @Override
        Object value(JsonParser p, JsonToken token) throws IOException {
            if (token != JsonToken.VALUE_STRING) {
                return INVALID;
            }
            Instant instant = Rfc3339.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            return instant == null ? INVALID : instant;
        }
    }

    /** A number with a minimum, as the event's BigDecimal field receives it from a parsed JSON tree. */
    static final class NumberCheck extends Check {
        private final BigDecimal minimum;

        NumberCheck(boolean nullable, BigDecimal minimum) {
            super(nullable);
            this.minimum = minimum;
        }

        @Override
        Object value(JsonParser p, JsonToken token) throws IOException {
            BigDecimal value;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                value = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new BigDecimal(p.getBigIntegerValue()) : BigDecimal.valueOf(p.getLongValue());
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                // the tree strips trailing zeros of decimals (Jackson's default), so the event gets the same value
                value = p.getDecimalValue().stripTrailingZeros();
            } else {
                return INVALID;
            }
            return value.compareTo(minimum) >= 0 ? value : INVALID;
        }
    }

    /** A whole number that fits an int, with a minimum; 2.0 and the like are left to the schema. */
    static final class IntegerCheck extends Check {
        private final BigDecimal minimum;

        IntegerCheck(boolean nullable, BigDecimal minimum) {
            super(nullable);
            this.minimum = minimum;
        }

        @Override
        Object value(JsonParser p, JsonToken token) throws IOException {
            if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                return INVALID;
            }
            int value = p.getIntValue();
            return BigDecimal.valueOf(value).compareTo(minimum) >= 0 ? value : INVALID;
        }
    }
}
