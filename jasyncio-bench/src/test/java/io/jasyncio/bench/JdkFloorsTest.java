package io.jasyncio.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench harness's own checks: every floor workload runs and measures something, the floors
 * are matched to the right jasyncio workloads, and the side-by-side report shows them. No figure
 * is asserted beyond "positive": figures belong in docs/benchmarks.md, not in tests.
 */
@Timeout(120)
class JdkFloorsTest {

    private static boolean continuationsExported() {
        return ModuleLayer.boot().findModule("java.base").orElseThrow()
                .isExported("jdk.internal.vm", JdkFloorsTest.class.getModule());
    }

    @Test
    void theVirtualThreadFloorsMeasureATimePerTask() throws Exception {
        assertThat(JdkFloors.median("w3-virtual", 0, 1, false)).isPositive();
        assertThat(JdkFloors.median("w3y-virtual", 0, 1, false)).isPositive();
    }

    @Test
    void theContinuationFloorsMeasureTimeAndBytes() throws Exception {
        assumeTrue(continuationsExported(), "needs --add-exports=java.base/jdk.internal.vm (the continuation engine's run)");
        assertThat(JdkFloors.median("w2", 0, 1, false)).isPositive();
        assertThat(JdkFloors.median("w3", 0, 1, false)).isPositive();
        assertThat(JdkFloors.median("w3y", 0, 1, false)).isPositive();
        assertThat(JdkFloors.median("w4", 0, 1, false)).as("bytes of a parked continuation").isGreaterThan(48);
    }

    @Test
    void eachEngineHasAFloorWhereOneIsMeasured() {
        assertThat(JdkFloors.floorOf("w2", "continuation")).isEqualTo("w2");
        assertThat(JdkFloors.floorOf("w3", "continuation")).isEqualTo("w3");
        assertThat(JdkFloors.floorOf("w3y", "continuation")).isEqualTo("w3y");
        assertThat(JdkFloors.floorOf("w4", "continuation")).isEqualTo("w4");
        assertThat(JdkFloors.floorOf("w3", "virtual")).isEqualTo("w3-virtual");
        assertThat(JdkFloors.floorOf("w3y", "virtual")).isEqualTo("w3y-virtual");
        assertThat(JdkFloors.floorOf("w1", "continuation")).isNull();
        assertThat(JdkFloors.floorOf("w2", "virtual")).as("no virtual ping-pong floor yet").isNull();
    }

    @Test
    void theSideBySideReportShowsTheFloorAndWritesAChart(@TempDir Path dir) throws Exception {
        List<PeerComparison.Row> rows = List.of(
                new PeerComparison.Row("w2", "ns/hop", 170, 85, 110),
                new PeerComparison.Row("w1", "ns/yield", 7, 14, Double.NaN),
                new PeerComparison.Row("w5", "ms overhead", 40, Double.NaN, Double.NaN));
        String table = PeerComparison.table(rows);
        assertThat(table).contains("| JDK floor |")
                .contains("| w2 | ns/hop | 170.0 | 85.0 | 0.50 | 110.0 |")
                .contains("| w1 | ns/yield | 7.0 | 14.0 | 2.00 | - |")
                .contains("| w5 | ms overhead | 40.0 | - | - | - |");
        System.setProperty("java.awt.headless", "true");
        Path png = dir.resolve("report.png");
        PeerComparison.writeChart(rows, png);
        byte[] head = Files.readAllBytes(png);
        assertThat(head).startsWith(0x89, 'P', 'N', 'G');
    }
}
