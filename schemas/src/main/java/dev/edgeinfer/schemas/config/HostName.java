package dev.edgeinfer.schemas.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rule every app follows for this machine's name, where it stands in for an id not given (a device's, a
 * producer's) and in heartbeats: the name the resolver gives, else the {@code HOSTNAME} variable (set in containers),
 * in lower case.
 */
public final class HostName {

    private HostName() {
    }

    /** This machine's name, if it has one. */
    public static Optional<String> find() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = System.getenv("HOSTNAME");
        }
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * This machine's name, for an id the user did not give.
     *
     * @param option the option that gives the id, named in the error
     * @throws IllegalArgumentException when the machine has no name
     */
    public static String forDefault(String option) {
        return find().orElseThrow(() -> new IllegalArgumentException(
                "Cannot find this host's name for a default id (neither the resolver nor HOSTNAME gives one); pass " + option));
    }
}
