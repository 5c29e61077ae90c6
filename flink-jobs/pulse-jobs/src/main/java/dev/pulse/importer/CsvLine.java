package dev.pulse.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line (RFC 4180): fields separated by commas, a field in double quotes may hold commas, and a
 * doubled quote inside it is one quote. A quoted field cannot span lines here: none of the imported files has one.
 */
final class CsvLine {
    private CsvLine() {}

    /** @throws IllegalArgumentException for an unclosed quote or text after a closing quote */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unclosed quote in field " + (fields.size() + 1));
                    }
                    char c = line.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < line.length() && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("text after the closing quote of field " + (fields.size() + 1));
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    field.append(line.charAt(i++));
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++; // the comma
        }
    }
}
