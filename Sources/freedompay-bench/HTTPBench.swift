import ArgumentParser

/// Signed Card API debits over loopback HTTP against the empty-route baseline (see BENCHMARKS.md).
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "http", abstract: "Signed transaction/create throughput over HTTP.")

    func run() async throws {
        throw ValidationError("the http benchmark needs payment cards; it is wired when the Card API card endpoints land")
    }
}
