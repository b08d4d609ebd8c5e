package dev.edgeinfer.demo;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The ground every chart of the report is drawn on: white, antialiased, its title at the top left, written as PNG. */
public final class ChartCanvas {

    /** What a chart draws on the canvas, in a 12-point sans-serif font, below the title. */
    @FunctionalInterface
    public interface Painter {
        void paint(Graphics2D g);
    }

    private ChartCanvas() {
    }

    /**
     * Draws a chart of {@code width} by {@code height} pixels and writes it to {@code file}.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, int width, int height, String title, Painter painter) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 12, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            painter.paint(g);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
