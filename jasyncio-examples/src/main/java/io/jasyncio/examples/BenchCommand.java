package io.jasyncio.examples;

import io.jasyncio.bench.PeerWorkloads;
import picocli.CommandLine;

/** {@code jasyncio bench}: short runs of W1-W5 beside the peers' figures (docs/benchmarks.md has full runs). */
@CommandLine.Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Short runs of the peer workloads W1-W5, printed beside the peers' figures.",
        footerHeading = "%nExamples:%n",
        footer = {"  ./jasyncio bench     all workloads, short runs, pinned to one core",
                  "Full runs and the machine: docs/benchmarks.md; the workloads: docs/benchmarks/WORKLOADS.md."})
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        if (Runtime.getRuntime().availableProcessors() > 1) {
            System.out.println("note: the peers were measured pinned to one core; './jasyncio bench' pins with taskset");
        }
        PeerWorkloads.main(new String[] {"--short"});
        return 0;
    }
}
