package io.monitml.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import javax.imageio.ImageIO;

/**
 * Draws the pipeline benchmark's results with java.awt (headless): throughput of (a), (b) and (c)
 * against the input size on the left, the heap on the right (live after a full collection, and the peak in use); logarithmic size axis.
 */
final class PipelineChart {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b)};

    private PipelineChart() {
    }

    static void draw(final List<PipelineBenchmark.Row> rows, final Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);

            final Map<String, TreeMap<Double, Double>> throughput = new LinkedHashMap<>();
            final Map<String, TreeMap<Double, Double>> heap = new LinkedHashMap<>();
            for (PipelineBenchmark.Row row : rows) {
                final double x = row.inferences();
                put(throughput, "(a) plain consumer", x, row.plainConsumer().recordsPerSecond());
                put(throughput, "(b) consumer + JSON", x, row.jsonConsumer().recordsPerSecond());
                put(throughput, "(c) MonitML x" + row.instances() + " " + row.guarantee(), x, row.pipeline().recordsPerSecond());
                put(heap, "(c) MonitML x" + row.instances() + " " + row.guarantee() + ": live heap", x, row.liveHeapBytes() / 1048576.0);
                put(heap, "(c) MonitML x" + row.instances() + " " + row.guarantee() + ": peak in use", x,
                    row.pipeline().peakHeapBytes() / 1048576.0);
            }
            panel(g, 0, "Input records per second", throughput, v -> v);
            panel(g, WIDTH / 2, "Heap of the MonitML JVM (MiB; broker in its own JVM)", heap, v -> v);
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void put(final Map<String, TreeMap<Double, Double>> series, final String name, final double x, final double y) {
        series.computeIfAbsent(name, k -> new TreeMap<>()).put(x, y);
    }

    private static void panel(final Graphics2D g, final int left, final String title, final Map<String, TreeMap<Double, Double>> series,
                              final ToDoubleFunction<Double> scale) {
        final int x0 = left + 80;
        final int x1 = left + WIDTH / 2 - 30;
        final int y0 = HEIGHT - 60;
        final int y1 = 50;
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double maxY = 0;
        for (TreeMap<Double, Double> points : series.values()) {
            minX = Math.min(minX, points.firstKey());
            maxX = Math.max(maxX, points.lastKey());
            for (double y : points.values()) {
                maxY = Math.max(maxY, scale.applyAsDouble(y));
            }
        }
        maxY = niceCeiling(maxY * 1.1);
        final double logMin = Math.log10(minX) - 0.2;
        final double logMax = Math.log10(maxX) + 0.2;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, x0, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawLine(x0, y0, x1, y0);
        g.drawLine(x0, y0, x0, y1);
        for (int i = 0; i <= 5; i++) {
            final double v = maxY * i / 5;
            final int y = (int) (y0 - (y0 - y1) * (double) i / 5);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + 1, y, x1, y);
            g.setColor(Color.BLACK);
            final String label = String.format("%,.0f", v);
            g.drawString(label, x0 - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        final List<Double> sizes = new ArrayList<>();
        series.values().forEach(points -> points.keySet().forEach(x -> {
            if (!sizes.contains(x)) {
                sizes.add(x);
            }
        }));
        for (double size : sizes) {
            final int x = xPixel(size, logMin, logMax, x0, x1);
            g.drawLine(x, y0, x, y0 + 4);
            final String label = String.format("%,.0f", size);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, y0 + 18);
        }
        g.drawString("inferences pre-loaded (2 records each; log scale)", x0 + 40, y0 + 40);

        int colour = 0;
        int legendY = y1 + 10;
        for (Map.Entry<String, TreeMap<Double, Double>> entry : series.entrySet()) {
            g.setColor(COLORS[colour++ % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (Map.Entry<Double, Double> point : entry.getValue().entrySet()) {
                final int x = xPixel(point.getKey(), logMin, logMax, x0, x1);
                final int y = (int) (y0 - (y0 - y1) * scale.applyAsDouble(point.getValue()) / maxY);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.setStroke(new BasicStroke(1f));
            g.fillRect(x0 + 12, legendY - 8, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(entry.getKey(), x0 + 28, legendY + 1);
            legendY += 16;
        }
    }

    private static int xPixel(final double value, final double logMin, final double logMax, final int x0, final int x1) {
        return (int) (x0 + (x1 - x0) * (Math.log10(value) - logMin) / (logMax - logMin));
    }

    private static double niceCeiling(final double value) {
        if (value <= 0) {
            return 1;
        }
        final double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
