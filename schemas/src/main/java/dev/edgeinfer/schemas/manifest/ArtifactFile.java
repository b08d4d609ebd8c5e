package dev.edgeinfer.schemas.manifest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of an artifact, as the model pipeline wrote it.
 *
 * @param path   relative to the models folder
 * @param sha256 lower-case hex
 * @param bytes  file size; {@code null} only in a manifest that fails validation
 */
public record ArtifactFile(String path, String sha256, Long bytes) {

    /**
     * Resolves the file and checks it against its recorded size, then its sha256.
     *
     * @param modelsDir  the folder the path is relative to
     * @param artifactId the artifact it belongs to, for the message
     * @return the file
     * @throws ManifestException if the file is missing or unreadable, or its size or sha256 differs
     */
    Path verified(Path modelsDir, String artifactId) throws ManifestException {
        Path file = modelsDir.resolve(path).normalize();
        if (!Files.isRegularFile(file)) {
            throw new ManifestException("Artifact " + artifactId + ": file " + file + " is missing");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ManifestException("Artifact " + artifactId + ": cannot read the size of " + file + ": "
                    + e.getMessage(), e);
        }
        // The size first: it costs no read, and a truncated or replaced file usually differs in it.
        if (size != bytes) {
            throw new ManifestException("Artifact " + artifactId + ": " + file + " is " + size
                    + " bytes but the manifest says " + bytes + "; refusing to load a model that is not the one "
                    + "described");
        }
        String actual = sha256Of(file);
        if (!actual.equals(sha256)) {
            throw new ManifestException("Artifact " + artifactId + ": sha256 of " + file + " is " + actual
                    + " but the manifest says " + sha256 + "; refusing to load a model that is not the one described");
        }
        return file;
    }

    /**
     * @param file any file
     * @return its sha256, lower-case hex
     * @throws ManifestException if it cannot be read
     */
    public static String sha256Of(Path file) throws ManifestException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ManifestException("Cannot hash " + file + ": " + e.getMessage(), e);
        }
    }
}
