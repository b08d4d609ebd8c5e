package dev.edgeinfer.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * Registry connection settings read from the same keys Confluent's clients use, so an existing client
 * {@code .properties} file works unchanged.
 *
 * @param urls                 registry base URLs, tried in order
 * @param authorizationHeader  value of the {@code Authorization} header, if any
 * @param sslContext           TLS context built from the {@code schema.registry.ssl.*} keys, if any
 * @param connectTimeout       connect timeout
 * @param requestTimeout       timeout of a whole request
 */
public record RegistryClientConfig(List<URI> urls, Optional<String> authorizationHeader, Optional<SSLContext> sslContext,
                                   Duration connectTimeout, Duration requestTimeout) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String SSL_PREFIX = "schema.registry.ssl.";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";

    /** Prefix of URLs served by the in-memory registry, for unit tests only (as Confluent's {@code mock://}). */
    public static final String MOCK_SCHEME = "mock";

    public RegistryClientConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new ConfigException(URL, "", "at least one schema registry URL is required");
        }
    }

    /** Reads the settings from client configs (values may be strings or already typed). */
    public static RegistryClientConfig from(Map<String, ?> configs) {
        String urlList = string(configs, URL)
                .orElseThrow(() -> new ConfigException(URL, null, "missing: the schema registry URL is required"));
        List<URI> urls = new ArrayList<>();
        Optional<String> userInfoFromUrl = Optional.empty();
        for (String raw : urlList.split(",")) {
            String trimmed = raw.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            if (uri.getRawUserInfo() != null) {
                userInfoFromUrl = Optional.of(URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8));
                uri = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                        + (uri.getRawPath() == null ? "" : uri.getRawPath()));
            }
            urls.add(uri);
        }
        return new RegistryClientConfig(urls, authorization(configs, userInfoFromUrl), sslContext(configs),
                Duration.ofMillis(longValue(configs, CONNECT_TIMEOUT_MS, 10_000)),
                Duration.ofMillis(longValue(configs, READ_TIMEOUT_MS, 30_000)));
    }

    /** Whether the first URL names the in-memory registry. */
    public boolean isMock() {
        return MOCK_SCHEME.equals(urls.get(0).getScheme());
    }

    private static Optional<String> authorization(Map<String, ?> configs, Optional<String> userInfoFromUrl) {
        Optional<String> bearerSource = string(configs, BEARER_AUTH_SOURCE);
        Optional<String> token = string(configs, BEARER_AUTH_TOKEN);
        if (bearerSource.isPresent() || token.isPresent()) {
            String source = bearerSource.orElse("STATIC_TOKEN").toUpperCase(Locale.ROOT);
            if (!source.equals("STATIC_TOKEN")) {
                throw new ConfigException(BEARER_AUTH_SOURCE, source, "only STATIC_TOKEN is supported");
            }
            return Optional.of("Bearer " + token.orElseThrow(
                    () -> new ConfigException(BEARER_AUTH_TOKEN, null, "missing while " + BEARER_AUTH_SOURCE + "=STATIC_TOKEN")));
        }
        Optional<String> basicSource = string(configs, BASIC_AUTH_SOURCE);
        if (basicSource.isEmpty()) {
            return userInfoFromUrl.map(RegistryClientConfig::basic);
        }
        switch (basicSource.get().toUpperCase(Locale.ROOT)) {
            case "USER_INFO":
                return Optional.of(basic(string(configs, BASIC_AUTH_USER_INFO).orElseThrow(
                        () -> new ConfigException(BASIC_AUTH_USER_INFO, null, "missing while " + BASIC_AUTH_SOURCE + "=USER_INFO"))));
            case "URL":
                return Optional.of(basic(userInfoFromUrl.orElseThrow(
                        () -> new ConfigException(URL, null, "carries no user info while " + BASIC_AUTH_SOURCE + "=URL"))));
            default:
                throw new ConfigException(BASIC_AUTH_SOURCE, basicSource.get(), "supported: USER_INFO, URL");
        }
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<SSLContext> sslContext(Map<String, ?> configs) {
        Optional<String> trustStore = string(configs, SSL_PREFIX + "truststore.location");
        Optional<String> keyStore = string(configs, SSL_PREFIX + "keystore.location");
        if (trustStore.isEmpty() && keyStore.isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory tmf = null;
            if (trustStore.isPresent()) {
                KeyStore store = load(trustStore.get(), string(configs, SSL_PREFIX + "truststore.type").orElse("JKS"),
                        string(configs, SSL_PREFIX + "truststore.password").orElse(null));
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
            }
            KeyManagerFactory kmf = null;
            if (keyStore.isPresent()) {
                String storePassword = string(configs, SSL_PREFIX + "keystore.password").orElse(null);
                KeyStore store = load(keyStore.get(), string(configs, SSL_PREFIX + "keystore.type").orElse("JKS"), storePassword);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = string(configs, SSL_PREFIX + "key.password").orElse(storePassword);
                kmf.init(store, keyPassword == null ? null : keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance(string(configs, SSL_PREFIX + "protocol").orElse("TLS"));
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return Optional.of(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("Cannot build the schema registry TLS context from " + SSL_PREFIX + "*: " + e.getMessage());
        }
    }

    private static KeyStore load(String location, String type, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }

    static Optional<String> string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = value instanceof org.apache.kafka.common.config.types.Password password ? password.value() : value.toString();
        return text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }

    private static long longValue(Map<String, ?> configs, String key, long fallback) {
        Optional<String> text = string(configs, key);
        try {
            return text.map(Long::parseLong).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text.get(), "not a number of milliseconds");
        }
    }
}
