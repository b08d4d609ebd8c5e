package dev.edgeinfer.producer;

import java.util.Random;

/**
 * The order in which a source's images are sent: in index order, or shuffled anew for every pass from one seed, so
 * a shuffled run can be repeated exactly.
 */
final class PassOrder {

    private final int size;
    private final Random random;
    private final int[] order;
    private int position;
    private long pass;

    PassOrder(int size, boolean shuffle, long seed) {
        this.size = size;
        this.random = shuffle ? new Random(seed) : null;
        this.order = new int[size];
        startPass();
    }

    /** Whether the current pass has images left. */
    boolean hasNext() {
        return position < size;
    }

    /** The next index of the current pass. */
    int next() {
        return order[position++];
    }

    /** Starts the next pass over the source. */
    void startPass() {
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (random != null) {
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        position = 0;
        pass++;
    }

    /** Passes started so far, the current one included. */
    long pass() {
        return pass;
    }
}
