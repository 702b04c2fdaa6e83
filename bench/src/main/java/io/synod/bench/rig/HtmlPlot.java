package io.synod.bench.rig;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Stateless: turns HdrHistogram interval logs into one self-contained HTML file with inline SVG (no
 * scripts, no external URLs): a percentile distribution chart on HdrHistogram's log-scale
 * {@code 1/(1-q)} axis for one or more runs side by side, and p99 per interval over time.
 */
public final class HtmlPlot
{
    private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b" };
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 40;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;

    /**
     * One run to plot: a label and its interval log.
     */
    public static final class Series
    {
        final String label;
        final Histogram total = new Histogram(BenchRig.HIGHEST_TRACKABLE_NS, BenchRig.SIGNIFICANT_DIGITS);
        final List<double[]> p99OverTime = new ArrayList<>();
        final List<double[]> throughputOverTime = new ArrayList<>();
        final List<double[]> maxOverTime = new ArrayList<>();

        Series(final String label)
        {
            this.label = label;
        }

        /**
         * Adds throughput, and max latency where recorded, per interval of the measured window.
         *
         * @param timeline the run's timeline; its last partial interval is already left out when too short.
         * @return this.
         */
        public Series timeline(final RigTimeline timeline)
        {
            for (int i = 0; i < timeline.size(); i++)
            {
                throughputOverTime.add(new double[]{ timeline.endSecond(i), timeline.commandsPerSecond(i) });
                if (!Double.isNaN(timeline.maxUs(i)))
                {
                    maxOverTime.add(new double[]{ timeline.endSecond(i), timeline.maxUs(i) });
                }
            }
            return this;
        }
    }

    /**
     * One run as a series: latencies from its interval log (when it has one) and its throughput timeline.
     *
     * @param result a finished run.
     * @return the series, labelled with the run's target name.
     */
    public static Series of(final RigResult result)
    {
        final Series series = null != result.intervalLogFile() ?
            read(result.targetName(), result.intervalLogFile()) : new Series(result.targetName());
        return series.timeline(result.timeline());
    }

    private HtmlPlot()
    {
    }

