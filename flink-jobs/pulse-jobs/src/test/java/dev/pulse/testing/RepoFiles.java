package dev.pulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Files at the repository root (schemas/, docs/, dashboards/, ...), found from the build's schemas folder or upwards. */
public final class RepoFiles {
    private RepoFiles() {}

    public static Path root() {
        String schemas = System.getProperty("pulse.schemas.dir");
        if (schemas != null && Files.isDirectory(Path.of(schemas).resolveSibling("dashboards"))) {
            return Path.of(schemas).getParent();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("dashboards")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a folder with dashboards/ and pom.xml)");
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }

    /** Every Grafana dashboard in dashboards/, in file-name order. */
    public static List<JsonNode> dashboards() throws IOException {
        List<JsonNode> dashboards = new ArrayList<>();
        try (var files = Files.list(resolve("dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(Json.MAPPER.readTree(file.toFile()));
            }
        }
        return dashboards;
    }
}
