package dev.edgeinfer.schemas.analytics;

import java.util.Comparator;
import java.util.List;

/**
 * Agreement between device types on the same frames: every pair seen, and every type against the reference.
 *
 * @param referenceDeviceType the reference, {@code analytics.reference.device.type}
 * @param view                the view's name
 * @param deviceTypes         every device type in a pair, sorted: the rows and columns of the matrix
 * @param pairs               every pair seen, sorted by names
 * @param againstReference    the pairs with the reference, one per other device type: the live price of quantization
 */
public record AgreementReport(String referenceDeviceType, String view, List<String> deviceTypes,
                              List<PairAgreement> pairs, List<ReferenceAgreement> againstReference) {

    /**
     * One device type against the reference.
     *
     * @param deviceType   the device type compared with the reference
     * @param windowStart  window start
     * @param windowEnd    window end, exclusive
     * @param compared     frames classified by both
     * @param differing    frames whose top-1 differed from the reference's
     * @param disagreement differing / compared, null when nothing was compared
     */
    public record ReferenceAgreement(String deviceType, long windowStart, long windowEnd, long compared, long differing,
                                     Double disagreement) {
    }

    /** The report for {@code pairs}, which may come from several instances. */
    public static AgreementReport of(String referenceDeviceType, String view, List<PairAgreement> pairs) {
        List<PairAgreement> sorted = pairs.stream()
                .sorted(Comparator.comparing(PairAgreement::firstType).thenComparing(PairAgreement::secondType))
                .toList();
        List<String> types = sorted.stream().flatMap(p -> java.util.stream.Stream.of(p.firstType(), p.secondType()))
                .distinct().sorted().toList();
        List<ReferenceAgreement> vsReference = sorted.stream().filter(p -> p.involves(referenceDeviceType))
                .map(p -> new ReferenceAgreement(p.other(referenceDeviceType), p.windowStart(), p.windowEnd(),
                        p.compared(), p.differing(), p.disagreement()))
                .sorted(Comparator.comparing(ReferenceAgreement::deviceType))
                .toList();
        return new AgreementReport(referenceDeviceType, view, types, sorted, vsReference);
    }
}
