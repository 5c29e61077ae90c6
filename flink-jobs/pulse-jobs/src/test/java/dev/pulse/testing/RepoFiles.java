package dev.pulse.testing;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
