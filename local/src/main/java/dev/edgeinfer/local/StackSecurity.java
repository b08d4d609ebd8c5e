package dev.edgeinfer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * Authentication and authorization of a secure local stack: clients connect over TLS and authenticate with
 * SASL/SCRAM-SHA-512 as one of the {@link StackPrincipal}s; the broker authorizes them with KRaft's
 * {@code StandardAuthorizer} against {@link StackAcls}, denying what no ACL allows.
 *
 * <p>The controller listener stays internal: it is never advertised to clients and accepts only TLS clients with
 * the broker's own certificate (mutual TLS), because SCRAM credentials live in the metadata log that the controller
 * serves and so cannot authenticate the controller's own clients.
 *
 * <p>Passwords and the TLS key pair are made fresh at every start; the SCRAM credentials are written into the
 * cluster's bootstrap metadata when its storage is formatted.
 */
public final class StackSecurity {

    /** The SASL mechanism of every client. */
    public static final String SASL_MECHANISM = "SCRAM-SHA-512";
    /** Name (and security protocol) of the client listener. */
    static final String CLIENT_LISTENER = "SASL_SSL";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private final StackTls tls;
    private final Map<StackPrincipal, String> passwords;

    private StackSecurity(StackTls tls, Map<StackPrincipal, String> passwords) {
        this.tls = tls;
        this.passwords = passwords;
    }

    /**
     * Makes the TLS files in {@code dir} and a fresh password for every principal.
     *
     * @throws LocalStackException if the TLS files cannot be made
     */
    static StackSecurity create(Path dir) {
        Map<StackPrincipal, String> passwords = new EnumMap<>(StackPrincipal.class);
        for (StackPrincipal principal : StackPrincipal.values()) {
            passwords.put(principal, StackTls.randomSecret());
        }
        return new StackSecurity(StackTls.create(dir), passwords);
    }

    /** The TLS files (the truststore is what clients need). */
    public StackTls tls() {
        return tls;
    }

    /** The password of a principal. */
    public String password(StackPrincipal principal) {
        return passwords.get(principal);
    }

    /** Listener settings of a node, replacing the plaintext ones: clients on SASL_SSL, the controller on mutual TLS. */
    Map<String, String> listenerSettings(String host, int port, int controllerPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listeners", CLIENT_LISTENER + "://" + host + ":" + port
                + (controllerPort != 0 ? ",CONTROLLER://" + host + ":" + controllerPort : ""));
        settings.put("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + port);
        settings.put("inter.broker.listener.name", CLIENT_LISTENER);
        settings.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL,CONTROLLER:SSL");
        return settings;
    }

    /** Broker settings for TLS, SCRAM and the authorizer, the same on every node. */
    Map<String, String> brokerSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sasl.enabled.mechanisms", SASL_MECHANISM);
        settings.put("sasl.mechanism.inter.broker.protocol", SASL_MECHANISM);
        // Brokers talk to each other as the super user.
        settings.put("listener.name." + CLIENT_LISTENER.toLowerCase(Locale.ROOT) + "."
                + SASL_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", jaas(StackPrincipal.ADMIN));
        settings.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        settings.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.keystore().toAbsolutePath().toString());
        settings.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.keystorePassword());
        settings.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, tls.keystorePassword());
        settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toAbsolutePath().toString());
        settings.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.truststorePassword());
        // Only holders of the broker's key reach the controller.
        settings.put("listener.name.controller.ssl.client.auth", "required");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", StackPrincipal.ADMIN.kafkaPrincipal() + ";User:" + StackTls.BROKER_DN);
        settings.put("allow.everyone.if.no.acl.found", "false");
        return settings;
    }

    /** {@code kafka-storage format} arguments that put every principal's SCRAM credential into the bootstrap metadata. */
    List<String> formatArguments() {
        List<String> arguments = new ArrayList<>();
        for (StackPrincipal principal : StackPrincipal.values()) {
            arguments.add("--add-scram");
            arguments.add(SASL_MECHANISM + "=[name=" + principal.userName() + ",password=" + password(principal) + "]");
        }
        return arguments;
    }

    /**
     * The client settings of a principal: security protocol, SASL mechanism and login, truststore. Add
     * {@code bootstrap.servers} and the client's own settings.
     */
    public Map<String, Object> clientSettings(StackPrincipal principal) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        settings.put(SaslConfigs.SASL_MECHANISM, SASL_MECHANISM);
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(principal));
        settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toAbsolutePath().toString());
        settings.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.truststorePassword());
        return settings;
    }

    private String jaas(StackPrincipal principal) {
        return SCRAM_LOGIN + " required username=\"" + principal.userName() + "\" password=\"" + password(principal) + "\";";
    }

    /**
     * Writes {@code settings} as a {@code .properties} file readable by the apps ({@code --config}) and Kafka's
     * tools, readable by the owner only where the file system allows.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    static Path writeProperties(Path file, String comment, Map<String, Object> settings) {
        String content = settings.entrySet().stream()
                // Backslashes are escapes in .properties files; nothing else in these values is.
                .map(e -> e.getKey() + "=" + String.valueOf(e.getValue()).replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "# " + comment + "\n", "\n"));
        try {
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the client settings to " + file, e);
        }
        return file;
    }
}
