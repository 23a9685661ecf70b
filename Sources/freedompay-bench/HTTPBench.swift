import ArgumentParser
import AsyncHTTPClient
import Foundation
import FreedomPayClient
import FreedomPayCore

/// Signed Card API debits over loopback HTTP against the empty-route baseline (see BENCHMARKS.md).
/// Client and server share this process (and the machine's cores); every debit is acknowledged only after
/// the store's durable commit (SQLite: fdatasync of the WAL per flush round; PostgreSQL: synchronous commit).
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "http", abstract: "Signed transaction/create throughput over HTTP.")

    @Option(help: "Requests per measured route.") var requests = 20_000
    @Option(help: "Concurrent connections (one request in flight on each).") var concurrency = 64
    @Option(help: "Activated, funded cards the debits spread over.") var cards = 200
    @Option(help: "PostgreSQL URL instead of a fresh SQLite folder (use an empty database).") var postgres: String?
    @Flag(help: "Sign each debit inside the timed phase, as before session 4 (the client's HMAC then counts against the debits).")
    var signInline = false
    @Option(help: "Timed phases per route, alternated (empty route, debits, empty route, …) so that both routes meet the same machine conditions; 1 times each route once, as before BENCHMARKS.md session 9.")
    var rounds = 5
    @Option(help: "Load client of the timed phases: ahc (AsyncHTTPClient, the SDK's transport) or nio (one write per request, as wrk).")
    var client: LoadClientKind = .ahc

    enum LoadClientKind: String, ExpressibleByArgument, Sendable {
        case nio, ahc
    }

    func run() async throws {
        let server = try await BenchServer.start(postgresURL: postgres)
        let http = HTTPClient.bench(connections: concurrency)
        let transport = AsyncHTTPClientTransport(client: http)
        let api = CardAPIClient(baseURL: server.baseURL, authID: server.partner.authID, secret: server.partner.secret, transport: transport)
        do {
            try await benchmark(server: server, api: api, transport: transport)
        } catch {
            try? await http.shutdown()
            try? await server.stop()
            throw error
        }
        try await http.shutdown()
        try await server.stop()
    }

    private func benchmark(server: BenchServer, api: CardAPIClient, transport: AsyncHTTPClientTransport) async throws {
        let cardIDs = try await BenchCards.provision(count: cards, fundingMajor: 1_000_000, api: api)
        let load = try await loadSender(server: server, transport: transport)
        defer { Task { await load.close() } }
        let health = server.baseURL + "/status/healthcheck"
        let probe: @Sendable (Int) async throws -> Void = { index in
            let response = try await load.send(TransportRequest(method: "GET", url: health), index)
            guard response.status == 200 else { throw BenchError("healthcheck: HTTP \(response.status)") }
        }
        _ = try await measure("warm-up", count: min(requests, 2_000), concurrency: concurrency, probe)

        let run = UUID().uuidString.prefix(8).lowercased()
        let cardCount = cardIDs.count
        // Every debit is built and signed before the clock starts, so the timed phase measures the server's
        // cost (and the HTTP round trip), not the client's HMAC, which the empty route never pays.
        let path = "/v5/card-api/transaction/create"
        let signed = (0..<requests).map { index in
            let body = Array(#"{"request_id":"\#(CardAPIClient.newRequestID())","order_id":"bench-\#(run)-\#(index)","card_id":"\#(cardIDs[index % cardCount])","type":"debit","amount":"1.50","currency":"KZT"}"#.utf8)
            let headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
                + api.signatureHeaders(path: path, body: body)
            return TransportRequest(url: server.baseURL + path, headers: headers, body: body)
        }
        let signInline = self.signInline
        let debit: @Sendable (Int) async throws -> Void = { index in
            var request = signed[index]
            if signInline { request.headers = [("Content-Type", "application/json"), ("Accept", "application/json")] + api.signatureHeaders(path: path, body: request.body) }
            try BenchCards.expectOK(try await load.send(request, index), "debit \(index)")
        }

        let batchesBefore = try await MetricTotals.scrape("freedompay_store_batch_size", server.baseURL, transport: transport)
        let flushesBefore = try await MetricTotals.scrape("freedompay_store_flush_seconds", server.baseURL, transport: transport)
        let batchTimesBefore = try await MetricTotals.scrape("freedompay_store_batch_seconds", server.baseURL, transport: transport)
        let writerBefore = threadCPUMicros(named: "fp-sqlite-write")
        // The routes take turns in `rounds` phases each: the machine's speed drifts by tens of percent over a
        // run (other work on the host), and two phases back to back see the same drift.
        var emptyPhases: [Measurement] = [], debitPhases: [Measurement] = []
        let phases = max(1, min(rounds, requests))
        for phase in 0..<phases {
            let range = requests * phase / phases..<requests * (phase + 1) / phases
            emptyPhases.append(try await measure("empty route GET /status/healthcheck", indices: range, concurrency: concurrency, probe))
            debitPhases.append(try await measure("signed transaction/create debit", indices: range, concurrency: concurrency, debit))
            // The debits' background work (the checkpointer copies the WAL within 250 ms of the last commit) ends
            // before the next empty-route phase, which would otherwise pay for it.
            if phase + 1 < phases { try await Task.sleep(for: .seconds(1)) }
        }
        let empty = Measurement.combined(emptyPhases), debits = Measurement.combined(debitPhases)
        let writerCPU = threadCPUMicros(named: "fp-sqlite-write").flatMap { after in writerBefore.map { after - $0 } }
        let batches = try await MetricTotals.scrape("freedompay_store_batch_size", server.baseURL, transport: transport) - batchesBefore
        let flushes = try await MetricTotals.scrape("freedompay_store_flush_seconds", server.baseURL, transport: transport) - flushesBefore
        let batchTimes = try await MetricTotals.scrape("freedompay_store_batch_seconds", server.baseURL, transport: transport) - batchTimesBefore
        let violations = try await server.services.store.read { db in try await LedgerAudit().violations(in: db) }
        let stored = try await server.services.store.read { db in
            try await db.query("SELECT COUNT(*) AS n FROM card_transactions WHERE order_id LIKE ?", [.text("bench-\(run)-%")]).first?.int("n") ?? 0
        }
        print(summary(empty: empty, debits: debits, stored: Int(stored), violations: violations.count))
        if phases > 1 {
            // How far the machine drifted during the run: each phase's figures (throughput, process CPU per request).
            let perPhase = zip(emptyPhases, debitPhases).map { empty, debit in
                String(format: "%.0f/%.0f µs | %.0f/%.0f µs", empty.throughput, empty.cpuMicros / Double(empty.operations),
                       debit.throughput, debit.cpuMicros / Double(debit.operations))
            }
            print("phases (empty req/s / CPU per req | debit req/s / CPU per req): " + perPhase.joined(separator: ", "))
        }
        if batches.count > 0 {
            print(String(format: "store commits during the debits: %.0f, mean transactions per commit: %.1f, writer held %.2f ms per commit (%.0f µs per transaction)",
                         batches.count, batches.sum / batches.count, batchTimes.sum / max(batchTimes.count, 1) * 1000, batchTimes.sum / max(batches.sum, 1) * 1e6))
        }
        if let writerCPU, writerCPU > 0 {
            print(String(format: "store writer thread CPU during the debits: %.0f µs per debit", writerCPU / Double(requests)))
        }
        if flushes.count > 0 {
            print(String(format: "WAL flushes (fdatasync) during the debits: %.0f, mean %.2f ms", flushes.count, flushes.sum / flushes.count * 1000))
        }
        if !violations.isEmpty || stored != requests { throw ExitCode(1) }
    }

    /// How the timed phases send: request `index` goes out on connection `index % concurrency`, which `measure`'s
    /// worker for that index owns, so each connection has one request in flight.
    private func loadSender(server: BenchServer, transport: AsyncHTTPClientTransport) async throws -> LoadSender {
        switch client {
        case .ahc:
            return LoadSender(send: { request, _ in try await transport.send(request) }, close: {})
        case .nio:
            guard let port = URLComponents(string: server.baseURL)?.port else { throw BenchError("no port in \(server.baseURL)") }
            let loopback = try await LoopbackLoadClient.connect(host: "127.0.0.1", port: port, connections: concurrency)
            return LoadSender(send: { request, index in try await loopback.send(request, on: index) }, close: { await loopback.close() })
        }
    }

    private func summary(empty: Measurement, debits: Measurement, stored: Int, violations: Int) -> String {
        let ratio = debits.throughput / empty.throughput
        let p99 = debits.percentile(99) / 1000
        return """
            freedompay-bench http --requests \(requests) --concurrency \(concurrency) --cards \(cards) --rounds \(rounds) --client \(client.rawValue)\(postgres == nil ? "" : " --postgres …")\(signInline ? " --sign-inline" : "")
            debits signed \(signInline ? "inside the timed phase (client HMAC counted)" : "before the timed phase (server cost only)")
            store: \(postgres == nil ? "SQLite (WAL, pipelined group commit, fdatasync before every answer)" : "PostgreSQL (one transaction per request)")
            \(empty.report(unit: "req"))
            \(debits.report(unit: "req"))
            debits / empty route: \(String(format: "%.1f%%", ratio * 100)) (target ≥ 40%: \(ratio >= 0.4 ? "met" : "NOT met"))   \
            debit p99 \(String(format: "%.2f", p99)) ms (target ≤ 20 ms: \(p99 <= 20 ? "met" : "NOT met"))
            process CPU (client + server, user + sys) per request: empty route \(String(format: "%.0f", empty.cpuMicros / Double(empty.operations))) µs, \
            debit \(String(format: "%.0f", debits.cpuMicros / Double(debits.operations))) µs
            debits stored: \(stored) of \(requests)   ledger invariant violations: \(violations)
            """
    }
}

/// Sends one request of a timed phase, given its index.
struct LoadSender: Sendable {
    let send: @Sendable (TransportRequest, Int) async throws -> TransportResponse
    let close: @Sendable () async -> Void
}

/// A summary or histogram from `/metrics` (Prometheus `_sum` and `_count`), e.g. the store's group-commit batch
/// sizes or its WAL flush times.
struct MetricTotals {
    var sum = 0.0
    var count = 0.0

    static func - (lhs: MetricTotals, rhs: MetricTotals) -> MetricTotals { MetricTotals(sum: lhs.sum - rhs.sum, count: lhs.count - rhs.count) }

    static func scrape(_ name: String, _ baseURL: String, transport: AsyncHTTPClientTransport) async throws -> MetricTotals {
        let response = try await transport.send(TransportRequest(method: "GET", url: baseURL + "/metrics"))
        var totals = MetricTotals()
        for line in response.text.split(separator: "\n") where line.hasPrefix(name) {
            let parts = line.split(separator: " ")
            guard let value = parts.last.flatMap({ Double($0) }) else { continue }
            if line.hasPrefix(name + "_sum") { totals.sum += value }
            if line.hasPrefix(name + "_count") { totals.count += value }
        }
        return totals
    }
}
