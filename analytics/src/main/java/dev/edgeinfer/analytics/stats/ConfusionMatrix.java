package dev.edgeinfer.analytics.stats;

import java.util.Arrays;

/**
 * Counts of (ground truth, predicted class) pairs. The matrix is square and grows to the largest class index seen,
 * so the number of classes is never assumed; two matrices of different sizes merge into the larger size.
 */
public final class ConfusionMatrix {

    private int size;
    private long[] cells;

    /** An empty matrix. */
    public ConfusionMatrix() {
        this(0, new long[0]);
    }

    private ConfusionMatrix(int size, long[] cells) {
        this.size = size;
        this.cells = cells;
    }

    /** A matrix of the given size from row-major cells (row: ground truth, column: predicted). */
    public static ConfusionMatrix of(int size, long[] cells) {
        if (cells.length != size * size) {
            throw new IllegalArgumentException("A " + size + "x" + size + " matrix needs " + size * size + " cells, got " + cells.length);
        }
        return new ConfusionMatrix(size, cells.clone());
    }

    /** Counts one frame of class {@code truth} predicted as {@code predicted}. */
    public void add(int truth, int predicted) {
        add(truth, predicted, 1);
    }

    private void add(int truth, int predicted, long count) {
        if (truth < 0 || predicted < 0) {
            throw new IllegalArgumentException("Class indexes must not be negative: " + truth + ", " + predicted);
        }
        growTo(Math.max(truth, predicted) + 1);
        cells[truth * size + predicted] += count;
    }

    /** Adds every count of {@code other}. */
    public void merge(ConfusionMatrix other) {
        growTo(other.size);
        for (int truth = 0; truth < other.size; truth++) {
            for (int predicted = 0; predicted < other.size; predicted++) {
                long count = other.count(truth, predicted);
                if (count != 0) {
                    cells[truth * size + predicted] += count;
                }
            }
        }
    }

    private void growTo(int newSize) {
        if (newSize <= size) {
            return;
        }
        long[] grown = new long[newSize * newSize];
        for (int row = 0; row < size; row++) {
            System.arraycopy(cells, row * size, grown, row * newSize, size);
        }
        cells = grown;
        size = newSize;
    }

    /** Number of classes covered: one more than the largest class index seen. */
    public int size() {
        return size;
    }

    /** Frames of class {@code truth} predicted as {@code predicted}; 0 outside the matrix. */
    public long count(int truth, int predicted) {
        if (truth < 0 || predicted < 0 || truth >= size || predicted >= size) {
            return 0;
        }
        return cells[truth * size + predicted];
    }

    /** Row-major copy of the cells. */
    public long[] cells() {
        return cells.clone();
    }

    /** Rows as arrays, row index = ground truth. */
    public long[][] rows() {
        long[][] rows = new long[size][];
        for (int row = 0; row < size; row++) {
            rows[row] = Arrays.copyOfRange(cells, row * size, (row + 1) * size);
        }
        return rows;
    }
}
