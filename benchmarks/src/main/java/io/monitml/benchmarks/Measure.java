package io.monitml.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Measures a phase of a benchmark: the records it read, its wall time, the process CPU time, the heap in use and left after each garbage collection. */
final class Measure {

    private Measure() {
    }

    @FunctionalInterface
    interface Work {
        long run() throws Exception;
    }

    /**
     * Runs {@code work}, which returns how many records it read, sampling the heap in use every 100 ms,
     * the heap left after each garbage collection, and the process CPU time.
     */
    static PipelineBenchmark.Phase measure(final Work work) throws Exception {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        final AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        final AtomicLong peakAfterGc = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        final javax.management.NotificationListener afterGc = (notification, handback) -> {
            if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                final var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                    (javax.management.openmbean.CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, java.lang.management.MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (HEAP_POOLS.contains(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                peakAfterGc.accumulateAndGet(used, Math::max);
            }
        };
        final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
        for (java.lang.management.GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof javax.management.NotificationEmitter emitter) {
                emitter.addNotificationListener(afterGc, null, null);
                emitters.add(emitter);
            }
        }
        final Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        final long cpu = os.getProcessCpuTime();
        final long start = System.nanoTime();
        sampler.start();
        final long records;
        try {
            records = work.run();
        } finally {
            sampler.interrupt();
            sampler.join();
            for (javax.management.NotificationEmitter emitter : emitters) {
                emitter.removeNotificationListener(afterGc);
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return new PipelineBenchmark.Phase(seconds, records / seconds, (os.getProcessCpuTime() - cpu) / 1e9, peak.get(), peakAfterGc.get());
    }

    private static final Set<String> HEAP_POOLS = heapPools();

    /**
     * The heap still in use after a full collection: what the application keeps, garbage excluded. Taken
     * half-way through the input and at the end of each pipeline run (each costs one full GC, a fraction
     * of a second, inside the measured time).
     */
    static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Set<String> heapPools() {
        final Set<String> names = new HashSet<>();
        for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                names.add(pool.getName());
            }
        }
        return names;
    }

    /** The machine a results file was measured on: cores, this JVM's heap limit, Java and the OS. */
    static Map<String, Object> machine() {
        return Map.of("cores", Runtime.getRuntime().availableProcessors(),
            "maxHeapBytes", Runtime.getRuntime().maxMemory(),
            "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            "os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }
}
