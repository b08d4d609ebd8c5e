package dev.edgeinfer.it.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's deployment files as the tests read them: the compose file, the env files it names and the
 * Dockerfiles of the three images. Read from the working tree, so the tests check the files that ship.
 */
final class DeploymentFiles {

    /** The three images and the module each packages; the image's name is the module's. */
    static final List<String> APPS = List.of("producer", "edge-consumer", "analytics");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$");
    private static final Pattern ENV_LINE = Pattern.compile("(EDGEINFER_[A-Z0-9_]+|CPU_SCHEDULING)=(\"[^\"]*\"|\\S+)");

    private final Path root;

    private DeploymentFiles(Path root) {
        this.root = root;
    }

    /** The repository holding this test module: the first folder up from the working directory with docker/compose.yaml. */
    static DeploymentFiles find() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("docker/compose.yaml"))) {
                return new DeploymentFiles(folder);
            }
        }
        throw new IllegalStateException("No docker/compose.yaml above " + Path.of("").toAbsolutePath());
    }

    Path root() {
        return root;
    }

    Path composeFile() {
        return root.resolve("docker/compose.yaml");
    }

    Path dockerfile(String app) {
        return root.resolve("docker/" + app + ".Dockerfile");
    }

    JsonNode compose() {
        try {
            return YAML.readTree(composeFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + composeFile(), e);
        }
    }

    String dockerfileText(String app) {
        return read(dockerfile(app));
    }

    String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** A property of the parent pom, where every version of the build is pinned. */
    String pomProperty(String name) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(read(root.resolve("pom.xml")));
        if (!matcher.find()) {
            throw new IllegalStateException("No <" + name + "> in " + root.resolve("pom.xml"));
        }
        return matcher.group(1);
    }

    /** The image's ENTRYPOINT, exec form: {@code [/app/bin/entrypoint, <main class>]}. */
    List<String> entrypoint(String app) {
        Matcher matcher = ENTRYPOINT.matcher(dockerfileText(app));
        if (!matcher.find()) {
            throw new IllegalStateException(dockerfile(app) + " has no ENTRYPOINT in exec form");
        }
        try {
            List<String> command = new ArrayList<>();
            JSON.readTree(matcher.group(1)).forEach(item -> command.add(item.asText()));
            return command;
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable ENTRYPOINT in " + dockerfile(app), e);
        }
    }

    /**
     * The variables of the entry point the image's runtime stage sets with ENV: EDGEINFER_* (they become options at every
     * start) and CPU_SCHEDULING.
     */
    Map<String, String> imageEnvironment(String app) {
        String text = dockerfileText(app);
        String runtimeStage = text.substring(text.lastIndexOf("\nFROM "));
        Map<String, String> environment = new LinkedHashMap<>();
        for (String instruction : runtimeStage.replace("\\\n", " ").split("\n")) {
            if (instruction.startsWith("ENV ")) {
                Matcher matcher = ENV_LINE.matcher(instruction);
                while (matcher.find()) {
                    environment.put(matcher.group(1), matcher.group(2).replace("\"", ""));
                }
            }
        }
        return environment;
    }

    /** The app an edgeinfer image of the compose file runs, from its image name, or null for other images. */
    static String appOfImage(String image) {
        for (String app : APPS) {
            if (image.matches(".*edgeinfer/}?" + Pattern.quote(app) + ":.*")) {
                return app;
            }
        }
        return null;
    }

    /**
     * The environment a compose service's container gets from the compose file: its env files, then its
     * {@code environment} map, with {@code ${VAR:-default}} taken at its default.
     */
    Map<String, String> serviceEnvironment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode envFile : service.path("env_file")) {
            for (String line : read(root.resolve("docker").resolve(envFile.asText())).split("\n")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    int equals = trimmed.indexOf('=');
                    environment.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
                }
            }
        }
        service.path("environment").fields()
                .forEachRemaining(entry -> environment.put(entry.getKey(), withDefaults(entry.getValue().asText())));
        return environment;
    }

    private static String withDefaults(String value) {
        return value.replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1");
    }
}
