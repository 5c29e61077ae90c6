package dev.pulse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output of {@code docker-compose config} read with Jackson: anchors resolved, variables filled in, paths
 * absolute, so the checks see what compose would run rather than how the file spells it.
 */
final class ComposeFile {
    private final JsonNode root;

    private ComposeFile(JsonNode root) {
        this.root = root;
    }

    static ComposeFile parse(String resolvedYaml) throws IOException {
        return new ComposeFile(new YAMLMapper().readTree(resolvedYaml));
    }

    List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service " + name + "; it has " + serviceNames());
        }
        return service;
    }

    /** {@code command} or {@code entrypoint} as a list (compose keeps a string form as one string). */
    List<String> list(String service, String field) {
        JsonNode node = service(service).path(field);
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }

    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        service(service).path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** The {@code key: value} lines of a service's FLINK_PROPERTIES, as the image's entrypoint reads them. */
    Map<String, String> flinkProperties(String service) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : environment(service).getOrDefault("FLINK_PROPERTIES", "").split("\n")) {
            int colon = line.indexOf(':');
            if (!line.isBlank() && colon > 0) {
                properties.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return properties;
    }

    /** Each volume as source, target (bind mounts have an absolute source, named volumes their name). */
    List<Mount> volumes(String service) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode v : service(service).path("volumes")) {
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                mounts.add(new Mount(parts[0], parts[1]));
            } else {
                mounts.add(new Mount(v.path("source").asText(), v.path("target").asText()));
            }
        }
        return mounts;
    }

    /** Each published port as host address, host port, container port (short or long syntax). */
    List<Port> ports(String service) {
        List<Port> ports = new ArrayList<>();
        for (JsonNode p : service(service).path("ports")) {
            if (p.isTextual()) {
                String spec = p.asText().replaceFirst("/tcp$", "");
                int last = spec.lastIndexOf(':');
                int hostPort = spec.lastIndexOf(':', last - 1);
                String address = hostPort < 0 ? "" : spec.substring(0, hostPort);
                ports.add(new Port(address, spec.substring(hostPort + 1, last), Integer.parseInt(spec.substring(last + 1))));
            } else {
                ports.add(new Port(p.path("host_ip").asText(""), p.path("published").asText(""), p.path("target").asInt()));
            }
        }
        return ports;
    }

    record Mount(String source, String target) {}

    record Port(String hostAddress, String hostPort, int containerPort) {}
}
