package dev.pulse.importer;

import dev.pulse.cli.ConfigMixin;
import dev.pulse.json.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse import}: converts a public dataset into Pulse's JSON-lines input files, for {@code pulse replay}.
 * Formats: {@code taobao-user-behavior} (Alibaba's UserBehavior.csv) to clicks.jsonl and orders.jsonl;
 * {@code uci-online-retail} (the UCI Online Retail invoices, {@link UciOnlineRetail}) to orders.jsonl.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert a public dataset (Taobao UserBehavior clicks and purchases, or UCI Online Retail "
                + "invoices) to Pulse input files (JSON lines) for replay.")
public class ImportCommand implements Callable<Integer> {
    private static final String FORMATS = "taobao-user-behavior, uci-online-retail";

    @Option(names = "--format", required = true,
            description = "taobao-user-behavior (clicks and orders) or uci-online-retail (orders and refunds,"
                    + " always in GBP and Europe/London time).")
    String format;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The dataset file.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for clicks.jsonl and orders.jsonl (uci-online-retail: orders.jsonl only).")
    Path out;

    @Mixin
    ConfigMixin config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return switch (format) {
            case "taobao-user-behavior" -> taobao();
            case "uci-online-retail" -> uci();
            default -> throw new IllegalArgumentException(
                    "unknown --format " + format + " (known: " + FORMATS + ")");
        };
    }

    private int taobao() throws Exception {
        TaobaoUserBehavior reader = new TaobaoUserBehavior(config.settings().timeZone, config.settings().currency);
        Files.createDirectories(out);
        long clicks = 0;
        long purchases = 0;
        long invalid = 0;
        long lineNumber = 0;
        try (BufferedReader lines = open(in);
             BufferedWriter writer = Files.newBufferedWriter(out.resolve("clicks.jsonl"));
             BufferedWriter orderWriter = Files.newBufferedWriter(out.resolve("orders.jsonl"))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                TaobaoUserBehavior.Row row = reader.read(line, ++lineNumber);
                if (row.click != null) {
                    writer.write(Json.write(row.click));
                    writer.newLine();
                    clicks++;
                } else if (!row.orders.isEmpty()) {
                    for (var order : row.orders) {
                        orderWriter.write(Json.write(order));
                        orderWriter.newLine();
                    }
                    purchases++;
                } else if (!row.header()) {
                    invalid++;
                    if (invalid <= 3) {
                        spec.commandLine().getErr().printf("line %d: %s%n", lineNumber, row.problem);
                    }
                }
            }
        }
        spec.commandLine().getErr().printf("import: %d clicks written to %s, %d purchases as orders created and paid"
                + " (amount unknown: 0) to %s, %d lines not in the format%n", clicks, out.resolve("clicks.jsonl"),
                purchases, out.resolve("orders.jsonl"), invalid);
        return invalid == 0 ? 0 : 1;
    }

    /**
     * UTF-8, a byte that is not UTF-8 read as U+FFFD rather than ending the import: the widely copied CSV of Online
     * Retail has Latin-1 descriptions, which no event carries (every field the importers read is ASCII).
     */
    private static BufferedReader open(Path file) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), utf8), 1 << 16);
    }

    /** Reads the whole file first: a refund is matched against every order of the file, wherever its lines are. */
    private int uci() throws Exception {
        UciOnlineRetail reader = new UciOnlineRetail();
        long invalid = 0;
        long lineNumber = 0;
        try (BufferedReader lines = open(in)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                String problem = reader.read(line);
                if (problem != null && ++invalid <= 3) {
                    spec.commandLine().getErr().printf("line %d: %s%n", lineNumber, problem);
                }
            }
        }
        UciOnlineRetail.Result result = reader.result();
        Files.createDirectories(out);
        Path orders = out.resolve("orders.jsonl");
        try (BufferedWriter writer = Files.newBufferedWriter(orders)) {
            for (var event : result.events) {
                writer.write(Json.write(event));
                writer.newLine();
            }
        }
        spec.commandLine().getErr().printf("import: %d orders (created and paid), %d refunds matched to an order,"
                + " %d refunds unmatched, %d invoices skipped (no positive amount), %d lines not in the format;"
                + " written to %s%n", result.orders, result.refundsMatched, result.refundsUnmatched, result.skipped,
                invalid, orders);
        // the importer's clock and money are the shop's, whatever the configuration says
        spec.commandLine().getErr().printf("import: times are Europe/London and amounts GBP: replay with"
                + " -Dpulse.time-zone=Europe/London -Dpulse.currency=GBP%n");
        return invalid == 0 ? 0 : 1;
    }
}
