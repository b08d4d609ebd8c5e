package dev.edgeinfer.schemas.analytics;

/**
 * How often two device types disagreed on the frames both classified, over the latest or a given window.
 *
 * @param firstType    device type whose name sorts first
 * @param secondType   the other device type
 * @param windowStart  window start, epoch milliseconds
 * @param windowEnd    window end, epoch milliseconds, exclusive
 * @param compared     frames classified by both
 * @param differing    frames whose top-1 class differed
 * @param disagreement differing / compared, null when nothing was compared
 */
public record PairAgreement(String firstType, String secondType, long windowStart, long windowEnd,
                            long compared, long differing, Double disagreement) {

    /** Whether this pair involves {@code deviceType}. */
    public boolean involves(String deviceType) {
        return firstType.equals(deviceType) || secondType.equals(deviceType);
    }

    /** The device type of the pair that is not {@code deviceType}. */
    public String other(String deviceType) {
        return firstType.equals(deviceType) ? secondType : firstType;
    }
}
