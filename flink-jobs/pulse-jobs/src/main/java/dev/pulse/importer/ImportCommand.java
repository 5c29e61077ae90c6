package dev.pulse.importer;

import dev.pulse.cli.ConfigMixin;
import dev.pulse.json.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pulse import}: converts a public dataset into Pulse's JSON-lines input files, for {@code pulse replay}.
 * Format: {@code taobao-user-behavior} (Alibaba's UserBehavior.csv) to clicks.jsonl and orders.jsonl.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert a public dataset to Pulse input files (JSON lines) for replay.")
public class ImportCommand implements Callable<Integer> {

    @Option(names = "--format", required = true, description = "taobao-user-behavior")
    String format;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The dataset file.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for clicks.jsonl and orders.jsonl.")
    Path out;

    @Mixin
    ConfigMixin config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("taobao-user-behavior")) {
            throw new IllegalArgumentException("unknown --format " + format + " (known: taobao-user-behavior)");
        }
        TaobaoUserBehavior reader = new TaobaoUserBehavior(config.settings().timeZone, config.settings().currency);
        Files.createDirectories(out);
        long clicks = 0;
        long purchases = 0;
        long invalid = 0;
        long lineNumber = 0;
        try (BufferedReader lines = Files.newBufferedReader(in);
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
                } else {
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
}
