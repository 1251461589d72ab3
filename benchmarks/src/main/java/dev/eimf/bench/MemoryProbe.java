package dev.eimf.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures a process's memory phase by phase: the JVM heap through its memory pools and a sampler thread, and
 * the whole process (heap, ND4J's native buffers, JVM internals) through {@code /proc/self/status}.
 *
 * <p>ND4J 1.0.0-M2.1 allocates its CPU buffers in native code that JavaCPP's {@code Pointer.totalBytes()} does
 * not count (measured: it stays at zero after creating a 256 MB array), so the process's resident set is the
 * only reliable view of native memory; {@link Phase#nativeEstimateMb()} subtracts the committed heap from it.
 *
 * <p>Not thread-safe: call {@link #start} and {@link #end} from one thread. Public for the measurement programs
 * of other packages ({@code dev.eimf.spark.bench.SparkScaleRun}).
 */
public final class MemoryProbe implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final double MB = 1 << 20;

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long sampledHeapPeak;
    private volatile long sampledRssPeak;
    private volatile long sampledNativePeak;
    private final boolean hwmResettable;

    private String name;
    private long wall0;
    private long cpu0;
    private long gc0;
    private double load0;

    /** Starts the sampler (every {@code periodMillis}). */
    public MemoryProbe(int periodMillis) {
        hwmResettable = resetHwm();
        sampler = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-probe");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Whether the kernel let us reset the peak resident set (VmHWM) per phase. */
    public boolean hwmPerPhase() {
        return hwmResettable;
    }

    private void sample() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long rss = statusKb("VmRSS") * 1024;
        sampledHeapPeak = Math.max(sampledHeapPeak, heap);
        sampledRssPeak = Math.max(sampledRssPeak, rss);
        sampledNativePeak = Math.max(sampledNativePeak, rss - committed);
    }

    /** Begins a phase: resets the pool peaks, the sampled peaks and, where allowed, VmHWM. */
    public void start(String phaseName) {
        this.name = phaseName;
        for (MemoryPoolMXBean p : heapPools) p.resetPeakUsage();
        if (hwmResettable) resetHwm();
        sampledHeapPeak = 0;
        sampledRssPeak = 0;
        sampledNativePeak = 0;
        sample();
        load0 = os.getSystemLoadAverage();
        cpu0 = os.getProcessCpuTime();
        gc0 = gcMillis();
        wall0 = System.nanoTime();
    }

    /**
     * Ends the phase. Timing stops first; then a full GC measures what the phase left alive (outside the
     * timing), so a phase's figures never include that collection.
     *
     * @param keepAlive objects the caller still holds (ignored; named so the reader sees what the live heap is)
     */
    public Phase end(Object... keepAlive) {
        long wall = System.nanoTime() - wall0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long gc = gcMillis() - gc0;
        double load1 = os.getSystemLoadAverage();
        sample();
        long poolPeak = 0;
        for (MemoryPoolMXBean p : heapPools) poolPeak += p.getPeakUsage().getUsed();
        long hwm = statusKb("VmHWM") * 1024;
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Phase(name, wall / 1e9, cpu / 1e9, gc / 1e3, poolPeak / MB, sampledHeapPeak / MB, live / MB,
                (hwmResettable ? hwm : sampledRssPeak) / MB, sampledNativePeak / MB, load0, load1);
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, g.getCollectionTime());
        }
        return sum;
    }

    /** Current resident set in MB. */
    public static double rssMb() {
        return statusKb("VmRSS") * 1024 / MB;
    }

    /** Peak resident set over the whole process life in MB (VmHWM, unless reset). */
    public static double hwmMb() {
        return statusKb("VmHWM") * 1024 / MB;
    }

    private static boolean resetHwm() {
        try {
            // "5" resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0, proc(5)).
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(key + ":")) {
                    String v = line.substring(key.length() + 1).trim();
                    return Long.parseLong(v.substring(0, v.indexOf(' ')));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    /**
     * Figures of one phase.
     *
     * @param name            phase name
     * @param wallSeconds     elapsed time
     * @param cpuSeconds      CPU time of the whole process (all threads, GC and native BLAS included)
     * @param gcSeconds       time the collectors report for the phase (pauses and, for G1, concurrent work)
     * @param heapPoolPeakMb  sum over heap pools of each pool's peak use: an upper bound of the heap peak (the
     *                        pools need not peak at the same moment)
     * @param heapSampledPeakMb largest heap use the sampler saw (a lower bound of the true peak)
     * @param heapLiveAfterMb heap in use after a full GC at the end of the phase: what the phase leaves alive
     * @param rssPeakMb       peak resident set of the process during the phase (VmHWM reset at the start where
     *                        the kernel allows, else the sampled peak)
     * @param nativePeakMb    largest sampled resident set minus committed heap: ND4J buffers plus JVM internals
     *                        (metaspace, code, thread stacks), an estimate of off-heap memory
     * @param loadStart       1-minute load average at the start
     * @param loadEnd         1-minute load average at the end
     */
    public record Phase(String name, double wallSeconds, double cpuSeconds, double gcSeconds, double heapPoolPeakMb, double heapSampledPeakMb,
                 double heapLiveAfterMb, double rssPeakMb, double nativePeakMb, double loadStart, double loadEnd) {
    }
}
