import AsyncHTTPClient
import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import Hummingbird
import Logging
import ServiceLifecycle

/// The real server (router, middleware, store) in this process on a loopback port the OS picks, with a
/// partner provisioned straight into its store. SQLite in a fresh temporary folder unless `postgresURL`.
struct BenchServer {
    let services: AppServices
    let partner: Partner
    let baseURL: String
    let directory: URL
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// The log handler `freedompay serve` installs by default (text lines), so that the server's loggers cost what
    /// they cost in production; the level keeps the per-request info lines out of the measurement.
    private static let loggingInstalled: Void = StructuredLogging.bootstrap(.text, level: .warning)

    static func start(postgresURL: String?) async throws -> BenchServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fp-http-bench-\(UUID().uuidString)")
        _ = loggingInstalled
        var logger = Logger(label: "freedompay-bench")
        // The per-request log line is info; the benchmark measures the server, not terminal output.
        logger.logLevel = .warning
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory.path)
        configuration.postgresURL = postgresURL
        FreedomPayMetrics.bootstrap()
        let services = try await FreedomPayApplication.makeServices(configuration: configuration, logger: logger)
        let partner = try await services.store.write { db in try await services.credentials.createPartner(name: "Bench", in: db) }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: FreedomPayApplication.makeRouter(services: services),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "FreedomPay-Swift"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw BenchError("the server did not start") }
        return BenchServer(
            services: services, partner: partner, baseURL: "http://127.0.0.1:\(port)", directory: directory, group: group, task: task)
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        _ = await task.result
        try await services.store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Cards for the workload, provisioned over the same HTTP API a partner uses: client/add, card/issue
/// (a virtual card starts activated), request/status for its id, then a credit that funds it.
enum BenchCards {
    static func provision(count: Int, fundingMajor: Int, api: CardAPIClient, concurrency: Int = 16) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var cards: [String] = []
                    var index = worker
                    while index < count {
                        cards.append(try await provisionOne(index, fundingMajor: fundingMajor, api: api))
                        index += concurrency
                    }
                    return cards
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
    }

    private static func provisionOne(_ index: Int, fundingMajor: Int, api: CardAPIClient) async throws -> String {
        let added = try await api.addClient(ClientAddRequest(
            requestID: CardAPIClient.newRequestID(), productID: 2000,
            client: ClientData(phone: 77_000_000_000 + Int64(index), type: 1, resident: 1, firstName: "BENCH", lastName: "CARDHOLDER")))
        guard let clientID = added.clientID else { throw BenchError("client/add returned no client_id") }
        let issueID = CardAPIClient.newRequestID()
        _ = try await api.issueCard(IssueCardRequest(requestID: issueID, productID: 2000, clientID: clientID))
        guard let cardID = try await api.requestStatus(requestID: issueID).cards?.first?.cardID else {
            throw BenchError("card/issue reported no card")
        }
        let credit = #"{"request_id":"\#(CardAPIClient.newRequestID())","order_id":"fund-\#(cardID)","card_id":"\#(cardID)","type":"credit","amount":"\#(fundingMajor)","currency":"KZT"}"#
        try await expectOK(try await api.sendRaw(path: "/v5/card-api/transaction/create", body: Array(credit.utf8)), "funding credit")
        return cardID
    }

    static func expectOK(_ response: TransportResponse, _ what: String) throws {
        guard response.status == 200, contains(response.body, okStatus) else {
            throw BenchError("\(what): HTTP \(response.status) \(response.text)")
        }
    }

    private static let okStatus = Array(#""status":"ok""#.utf8)

    /// A byte search: Foundation's `String.contains` cost the client ~3 µs per debit, counted against the debits.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return needle.isEmpty }
        var start = 0
        while start <= haystack.count - needle.count {
            if haystack[start] == first, haystack[start..<start + needle.count].elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }
}

extension HTTPClient {
    /// A client whose pool keeps `connections` HTTP/1.1 connections to the one host (the default is 8).
    static func bench(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
