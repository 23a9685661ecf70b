import ArgumentParser
import Foundation

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freedompay-bench",
        abstract: "Fixed-workload benchmarks: prints throughput and latency percentiles.",
        subcommands: [LedgerBench.self, HTTPBench.self, ResponderBench.self, DebitPathBench.self])
}

/// Latencies of one run and what they add up to.
struct Measurement {
    let name: String
    let operations: Int
    let seconds: Double
    var latenciesMicros: [Double]
    /// Process CPU time (user + system, every thread: client, server, store) spent during the run, in µs.
    var cpuMicros: Double = 0

    var throughput: Double { Double(operations) / seconds }

    /// Several timed phases of one route as one measurement: operations, time and CPU add up.
    static func combined(_ parts: [Measurement]) -> Measurement {
        Measurement(
            name: parts.first?.name ?? "", operations: parts.reduce(0) { $0 + $1.operations },
            seconds: parts.reduce(0) { $0 + $1.seconds }, latenciesMicros: parts.flatMap(\.latenciesMicros),
            cpuMicros: parts.reduce(0) { $0 + $1.cpuMicros })
    }

    func percentile(_ p: Double) -> Double {
        guard !latenciesMicros.isEmpty else { return 0 }
        let sorted = latenciesMicros.sorted()
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return sorted[max(index, 0)]
    }

    func report(unit: String) -> String {
        String(
            format: "%-34@ %10.0f %@/s   p50 %8.2f ms   p99 %8.2f ms   p999 %8.2f ms   (%d in %.2f s)",
            name as NSString, throughput, unit as NSString, percentile(50) / 1000, percentile(99) / 1000, percentile(99.9) / 1000,
            operations, seconds)
    }
}

/// Runs `operation` `count` times over `concurrency` tasks; measures each call's latency.
func measure(
    _ name: String, count: Int, concurrency: Int, _ operation: @escaping @Sendable (Int) async throws -> Void
) async throws -> Measurement {
    try await measure(name, indices: 0..<count, concurrency: concurrency, operation)
}

/// Runs `operation` for each index of `indices` over `concurrency` tasks; measures each call's latency.
func measure(
    _ name: String, indices: Range<Int>, concurrency: Int, _ operation: @escaping @Sendable (Int) async throws -> Void
) async throws -> Measurement {
    let clock = ContinuousClock()
    let cpuBefore = processCPUMicros()
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var local: [Double] = []
                var index = indices.lowerBound + worker
                while index < indices.upperBound {
                    let began = clock.now
                    try await operation(index)
                    let elapsed = clock.now - began
                    local.append(elapsed.seconds * 1e6)
                    index += concurrency
                }
                return local
            }
        }
        return try await group.reduce(into: [Double]()) { $0 += $1 }
    }
    let total = clock.now - start
    return Measurement(
        name: name, operations: indices.count,
        seconds: total.seconds, latenciesMicros: latencies,
        cpuMicros: processCPUMicros() - cpuBefore)
}

/// User + system CPU time of this process so far (all threads), in µs: steadier than wall time on a shared machine.
func processCPUMicros() -> Double {
    var usage = rusage()
    guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
    func micros(_ time: timeval) -> Double { Double(time.tv_sec) * 1e6 + Double(time.tv_usec) }
    return micros(usage.ru_utime) + micros(usage.ru_stime)
}

/// CPU time (user + system) so far of this process's threads named `name` (Linux `comm`), in µs; nil where
/// `/proc` is unavailable. The store's writer thread is the one serial stage of every debit.
func threadCPUMicros(named name: String) -> Double? {
    #if os(Linux)
    guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return nil }
    let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    var total = 0.0
    for task in tasks {
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"),
              stat[stat.index(after: open)..<close] == name else { continue }
        // Fields after the name: state is the first; utime and stime are the 12th and 13th.
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
        total += (user + system) / ticksPerSecond * 1e6
    }
    return total
    #else
    return nil
    #endif
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
