package dev.edgeinfer.analytics.agreement;

import java.util.Objects;

/**
 * The top-1 classes of one frame by two device types compared: the pair is ordered by name so each pair has one key.
 *
 * @param firstType  the device type whose name sorts first
 * @param secondType the other device type
 * @param differs    whether their top-1 classes differ
 */
public record AgreementVote(String firstType, String secondType, boolean differs) {

    /** Separates the two names in a pair key; a control character no device type name contains. */
    static final char PAIR_SEPARATOR = '\u001F';

    public AgreementVote {
        Objects.requireNonNull(firstType, "firstType");
        Objects.requireNonNull(secondType, "secondType");
        if (firstType.compareTo(secondType) >= 0) {
            throw new IllegalArgumentException("Pair must be ordered and distinct: " + firstType + ", " + secondType);
        }
    }

    /** The vote for two device types given in any order. */
    public static AgreementVote of(String typeA, int classA, String typeB, int classB) {
        boolean differs = classA != classB;
        return typeA.compareTo(typeB) < 0 ? new AgreementVote(typeA, typeB, differs) : new AgreementVote(typeB, typeA, differs);
    }

    /** The key the pair's counts are aggregated under. */
    public String pairKey() {
        return pairKey(firstType, secondType);
    }

    /** The key of a pair, in any order. */
    public static String pairKey(String typeA, String typeB) {
        return typeA.compareTo(typeB) < 0 ? typeA + PAIR_SEPARATOR + typeB : typeB + PAIR_SEPARATOR + typeA;
    }
}
