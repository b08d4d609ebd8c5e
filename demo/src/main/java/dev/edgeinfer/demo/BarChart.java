package dev.edgeinfer.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A grouped horizontal bar chart drawn with Java 2D and written as PNG: one group per device type, one bar per series. */
final class BarChart {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
    private static final int WIDTH = 900;
    private static final int BAR = 18;
    private static final int LEFT = 210;
    private static final int RIGHT = 110;

    /** One named series of values, one per row; null where there is no value. */
    record Series(String name, List<Double> values) {
    }

    private BarChart() {
    }

    static void write(Path file, String title, String unit, List<String> rows, List<Series> series) throws IOException {
        int groupHeight = series.size() * BAR + 14;
        int height = 70 + rows.size() * groupHeight + 30;
        ChartCanvas.write(file, WIDTH, height, title, g -> {
            int legendX = 12;
            for (int s = 0; s < series.size(); s++) {
                g.setColor(PALETTE[s % PALETTE.length]);
                g.fillRect(legendX, 36, 12, 12);
                g.setColor(Color.DARK_GRAY);
                g.drawString(series.get(s).name(), legendX + 16, 47);
                legendX += 28 + g.getFontMetrics().stringWidth(series.get(s).name());
            }
            double max = series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null).mapToDouble(Double::doubleValue).max()
                    .orElse(1);
            max = max <= 0 ? 1 : max;
            int plotWidth = WIDTH - LEFT - RIGHT;
            FontMetrics metrics = g.getFontMetrics();
            for (int r = 0; r < rows.size(); r++) {
                int top = 64 + r * groupHeight;
                g.setColor(Color.BLACK);
                g.drawString(rows.get(r), LEFT - 8 - metrics.stringWidth(rows.get(r)), top + groupHeight / 2);
                for (int s = 0; s < series.size(); s++) {
                    Double value = series.get(s).values().get(r);
                    int y = top + s * BAR;
                    if (value == null) {
                        g.setColor(Color.GRAY);
                        g.drawString("n/a", LEFT + 4, y + BAR - 5);
                        continue;
                    }
                    int length = (int) Math.round(plotWidth * value / max);
                    g.setColor(PALETTE[s % PALETTE.length]);
                    g.fillRect(LEFT, y + 2, Math.max(1, length), BAR - 4);
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(format(value, unit), LEFT + length + 6, y + BAR - 5);
                }
            }
            g.setColor(Color.LIGHT_GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawLine(LEFT, 60, LEFT, height - 24);
        });
    }

    private static String format(double value, String unit) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.2f %s", value, unit);
    }
}
