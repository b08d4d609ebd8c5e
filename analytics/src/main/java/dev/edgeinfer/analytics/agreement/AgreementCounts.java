package dev.edgeinfer.analytics.agreement;

/**
 * How often two device types classified the same frames, and how often their top-1 differed, in one time slice.
 * Mutable, for use as a Kafka Streams aggregate.
 */
public final class AgreementCounts {

    private String firstType;
    private String secondType;
    private long compared;
    private long differing;

    /** Empty counts; the pair is set by the first vote. */
    public AgreementCounts() {
        this("", "", 0, 0);
    }

    public AgreementCounts(String firstType, String secondType, long compared, long differing) {
        this.firstType = firstType;
        this.secondType = secondType;
        this.compared = compared;
        this.differing = differing;
    }

    /** Counts one vote; returns this. */
    public AgreementCounts add(AgreementVote vote) {
        firstType = vote.firstType();
        secondType = vote.secondType();
        compared++;
        if (vote.differs()) {
            differing++;
        }
        return this;
    }

    /** Adds the counts of another slice of the same pair; returns this. */
    public AgreementCounts merge(AgreementCounts other) {
        if (firstType.isEmpty()) {
            firstType = other.firstType;
            secondType = other.secondType;
        }
        compared += other.compared;
        differing += other.differing;
        return this;
    }

    public String firstType() {
        return firstType;
    }

    public String secondType() {
        return secondType;
    }

    /** Frames classified by both types. */
    public long compared() {
        return compared;
    }

    /** Frames whose top-1 differed between the two types. */
    public long differing() {
        return differing;
    }
}
