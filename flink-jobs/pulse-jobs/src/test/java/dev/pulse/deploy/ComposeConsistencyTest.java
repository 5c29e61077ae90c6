package dev.pulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pulse.cli.PulseCli;
import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import dev.pulse.export.ExporterSettings;
import dev.pulse.kafka.PulseTopics;
import dev.pulse.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.client.cli.DefaultCLI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * docker-compose.yml against the code and the repository: topics, command lines, mounted files, ports, the Flink
 * reporter, image tags, loopback bindings, passwords. Reads the file as {@code docker-compose config} resolves it.
 * The job jar need not be built: its mount must name what the shade plugin writes.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ComposeConsistencyTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String JAR_IN_CONTAINER = "/opt/flink/usrlib/pulse-jobs.jar";
    private static final String REPORTER_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    private static final Pattern CREATE_LINE = Pattern.compile("^\\s*create (\\S+) (\\d+)((?: --config \\S+=\\S+)*)\\s*$");

    private static Path root;
    private static String raw;
    private static ComposeFile compose;

    @BeforeAll
    static void resolve() throws Exception {
        root = RepoFiles.root();
        raw = Files.readString(root.resolve("docker-compose.yml"));
        compose = ComposeFile.parse(ComposeConfig.resolved());
    }

    @Test
    void kafkaInitCreatesExactlyThePulseTopicsWithTheirPartitionsAndConfigs() {
        List<PulseTopics.Topic> created = new ArrayList<>();
        String script = String.join("\n", compose.list("kafka-init", "command"));
        for (String line : script.split("\n")) {
            Matcher m = CREATE_LINE.matcher(line);
            if (m.matches()) {
                Map<String, String> configs = new LinkedHashMap<>();
                for (String config : m.group(3).split(" --config ")) {
                    if (!config.isBlank()) {
                        configs.put(config.substring(0, config.indexOf('=')).trim(), config.substring(config.indexOf('=') + 1).trim());
                    }
                }
                created.add(new PulseTopics.Topic(m.group(1), Integer.parseInt(m.group(2)), configs));
            }
        }

        assertThat(created).containsExactlyInAnyOrderElementsOf(PulseTopics.all(PulseSettings.defaults()));
        assertThat(created).extracting(PulseTopics.Topic::name).containsExactlyInAnyOrder(
                PulseOptions.CLICKS_TOPIC.defaultValue(), PulseOptions.ORDERS_TOPIC.defaultValue(),
                PulseOptions.ADS_TOPIC.defaultValue(), PulseOptions.METRICS_TOPIC.defaultValue(),
                PulseOptions.LIVE_METRICS_TOPIC.defaultValue(), PulseOptions.DEAD_LETTERS_TOPIC.defaultValue(),
                PulseOptions.ALERTS_TOPIC.defaultValue(), PulseOptions.LIVE_ALERTS_TOPIC.defaultValue());
        // the broker creates nothing itself, so a topic missing above fails loudly instead of appearing
        assertThat(compose.environment("kafka")).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    }

    @Test
    void theJobIsSubmittedWithFlinkRunOptionsAndPulseRunOptionsThatExist() throws Exception {
        List<String> command = compose.list("job-submitter", "command");
        int flink = indexOfPair(command, "flink", "run");
        String[] flinkArgs = command.subList(flink + 2, command.size()).toArray(String[]::new);

        // Flink's own parser and options (as CliFrontend merges them), stopping at the jar
        Options options = CliFrontendParser.getRunCommandOptions();
        Options custom = new Options();
        new DefaultCLI().addGeneralOptions(custom);
        new DefaultCLI().addRunOptions(custom);
        CommandLine flinkRun = CliFrontendParser.parse(CliFrontendParser.mergeOptions(options, custom), flinkArgs, true);
        assertThat(flinkRun.hasOption("detached")).as("flink run --detached").isTrue();
        assertThat(flinkRun.getOptionValue("jobmanager")).isEqualTo("jobmanager:8081");
        List<String> rest = flinkRun.getArgList();
        assertThat(rest.get(0)).isEqualTo(JAR_IN_CONTAINER);

        Map<String, String> pulseOptions = parsePulse(rest.subList(1, rest.size()), "run");
        assertThat(pulseOptions).containsEntry(PulseOptions.BOOTSTRAP_SERVERS.key(), "kafka:9092");
        assertThat(PulseSettings.from(pulseOptions).checkpointDir).isEqualTo("file:///pulse/checkpoints");
    }

    @Test
    void theGeneratorAndTheExporterRunPulseCommandsWithOptionsThatExist() {
        for (String service : List.of("generator", "exporter")) {
            List<String> entrypoint = compose.list(service, "entrypoint");
            assertThat(entrypoint).as(service + " entrypoint").startsWith("java").endsWith(PulseCli.class.getName());
            assertThat(entrypoint.get(entrypoint.indexOf("-cp") + 1)).startsWith(JAR_IN_CONTAINER + ":");
        }
        Map<String, String> generator = parsePulse(compose.list("generator", "command"), "generate");
        assertThat(generator).containsEntry(PulseOptions.BOOTSTRAP_SERVERS.key(), "kafka:9092");

        List<String> export = compose.list("exporter", "command");
        parsePulse(export, "export");
        ParseResult parsed = PulseCli.commandLine().parseArgs(export.toArray(String[]::new));
        assertThat(parsed.subcommand().matchedOptionValue("--port", -1)).isEqualTo(ExporterSettings.DEFAULT_PORT);
        assertThat(parsed.subcommand().matchedOptionValue("--host", "")).isEqualTo("0.0.0.0");
    }

    @Test
    void pulseCommandLinesWithAnUnknownOptionWouldFailThisCheck() {
        assertThatThrownBy(() -> PulseCli.commandLine().parseArgs("generate", "--to", "kafka", "--no-such-option"))
                .isInstanceOf(UnmatchedArgumentException.class);
    }

    @Test
    void everyMountedFileExistsInTheRepositoryAndTheJarIsTheShadePluginsOutput() throws Exception {
        String jar = "flink-jobs/pulse-jobs/target/" + shadedJarName();
        Set<String> jarMounts = new LinkedHashSet<>();
        for (String service : compose.serviceNames()) {
            for (ComposeFile.Mount mount : compose.volumes(service)) {
                if (!mount.source().startsWith("/")) {
                    continue; // a named volume
                }
                String relative = root.relativize(Path.of(mount.source())).toString();
                if (mount.target().equals(JAR_IN_CONTAINER)) {
                    assertThat(relative).as(service + " mounts the job jar").isEqualTo(jar);
                    jarMounts.add(service);
                } else {
                    assertThat(root.resolve(relative)).as(service + " mounts " + relative).exists();
                }
            }
        }
        assertThat(jarMounts).containsExactlyInAnyOrder("job-submitter", "generator", "exporter");
    }

    @Test
    void grafanaProvisionsTheWholeDashboardsFolderAndPrometheusItsConfigAndRules() throws Exception {
        String dashboards = mountTarget("grafana", "dashboards");
        JsonNode provider = new YAMLMapper().readTree(root.resolve("grafana/provisioning/dashboards/pulse.yml").toFile())
                .path("providers").get(0);
        assertThat(provider.path("options").path("path").asText()).isEqualTo(dashboards);
        String home = compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).startsWith(dashboards + "/");
        assertThat(root.resolve("dashboards").resolve(home.substring(dashboards.length() + 1))).exists();
        assertThat(mountTarget("grafana", "grafana/provisioning")).isEqualTo("/etc/grafana/provisioning");

        String config = mountTarget("prometheus", "prometheus/prometheus-compose.yml");
        assertThat(compose.list("prometheus", "command")).contains("--config.file=" + config);
        String rules = mountTarget("prometheus", "prometheus/rules");
        for (JsonNode file : prometheusConfig().path("rule_files")) {
            // rule files are relative to the config file, in the container as in the repository
            assertThat(Path.of(config).resolveSibling(file.asText()).toString()).startsWith(rules + "/");
            assertThat(root.resolve("prometheus").resolve(file.asText())).exists();
        }
        String alertmanager = mountTarget("alertmanager", "alertmanager/alertmanager.yml");
        assertThat(compose.list("alertmanager", "command")).contains("--config.file=" + alertmanager);
    }

    @Test
    void prometheusScrapesServicesThatListenOnThosePorts() throws Exception {
        JsonNode config = prometheusConfig();
        Map<String, Integer> listening = new LinkedHashMap<>();
        listening.put("exporter", ExporterSettings.DEFAULT_PORT);
        for (String flink : List.of("jobmanager", "taskmanager")) {
            listening.put(flink, Integer.parseInt(compose.flinkProperties(flink).get("metrics.reporter.prom.port")));
        }
        listening.put("alertmanager", 9093); // Alertmanager's default --web.listen-address
        assertThat(compose.list("alertmanager", "command")).noneMatch(a -> a.startsWith("--web.listen-address"));
        assertThat(compose.ports("alertmanager")).extracting(ComposeFile.Port::containerPort).containsExactly(9093);

        Set<String> targets = new LinkedHashSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            job.path("static_configs").forEach(s -> s.path("targets").forEach(t -> targets.add(t.asText())));
        }
        config.path("alerting").path("alertmanagers")
                .forEach(a -> a.path("static_configs").forEach(s -> s.path("targets").forEach(t -> targets.add(t.asText()))));

        Set<String> expected = new LinkedHashSet<>();
        listening.forEach((service, port) -> expected.add(service + ":" + port));
        assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
        for (String target : targets) {
            compose.service(target.substring(0, target.indexOf(':'))); // fails when no such service
        }
    }

    @Test
    void theFlinkPrometheusReporterIsConfiguredOnJobManagerAndTaskManager() {
        for (String flink : List.of("jobmanager", "taskmanager")) {
            Map<String, String> properties = compose.flinkProperties(flink);
            assertThat(properties).containsEntry("metrics.reporter.prom.factory.class", REPORTER_FACTORY)
                    .containsEntry("metrics.reporter.prom.port", "9249");
            // Flink ships the reporter in plugins/metrics-prometheus/ (not in opt/): asking the entrypoint to
            // link it from opt/ would stop the container with "Plugin ... does not exist"
            assertThat(compose.environment(flink).getOrDefault("ENABLE_BUILT_IN_PLUGINS", ""))
                    .doesNotContain("flink-metrics-prometheus");
        }
    }

    @Test
    void checkpointsGoToOneVolumeSharedByJobManagerAndTaskManager() {
        List<String> volumes = new ArrayList<>();
        for (String flink : List.of("jobmanager", "taskmanager")) {
            compose.volumes(flink).stream().filter(m -> m.target().equals("/pulse/checkpoints"))
                    .forEach(m -> volumes.add(m.source()));
        }
        assertThat(volumes).containsExactly("flink-checkpoints", "flink-checkpoints");
        assertThat(compose.list("job-submitter", "command")).contains("-Dpulse.checkpoint.dir=file:///pulse/checkpoints");
    }

    @Test
    void everyImageHasAPinnedTag() {
        for (String service : compose.serviceNames()) {
            String image = compose.service(service).path("image").asText();
            assertThat(image).as(service + " image").matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+");
            assertThat(image.substring(image.lastIndexOf(':') + 1)).as(service + " image tag").isNotEqualTo("latest");
        }
    }

    @Test
    void everyPublishedPortBindsToTheLoopbackUnlessPulseBindSaysOtherwise() throws Exception {
        for (String service : compose.serviceNames()) {
            for (ComposeFile.Port port : compose.ports(service)) {
                assertThat(port.hostAddress()).as(service + " port " + port.containerPort()).isEqualTo(LOOPBACK);
            }
        }
        Pattern portLine = Pattern.compile("^\\s*-\\s*\"([^\"]+):(\\d+):(\\d+)\"\\s*$");
        int published = 0;
        for (String line : raw.split("\n")) {
            Matcher m = portLine.matcher(line);
            if (m.matches()) {
                published++;
                assertThat(m.group(1)).as(line.trim()).isEqualTo("${PULSE_BIND:-127.0.0.1}");
            }
        }
        int resolved = compose.serviceNames().stream().mapToInt(s -> compose.ports(s).size()).sum();
        assertThat(published).as("ports lines in the short, quoted form").isEqualTo(resolved).isPositive();

        ComposeFile open = ComposeFile.parse(ComposeConfig.run(Map.of("GRAFANA_ADMIN_PASSWORD", ComposeConfig.TEST_PASSWORD,
                "PULSE_BIND", "0.0.0.0")).stdout());
        assertThat(open.ports("grafana")).extracting(ComposeFile.Port::hostAddress).containsExactly("0.0.0.0");
    }

    @Test
    void noPasswordIsWrittenInTheFile() {
        Pattern secret = Pattern.compile("(?i)^\\s*[A-Z0-9_.-]*(PASSWORD|PASSWD|SECRET|TOKEN)[A-Z0-9_.-]*\\s*[:=]\\s*(.*)$");
        for (String line : raw.split("\n")) {
            Matcher m = secret.matcher(line);
            if (m.matches()) {
                assertThat(m.group(2)).as(line.trim()).startsWith("${").doesNotContain(":-");
            }
        }
        assertThat(compose.environment("grafana")).containsEntry("GF_SECURITY_ADMIN_PASSWORD", ComposeConfig.TEST_PASSWORD);
        for (String service : compose.serviceNames()) {
            compose.environment(service).forEach((key, value) -> {
                if (key.toUpperCase().contains("PASSWORD")) {
                    assertThat(value).as(service + " " + key).isEqualTo(ComposeConfig.TEST_PASSWORD);
                }
            });
        }
    }

    /** Parses a Pulse command line with the jar's own picocli tree; returns its -D options. */
    private static Map<String, String> parsePulse(List<String> args, String expectedCommand) {
        ParseResult parsed = PulseCli.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand()).as("a subcommand in " + args).isNotNull();
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(expectedCommand);
        Map<String, String> options = parsed.subcommand().matchedOptionValue("-D", Map.<String, String>of());
        PulseSettings.from(options); // unknown pulse.* keys or bad values fail here
        return options;
    }

    private static int indexOfPair(List<String> list, String first, String second) {
        for (int i = 0; i + 1 < list.size(); i++) {
            if (list.get(i).equals(first) && list.get(i + 1).equals(second)) {
                return i;
            }
        }
        throw new AssertionError("no `" + first + " " + second + "` in " + list);
    }

    private static String mountTarget(String service, String repoPath) {
        String source = root.resolve(repoPath).toString();
        return compose.volumes(service).stream().filter(m -> m.source().equals(source)).map(ComposeFile.Mount::target)
                .findFirst().orElseThrow(() -> new AssertionError(service + " does not mount " + repoPath));
    }

    private static JsonNode prometheusConfig() throws Exception {
        return new YAMLMapper().readTree(root.resolve("prometheus/prometheus-compose.yml").toFile());
    }

    /** {@code <artifactId>-<version>-<shadedClassifierName>.jar}, read from the module's pom. */
    private static String shadedJarName() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root.resolve("flink-jobs/pulse-jobs/pom.xml").toFile());
        Element project = pom.getDocumentElement();
        assertThat(project.getElementsByTagName("finalName").getLength()).as("a finalName would rename the jar").isZero();
        String artifactId = child(project, "artifactId");
        String version = child(project, "version");
        if (version == null) {
            version = child((Element) project.getElementsByTagName("parent").item(0), "version");
        }
        String classifier = pom.getElementsByTagName("shadedClassifierName").item(0).getTextContent().trim();
        return artifactId + "-" + version + "-" + classifier + ".jar";
    }

    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
