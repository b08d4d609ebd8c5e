package dev.edgeinfer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TLS files of a secure local stack, made fresh at every start: a self-signed key pair for the broker (PKCS12,
 * subject {@value #BROKER_DN}, valid for {@code localhost} and {@code 127.0.0.1}) and a truststore holding its
 * certificate, which clients and the broker itself (towards the controller) use.
 *
 * <p>The key pair comes from the JDK's own {@code keytool}: the Java API cannot issue certificates without
 * internal classes or another library.
 *
 * @param keystore           the broker's key pair
 * @param keystorePassword   password of the keystore and of its key
 * @param truststore         the broker's certificate, trusted
 * @param truststorePassword password of the truststore
 */
public record StackTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    /** Subject of the broker's certificate; also its principal ({@code User:CN=...}) on the controller listener. */
    public static final String BROKER_DN = "CN=edgeinfer-local-broker";
    private static final String ALIAS = "broker";
    private static final String PASSWORD_VARIABLE = "EDGEINFER_KEYSTORE_PASSWORD";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    /**
     * Creates the key pair and the truststore in {@code dir}.
     *
     * @throws LocalStackException if keytool fails or the files cannot be written
     */
    static StackTls create(Path dir) {
        Path keystore = dir.resolve("broker.keystore.p12");
        Path truststore = dir.resolve("truststore.p12");
        String keystorePassword = randomSecret();
        String truststorePassword = randomSecret();
        try {
            Files.createDirectories(dir);
            runKeytool(dir, List.of("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", BROKER_DN, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30",
                    "-keystore", keystore.toString(), "-storetype", "PKCS12",
                    "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE), keystorePassword);
            writeTruststore(keystore, keystorePassword, truststore, truststorePassword);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the local stack's TLS files in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new LocalStackException("Cannot build the local stack's truststore from " + keystore, e);
        }
        return new StackTls(keystore, keystorePassword, truststore, truststorePassword);
    }

    /** 128 random bits as hex: safe inside JAAS, properties files and keytool arguments alike. */
    static String randomSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void writeTruststore(Path keystore, String keystorePassword, Path truststore, String truststorePassword)
            throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, keystorePassword.toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry(ALIAS, keys.getCertificate(ALIAS));
        try (OutputStream out = Files.newOutputStream(truststore)) {
            trusted.store(out, truststorePassword.toCharArray());
        }
    }

    /** Runs keytool with the password in its environment, where other users' process listings cannot see it. */
    private static void runKeytool(Path dir, List<String> arguments, String password) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new LocalStackException(keytool + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LocalStackException("Interrupted while running " + keytool, e);
        }
        if (process.exitValue() != 0) {
            throw new LocalStackException(keytool + " " + arguments.get(0) + " failed with status " + process.exitValue()
                    + ": " + output.strip());
        }
    }
}
