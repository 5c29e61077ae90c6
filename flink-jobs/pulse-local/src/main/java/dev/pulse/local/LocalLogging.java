package dev.pulse.local;

import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/** Points the local runtime's log file (see log4j2.xml) at a data folder chosen on the command line. */
final class LocalLogging {
    private LocalLogging() {}

    static void writeTo(Path logFile) {
        System.setProperty("pulse.log.file", logFile.toString());
        // Flink's web UI shows the file named by log.file in its Job Manager log tab
        System.setProperty("log.file", logFile.toString());
        if (LogManager.getContext(false) instanceof LoggerContext context) {
            context.reconfigure();
        }
    }
}
