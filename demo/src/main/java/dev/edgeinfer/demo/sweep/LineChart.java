package dev.edgeinfer.demo.sweep;

import dev.edgeinfer.demo.ChartCanvas;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Stroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A line chart drawn with Java 2D and written as PNG: categories along x (the loads, evenly spaced), a logarithmic y
 * axis (latencies span milliseconds at low load to seconds past the knee), one line per series, dashed where asked.
 */
final class LineChart {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b)};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 110;

    /** One line: a value per category, null where there is none; lines of one color index share a color. */
    record Series(String name, int color, boolean dashed, List<Double> values) {
    }

    private LineChart() {
    }

    static void write(Path file, String title, String xLabel, String unit, List<String> categories, List<Series> series)
            throws IOException {
        ChartCanvas.write(file, WIDTH, HEIGHT, title, g -> {
            FontMetrics metrics = g.getFontMetrics();
            double min = series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null && v > 0)
                    .mapToDouble(Double::doubleValue).min().orElse(1);
            double max = series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null && v > 0)
                    .mapToDouble(Double::doubleValue).max().orElse(10);
            double low = Math.pow(10, Math.floor(Math.log10(min)));
            double high = Math.pow(10, Math.ceil(Math.log10(Math.max(max, low * 10))));
            int plotWidth = WIDTH - LEFT - RIGHT;
            int plotHeight = HEIGHT - TOP - BOTTOM;
            // Decades on the y axis.
            for (double tick = low; tick <= high * 1.0001; tick *= 10) {
                int y = y(tick, low, high, plotHeight);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(LEFT, y, LEFT + plotWidth, y);
                g.setColor(Color.DARK_GRAY);
                String label = format(tick) + " " + unit;
                g.drawString(label, LEFT - 6 - metrics.stringWidth(label), y + 4);
            }
            int step = categories.size() > 1 ? plotWidth / (categories.size() - 1) : 0;
            for (int c = 0; c < categories.size(); c++) {
                int x = LEFT + (categories.size() > 1 ? c * step : plotWidth / 2);
                g.setColor(new Color(0xf0f0f0));
                g.drawLine(x, TOP, x, TOP + plotHeight);
                g.setColor(Color.DARK_GRAY);
                g.drawString(categories.get(c), x - metrics.stringWidth(categories.get(c)) / 2, TOP + plotHeight + 16);
            }
            g.drawString(xLabel, LEFT + plotWidth / 2 - metrics.stringWidth(xLabel) / 2, TOP + plotHeight + 34);
            Stroke solid = new BasicStroke(2);
            Stroke dashed = new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0);
            int legendX = 12;
            int legendY = HEIGHT - BOTTOM + 56;
            for (Series line : series) {
                Color color = PALETTE[line.color() % PALETTE.length];
                g.setColor(color);
                g.setStroke(line.dashed() ? dashed : solid);
                Integer lastX = null;
                Integer lastY = null;
                for (int c = 0; c < line.values().size(); c++) {
                    Double value = line.values().get(c);
                    if (value == null || value <= 0) {
                        lastX = null;
                        continue;
                    }
                    int x = LEFT + (categories.size() > 1 ? c * step : plotWidth / 2);
                    int y = y(value, low, high, plotHeight);
                    g.fillOval(x - 3, y - 3, 7, 7);
                    if (lastX != null) {
                        g.drawLine(lastX, lastY, x, y);
                    }
                    lastX = x;
                    lastY = y;
                }
                int width = 40 + metrics.stringWidth(line.name());
                if (legendX + width > WIDTH - 12) {
                    legendX = 12;
                    legendY += 18;
                }
                g.drawLine(legendX, legendY - 4, legendX + 24, legendY - 4);
                g.setStroke(solid);
                g.setColor(Color.DARK_GRAY);
                g.drawString(line.name(), legendX + 30, legendY);
                legendX += width + 12;
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        });
    }

    private static int y(double value, double low, double high, int plotHeight) {
        double share = (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
        return TOP + plotHeight - (int) Math.round(share * plotHeight);
    }

    private static String format(double value) {
        return value >= 1 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%s", value);
    }
}
