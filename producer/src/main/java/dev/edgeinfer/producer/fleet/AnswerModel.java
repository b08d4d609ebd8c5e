package dev.edgeinfer.producer.fleet;

import java.util.Locale;

/**
 * How one device type's answer follows the reference type's so that both its accuracy and its disagreement with the
 * reference come out as configured.
 *
 * <p>With the reference right on a share {@code a} of frames, a type of accuracy {@code b} that disagrees on a share
 * {@code d} splits that disagreement three ways: frames the reference gets right and the type wrong ({@code x}), the
 * reverse ({@code y}), and frames both get wrong with different classes ({@code z}). Then {@code b = a - x + y} and
 * {@code d = x + y + z}. A third of the disagreement that the accuracy gap does not force goes to {@code z} (as much
 * as fits), the rest to {@code x} and {@code y} alike. So {@code d} must be at least {@code |b - a|}, and at most
 * {@code (1 - a) + (1 - b)}, where the two types' errors never coincide (and at most 1). When the reference is
 * right on fewer frames than {@code x} would need, more goes to {@code z}.
 */
final class AnswerModel {

    /** Share of the disagreement the accuracy gap does not force that goes to frames both types get wrong. */
    private static final double BOTH_WRONG_SHARE = 1.0 / 3;
    private static final double EPSILON = 1e-9;

    private final double wrongWhereReferenceRight;
    private final double rightWhereReferenceWrong;
    private final double otherWhereReferenceWrong;

    private AnswerModel(double wrongWhereReferenceRight, double rightWhereReferenceWrong, double otherWhereReferenceWrong) {
        this.wrongWhereReferenceRight = wrongWhereReferenceRight;
        this.rightWhereReferenceWrong = rightWhereReferenceWrong;
        this.otherWhereReferenceWrong = otherWhereReferenceWrong;
    }

    /**
     * The model of {@code profile} against a reference of accuracy {@code referenceAccuracy}.
     *
     * @throws IllegalArgumentException if no answers can give both the type's accuracy and its disagreement; the
     *                                  message names the type and the bounds
     */
    static AnswerModel of(TypeProfile profile, String reference, double referenceAccuracy) {
        double a = referenceAccuracy;
        double gap = profile.accuracy() - a;
        double d = profile.disagreement();
        if (d + EPSILON < Math.abs(gap)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "device type %s: with accuracy %.4f against "
                    + "%.4f of the reference %s it disagrees with the reference on at least %.4f of frames, "
                    + "but its disagreement is %.4f", profile.name(), profile.accuracy(), a, reference, Math.abs(gap), d));
        }
        double mostBothWrong = 2 * (1 - a) - d - gap;
        if (mostBothWrong < -EPSILON) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "device type %s: with accuracy %.4f against "
                    + "%.4f of the reference %s it can disagree with the reference on at most %.4f of frames (where their "
                    + "errors never coincide), but its disagreement is %.4f",
                    profile.name(), profile.accuracy(), a, reference, (1 - a) + (1 - profile.accuracy()), d));
        }
        // x <= a (the reference is right on only a) bounds z from below; y + z <= 1 - a and x, y >= 0 from above.
        double least = Math.max(0, d - gap - 2 * a);
        double most = Math.min(d - Math.abs(gap), mostBothWrong);
        double z = Math.max(least, Math.min((d - Math.abs(gap)) * BOTH_WRONG_SHARE, most));
        double y = Math.max(0, (d - z + gap) / 2);
        double x = Math.max(0, (d - z - gap) / 2);
        return new AnswerModel(a > 0 ? Math.min(1, x / a) : 0, a < 1 ? Math.min(1, y / (1 - a)) : 0,
                a < 1 ? Math.min(1, z / (1 - a)) : 0);
    }

    /**
     * This type's top-1 class for a frame.
     *
     * @param truth     the frame's true class
     * @param reference the reference type's top-1 class
     * @param uniform   a uniform draw in [0, 1)
     * @param confusion picks a wrong class when one is needed
     */
    int answer(int truth, int reference, double uniform, WrongClassPicker confusion) {
        if (reference == truth) {
            return uniform < wrongWhereReferenceRight ? confusion.pick(truth, -1) : truth;
        }
        if (uniform < rightWhereReferenceWrong) {
            return truth;
        }
        if (uniform < rightWhereReferenceWrong + otherWhereReferenceWrong) {
            return confusion.pick(truth, reference);
        }
        return reference;
    }

    /** Chooses a wrong class for a frame of a true class, other than an excluded one (-1 for none). */
    @FunctionalInterface
    interface WrongClassPicker {
        int pick(int truth, int excluded);
    }
}
