package dev.pulse.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table with padded columns, so it reads as well in a terminal as rendered. */
final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... header) {
        this.header = List.of(header);
    }

    MarkdownTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(String.valueOf(c));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(3, header.get(i).length());
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, header, widths);
        List<String> rule = new ArrayList<>();
        for (int w : widths) {
            rule.add("-".repeat(w));
        }
        line(b, rule, widths);
        for (List<String> row : rows) {
            line(b, row, widths);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells, int[] widths) {
        b.append('|');
        for (int i = 0; i < widths.length; i++) {
            b.append(' ').append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length())).append(" |");
        }
        b.append('\n');
    }
}