    /**
     * Read one interval log written by {@link BenchRig}.
     *
     * @param label       legend text.
     * @param intervalLog {@code .hlog} file.
     * @return the series: total histogram and p99 per interval.
     */
    public static Series read(final String label, final Path intervalLog)
    {
        final Series series = new Series(label);
        try
        {
            final HistogramLogReader reader = new HistogramLogReader(intervalLog.toFile());
            double firstStartSec = Double.NaN;
            EncodableHistogram encodable;
            while (null != (encodable = reader.nextIntervalHistogram()))
            {
                final Histogram interval = (Histogram)encodable;
                series.total.add(interval);
                final double startSec = interval.getStartTimeStamp() / 1000.0;
                if (Double.isNaN(firstStartSec))
                {
                    firstStartSec = startSec;
                }
                if (interval.getTotalCount() > 0)
                {
                    series.p99OverTime.add(new double[]{
                        interval.getEndTimeStamp() / 1000.0 - firstStartSec, interval.getValueAtPercentile(99.0) / 1000.0 });
                }
            }
        }
        catch (final FileNotFoundException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return series;
    }

    /**
     * Write the HTML file.
     *
     * @param file   output, overwritten.
     * @param title  page title, e.g. the setup line.
     * @param series one or more runs.
     * @return {@code file}.
     */
    public static Path write(final Path file, final String title, final List<Series> series)
    {
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
            .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;margin:20px}")
            .append("svg{background:#fff;border:1px solid #ccc}text{font-size:12px}")
            .append("pre{font-size:12px;background:#f6f6f6;padding:8px}</style></head><body>\n");
        html.append("<h2>").append(escape(title)).append("</h2>\n");
        final boolean latencies = series.stream().anyMatch(s -> s.total.getTotalCount() > 0);
        if (latencies)
        {
            html.append("<h3>Latency by percentile (µs, coordinated omission corrected)</h3>\n");
            percentileChart(html, series, false);
            html.append("<h3>Latency by percentile, log latency axis (µs)</h3>\n");
            percentileChart(html, series, true);
            html.append("<h3>p99 per interval over time (µs)</h3>\n");
            timeChart(html, series, s -> s.p99OverTime, "p99 µs");
        }
        if (series.stream().anyMatch(s -> !s.maxOverTime.isEmpty()))
        {
            html.append("<h3>Max latency per interval over time (µs)</h3>\n");
            timeChart(html, series, s -> s.maxOverTime, "max µs");
        }
        if (series.stream().anyMatch(s -> !s.throughputOverTime.isEmpty()))
        {
            html.append("<h3>Throughput per interval over time (commands/s)</h3>\n");
            timeChart(html, series, s -> s.throughputOverTime, "commands/s");
        }
        html.append("<h3>Summary</h3>\n<pre>");
        for (final Series s : series)
        {
            if (s.total.getTotalCount() == 0)
            {
                continue;
            }
            html.append(escape(s.label)).append(String.format(Locale.ROOT,
                ": n=%d p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f p99.99=%.1f max=%.1f%n",
                s.total.getTotalCount(),
                s.total.getValueAtPercentile(50) / 1000.0, s.total.getValueAtPercentile(90) / 1000.0,
                s.total.getValueAtPercentile(99) / 1000.0, s.total.getValueAtPercentile(99.9) / 1000.0,
                s.total.getValueAtPercentile(99.99) / 1000.0, s.total.getMaxValue() / 1000.0));
        }
        html.append("</pre>\n</body></html>\n");
        try
        {
            final Path parent = file.toAbsolutePath().getParent();
            if (null != parent)
            {
                Files.createDirectories(parent);
            }
            Files.write(file, html.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return file;
    }

    private static void percentileChart(final StringBuilder html, final List<Series> series, final boolean logY)
    {
        double maxX = 1.0;
        double maxY = 1.0;
        double minY = Double.MAX_VALUE;
        final List<List<double[]>> points = new ArrayList<>();
        for (final Series s : series)
        {
            final List<double[]> line = new ArrayList<>();
            if (s.total.getTotalCount() > 0)
            {
                // Beyond 1/(1-q) = count the distribution has no more resolution; cap there like the plotter.
                final double capX = Math.max(1.0, Math.log10(s.total.getTotalCount()));
                for (final HistogramIterationValue v : s.total.percentiles(5))
                {
                    final double q = v.getPercentileLevelIteratedTo() / 100.0;
                    final double x = q >= 1.0 ? capX : Math.min(capX, Math.log10(1.0 / (1.0 - q)));
                    final double y = s.total.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0;
                    line.add(new double[]{ x, y });
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                    minY = Math.min(minY, y);
                }
            }
            points.add(line);
        }
        maxX = Math.ceil(maxX);
        final DoubleUnaryOperator yFraction;
        if (logY)
        {
            final double lowDecade = Math.floor(Math.log10(Math.max(0.1, Math.min(minY, maxY))));
            final double highDecade = Math.max(lowDecade + 1, Math.ceil(Math.log10(maxY)));
            yFraction = y -> (Math.log10(Math.max(y, Math.pow(10, lowDecade))) - lowDecade) / (highDecade - lowDecade);
            openSvg(html);
            logYAxis(html, lowDecade, highDecade, "latency µs (log)");
        }
        else
        {
            maxY = niceCeiling(maxY);
            final double top = maxY;
            yFraction = y -> y / top;
            openSvg(html);
            yAxis(html, maxY, "latency µs");
        }
        for (int decade = 0; decade <= (int)maxX; decade++)
        {
            final double px = LEFT + decade / maxX * plotWidth();
            html.append(line(px, TOP, px, TOP + plotHeight(), "#eee"));
            html.append(text(px, HEIGHT - BOTTOM + 18, percentLabel(decade), "middle"));
        }
        html.append(text(LEFT + plotWidth() / 2.0, HEIGHT - 8, "percentile (log scale of 1/(1-q))", "middle"));
        for (int i = 0; i < points.size(); i++)
        {
            polyline(html, points.get(i), maxX, yFraction, COLOURS[i % COLOURS.length], series.get(i).label);
        }
        legend(html, series);
        html.append("</svg>\n");
    }

    private static void timeChart(
        final StringBuilder html, final List<Series> series, final Function<Series, List<double[]>> points,
        final String yLabel)
    {
        double maxX = 1.0;
        double maxY = 1.0;
        for (final Series s : series)
        {
            for (final double[] p : points.apply(s))
            {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        maxX = Math.ceil(maxX);
        maxY = niceCeiling(maxY);

        openSvg(html);
        final int ticks = 10;
        for (int t = 0; t <= ticks; t++)
        {
            final double px = LEFT + t / (double)ticks * plotWidth();
            html.append(line(px, TOP, px, TOP + plotHeight(), "#eee"));
            html.append(text(px, HEIGHT - BOTTOM + 18, fmt(maxX * t / ticks), "middle"));
        }
        html.append(text(LEFT + plotWidth() / 2.0, HEIGHT - 8, "time since end of warm-up (s)", "middle"));
        yAxis(html, maxY, yLabel);
        final double top = maxY;
        for (int i = 0; i < series.size(); i++)
        {
            polyline(html, points.apply(series.get(i)), maxX, y -> y / top, COLOURS[i % COLOURS.length],
                series.get(i).label);
        }
        legend(html, series);
        html.append("</svg>\n");
    }

    private static void openSvg(final StringBuilder html)
    {
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\">\n");
    }

    private static void yAxis(final StringBuilder html, final double maxY, final String label)
    {
        final int ticks = 5;
        for (int t = 0; t <= ticks; t++)
        {
            final double py = TOP + plotHeight() - t / (double)ticks * plotHeight();
            html.append(line(LEFT, py, LEFT + plotWidth(), py, "#eee"));
            html.append(text(LEFT - 6, py + 4, fmt(maxY * t / ticks), "end"));
        }
        axes(html, label);
    }

    private static void logYAxis(final StringBuilder html, final double lowDecade, final double highDecade, final String label)
    {
        final int decades = (int)(highDecade - lowDecade);
        for (int d = 0; d <= decades; d++)
        {
            final double py = TOP + plotHeight() - d / (double)decades * plotHeight();
            html.append(line(LEFT, py, LEFT + plotWidth(), py, "#eee"));
            html.append(text(LEFT - 6, py + 4, fmt(Math.pow(10, lowDecade + d)), "end"));
        }
        axes(html, label);
    }

    private static void axes(final StringBuilder html, final String label)
    {
        html.append(line(LEFT, TOP, LEFT, TOP + plotHeight(), "#000"));
        html.append(line(LEFT, TOP + plotHeight(), LEFT + plotWidth(), TOP + plotHeight(), "#000"));
        html.append("<text x=\"14\" y=\"").append(TOP + plotHeight() / 2).append("\" transform=\"rotate(-90 14,")
            .append(TOP + plotHeight() / 2).append(")\" text-anchor=\"middle\">").append(escape(label)).append("</text>\n");
    }

    private static void polyline(
        final StringBuilder html, final List<double[]> points, final double maxX, final DoubleUnaryOperator yFraction,
        final String colour, final String label)
    {
        html.append("<polyline class=\"series\" data-label=\"").append(escape(label))
            .append("\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"");
        for (final double[] p : points)
        {
            final double px = LEFT + p[0] / maxX * plotWidth();
            final double py = TOP + plotHeight() - Math.min(1.0, yFraction.applyAsDouble(p[1])) * plotHeight();
            html.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        }
        html.append("\"><title>").append(escape(label)).append("</title></polyline>\n");
    }

    private static void legend(final StringBuilder html, final List<Series> series)
    {
        for (int i = 0; i < series.size(); i++)
        {
            final int y = TOP + 12 + i * 16;
            html.append("<rect x=\"").append(LEFT + 12).append("\" y=\"").append(y - 9).append("\" width=\"12\" height=\"3\" fill=\"")
                .append(COLOURS[i % COLOURS.length]).append("\"/>");
            html.append(text(LEFT + 30, y - 4, series.get(i).label, "start"));
        }
    }

    private static String line(final double x1, final double y1, final double x2, final double y2, final String colour)
    {
        return String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", x1, y1, x2, y2, colour);
    }

    private static String text(final double x, final double y, final String text, final String anchor)
    {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
            x, y, anchor, escape(text));
    }

    private static String percentLabel(final int decade)
    {
        if (0 == decade)
        {
            return "0%";
        }
        if (1 == decade)
        {
            return "90%";
        }
        final String nines = "9".repeat(decade);
        return nines.substring(0, 2) + (decade > 2 ? "." + nines.substring(2) : "") + "%";
    }

    private static double niceCeiling(final double value)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[]{ 1, 2, 2.5, 5, 10 })
        {
            if (value <= step * magnitude)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String fmt(final double value)
    {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static int plotWidth()
    {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight()
    {
        return HEIGHT - TOP - BOTTOM;
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
