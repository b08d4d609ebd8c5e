package dev.edgeinfer.analytics.query;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.serde.AnalyticsSerdes;
import dev.edgeinfer.analytics.serde.CompactSerde;
import dev.edgeinfer.analytics.stats.SliceStats;
import java.util.function.BinaryOperator;

/**
 * A kind of slice: how its parts merge and how it travels between instances.
 *
 * @param serde  its bytes
 * @param merger adds the second part into the first and returns it
 * @param <V>    the slice type
 */
public record SliceKind<V>(CompactSerde<V> serde, BinaryOperator<V> merger) {

    /** Statistics of a device type, device or precision. */
    public static final SliceKind<SliceStats> STATS = new SliceKind<>(AnalyticsSerdes.sliceStats(), SliceStats::merge);
    /** Agreement counts of a pair of device types. */
    public static final SliceKind<AgreementCounts> AGREEMENT = new SliceKind<>(AnalyticsSerdes.agreementCounts(), AgreementCounts::merge);
}
