package dev.pulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The example files under schemas/examples/<schema>/: valid--*.json and invalid--<reason>--*.json. */
public final class SchemaExamples {
    private SchemaExamples() {}

    public static Path schemasDir() {
        return RepoFiles.resolve("schemas");
    }

    public static List<Path> examples(String schema) {
        try (Stream<Path> files = Files.list(schemasDir().resolve("examples").resolve(schema))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isValid(Path example) {
        return example.getFileName().toString().startsWith("valid--");
    }

    /** The dead-letter reason an invalid example's name promises, e.g. missing_field. */
    public static String expectedReason(Path example) {
        return example.getFileName().toString().split("--")[1];
    }

    public static String read(Path example) {
        try {
            return Files.readString(example).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
