package dev.edgeinfer.producer.source;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** The CIFAR-10 classes in the order of the data set's label bytes. */
public final class Cifar10Labels {

    /** Name of the label set frames carry in {@code labelSet}. */
    public static final String LABEL_SET = "cifar-10";

    public static final List<String> CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar10Labels() {
    }

    /** The index of a class name (case ignored), or a class index written as a number; empty when neither. */
    public static OptionalInt indexOf(String label) {
        String name = label.trim().toLowerCase(Locale.ROOT);
        int index = CLASSES.indexOf(name);
        if (index >= 0) {
            return OptionalInt.of(index);
        }
        if (name.matches("\\d{1,2}")) {
            int number = Integer.parseInt(name);
            if (number < CLASSES.size()) {
                return OptionalInt.of(number);
            }
        }
        return OptionalInt.empty();
    }
}
