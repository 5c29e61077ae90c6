package dev.pulse.dashboards;

import dev.pulse.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pulse dashboards}: writes the Grafana dashboards of {@link PulseDashboards} as JSON files, one per uid,
 * into {@code --out} (default {@code dashboards}, the folder Grafana is provisioned from).
 */
@Command(name = "dashboards", mixinStandardHelpOptions = true,
        description = "Write the Grafana dashboards (JSON, built from the metric catalog) into a folder.")
public class DashboardsCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "dashboards",
            description = "Folder to write into (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        for (Dashboard dashboard : PulseDashboards.all()) {
            Path file = out.resolve(dashboard.fileName());
            Files.writeString(file, render(dashboard));
            System.out.println("wrote " + file);
        }
        return 0;
    }

    /** The file's text: indented JSON with a final newline, as kept in the repository. */
    public static String render(Dashboard dashboard) throws java.io.IOException {
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(dashboard.toJson()) + "\n";
    }
}
