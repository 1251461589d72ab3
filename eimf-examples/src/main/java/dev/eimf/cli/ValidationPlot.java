package dev.eimf.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import dev.eimf.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A line chart of validation metrics against training steps, drawn with Java2D and written as PNG: axes
 * with ticks, one line per run with its points, a legend, a title, and an optional vertical marker (where
 * ESIM ran). Needs no display.
 */
final class ValidationPlot {
    static final int WIDTH = 900;
    static final int HEIGHT = 560;
    private static final Color[] PALETTE = {new Color(0x55, 0x55, 0x55), new Color(0xD6, 0x27, 0x28),
        new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C), new Color(0x94, 0x67, 0xBD)};

    private ValidationPlot() {}

    /**
     * One line of the chart.
     *
     * @param name   legend text
     * @param steps  x values, increasing
     * @param values y values
     */
    record Series(String name, long[] steps, double[] values) {
        Series {
            if (steps.length != values.length) {
                throw new IllegalArgumentException(name + ": " + steps.length + " steps but " + values.length + " values");
            }
        }
    }

    /**
     * Draws and writes the chart.
     *
     * @param file        the PNG file (its directory is created)
     * @param title       chart title
     * @param yLabel      y-axis label
     * @param series      the lines (at least one point in all)
     * @param markerStep  x of a dashed vertical marker, or a negative number for none
     * @param markerLabel its label
     */
    static void write(Path file, String title, String yLabel, List<Series> series, long markerStep, String markerLabel)
            throws IOException {
        // Headless: a server or CI has no display, and Java2D needs none to draw into an image.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        BufferedImage img = render(title, yLabel, series, markerStep, markerLabel);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        // A fresh temporary file, synced and renamed (see AtomicFiles): never a fixed name that a link could divert.
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer in this JVM");
        });
    }

    static BufferedImage render(String title, String yLabel, List<Series> series, long markerStep, String markerLabel) {
        long xMax = 1;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.steps().length; i++) {
                xMax = Math.max(xMax, s.steps()[i]);
                if (Double.isFinite(s.values()[i])) {
                    yMin = Math.min(yMin, s.values()[i]);
                    yMax = Math.max(yMax, s.values()[i]);
                }
            }
        }
        if (yMin > yMax) {
            throw new IllegalArgumentException("nothing to plot: no finite value in " + series.size() + " series");
        }
        double pad = Math.max((yMax - yMin) * 0.08, 1e-3);
        double[] yTicks = ticks(Math.max(0, yMin - pad), yMax + pad, 6);
        double y0 = yTicks[0];
        double y1 = yTicks[yTicks.length - 1];
        double[] xTicks = ticks(0, xMax, 8);
        double x1 = xTicks[xTicks.length - 1];

        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int left = 90;
            int right = WIDTH - 30;
            int top = 60;
            int bottom = HEIGHT - 70;
            Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

            // title
            g.setFont(base.deriveFont(Font.BOLD, 17f));
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 34);

            // grid and ticks
            g.setFont(base);
            fm = g.getFontMetrics();
            int decimals = decimals(yTicks);
            for (double t : yTicks) {
                int y = (int) Math.round(bottom - (t - y0) / (y1 - y0) * (bottom - top));
                g.setColor(new Color(0xE6, 0xE6, 0xE6));
                g.drawLine(left, y, right, y);
                g.setColor(Color.BLACK);
                g.drawLine(left - 5, y, left, y);
                String s = String.format(Locale.ROOT, "%." + decimals + "f", t);
                g.drawString(s, left - 9 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
            }
            for (double t : xTicks) {
                int x = (int) Math.round(left + t / x1 * (right - left));
                g.setColor(new Color(0xE6, 0xE6, 0xE6));
                g.drawLine(x, top, x, bottom);
                g.setColor(Color.BLACK);
                g.drawLine(x, bottom, x, bottom + 5);
                String s = String.format(Locale.ROOT, "%d", Math.round(t));
                g.drawString(s, x - fm.stringWidth(s) / 2, bottom + 8 + fm.getAscent());
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.2f));
            g.drawLine(left, bottom, right, bottom);
            g.drawLine(left, top, left, bottom);

            // axis labels
            String xLabel = "training steps";
            g.drawString(xLabel, (left + right - fm.stringWidth(xLabel)) / 2, HEIGHT - 22);
            Graphics2D rot = (Graphics2D) g.create();
            rot.rotate(-Math.PI / 2);
            rot.drawString(yLabel, -(top + bottom + fm.stringWidth(yLabel)) / 2, 24);
            rot.dispose();

            // marker
            if (markerStep >= 0 && markerStep <= x1) {
                int x = (int) Math.round(left + markerStep / x1 * (right - left));
                g.setColor(new Color(0x88, 0x88, 0x88));
                g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
                g.drawLine(x, top, x, bottom);
                g.drawString(markerLabel, x + 5, top + fm.getAscent() + 2);
            }

            // lines
            for (int si = 0; si < series.size(); si++) {
                Series s = series.get(si);
                g.setColor(PALETTE[si % PALETTE.length]);
                g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                Path2D.Double path = new Path2D.Double();
                boolean started = false;
                for (int i = 0; i < s.steps().length; i++) {
                    if (!Double.isFinite(s.values()[i])) continue;
                    double x = left + s.steps()[i] / x1 * (right - left);
                    double y = bottom - (s.values()[i] - y0) / (y1 - y0) * (bottom - top);
                    if (started) path.lineTo(x, y); else path.moveTo(x, y);
                    started = true;
                    g.fillOval((int) Math.round(x) - 3, (int) Math.round(y) - 3, 7, 7);
                }
                g.draw(path);
            }

            // legend, bottom right where the curves of a learning run rarely are
            int lineH = fm.getHeight() + 4;
            int w = 0;
            for (Series s : series) w = Math.max(w, fm.stringWidth(s.name()));
            int boxW = w + 50;
            int boxH = lineH * series.size() + 10;
            int bx = right - boxW - 12;
            int by = bottom - boxH - 12;
            g.setColor(new Color(255, 255, 255, 230));
            g.fillRect(bx, by, boxW, boxH);
            g.setColor(new Color(0xAA, 0xAA, 0xAA));
            g.setStroke(new BasicStroke(1f));
            g.drawRect(bx, by, boxW, boxH);
            for (int si = 0; si < series.size(); si++) {
                int y = by + 8 + si * lineH + lineH / 2;
                g.setColor(PALETTE[si % PALETTE.length]);
                g.setStroke(new BasicStroke(2.2f));
                g.drawLine(bx + 10, y, bx + 34, y);
                g.setColor(Color.BLACK);
                g.drawString(series.get(si).name(), bx + 40, y + fm.getAscent() / 2 - 1);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
    static double[] ticks(double lo, double hi, int target) {
        if (!(hi > lo)) hi = lo + 1;
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step - 1e-9) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[Math.max(2, n)];
        for (int i = 0; i < t.length; i++) t[i] = start + i * step;
        return t;
    }

    /** Decimals that print every tick exactly (0.025 needs three). */
    private static int decimals(double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int d = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        double scaled = step * Math.pow(10, d);
        if (Math.abs(scaled - Math.rint(scaled)) > 1e-6) d++;
        return Math.min(6, d);
    }
}
