import ArgumentParser
import AsyncHTTPClient
import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayServer
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

/// The same signed debits as `http`, handed to the server's router in this process without sockets, beside the
/// empty route handed over the same way: what the server itself spends per debit (JWS, decode, journal, store,
/// answer), without the HTTP client's and the kernel's share, which dominate the loopback run's noise.
struct ResponderBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responder", abstract: "Signed transaction/create through the router in-process (no sockets).")

    @Option(help: "Requests per measured route.") var requests = 20_000
    @Option(help: "Concurrent callers (one request in flight each).") var concurrency = 64
    @Option(help: "Activated, funded cards the debits spread over.") var cards = 100

    func run() async throws {
        let server = try await BenchServer.start(postgresURL: nil)
        let http = HTTPClient.bench(connections: 16)
        do {
            try await benchmark(server: server, transport: AsyncHTTPClientTransport(client: http))
        } catch {
            try? await http.shutdown()
            try? await server.stop()
            throw error
        }
        try await http.shutdown()
        try await server.stop()
    }

    private func benchmark(server: BenchServer, transport: AsyncHTTPClientTransport) async throws {
        let api = CardAPIClient(baseURL: server.baseURL, authID: server.partner.authID, secret: server.partner.secret, transport: transport)
        let cardIDs = try await BenchCards.provision(count: cards, fundingMajor: 1_000_000, api: api)
        let responder = FreedomPayApplication.makeRouter(services: server.services).buildResponder()
        let channel = EmbeddedChannel()
        let logger = Logger(label: "freedompay-bench")
        let health = InProcessRequest(method: .get, path: "/status/healthcheck", headers: [], body: [])
        let send: @Sendable (InProcessRequest) async throws -> (Int, [UInt8]) = { request in
            // As `Application` does per request: the request id lives in the logger's metadata.
            var requestLogger = logger
            requestLogger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID())
            let context = AppRequestContext(source: .init(channel: channel, logger: requestLogger))
            let response = try await responder.respond(to: request.make(), context: context)
            let collected = CollectedBody()
            try await response.body.write(CollectingWriter(into: collected))
            return (response.status.code, Array(buffer: collected.buffer))
        }
        _ = try await measure("warm-up", count: min(requests, 2_000), concurrency: concurrency) { _ in _ = try await send(health) }
        let empty = try await measure("empty route GET /status/healthcheck", count: requests, concurrency: concurrency) { _ in
            let (status, _) = try await send(health)
            guard status == 200 else { throw BenchError("healthcheck: HTTP \(status)") }
        }
        let run = UUID().uuidString.prefix(8).lowercased()
        let path = "/v5/card-api/transaction/create"
        let signed = (0..<requests).map { index in
            let body = Array(#"{"request_id":"\#(CardAPIClient.newRequestID())","order_id":"bench-\#(run)-\#(index)","card_id":"\#(cardIDs[index % cardIDs.count])","type":"debit","amount":"1.50","currency":"KZT"}"#.utf8)
            return InProcessRequest(
                method: .post, path: path, headers: [("Content-Type", "application/json")] + api.signatureHeaders(path: path, body: body), body: body)
        }
        let writerBefore = threadCPUMicros(named: "fp-sqlite-write")
        let debits = try await measure("signed transaction/create debit", count: requests, concurrency: concurrency) { index in
            let (status, body) = try await send(signed[index])
            try BenchCards.expectOK(TransportResponse(status: status, headers: [], body: body), "debit \(index)")
        }
        let writerCPU = threadCPUMicros(named: "fp-sqlite-write").flatMap { after in writerBefore.map { after - $0 } }
        print("""
            freedompay-bench responder --requests \(requests) --concurrency \(concurrency) --cards \(cards)
            \(empty.report(unit: "req"))
            \(debits.report(unit: "req"))
            debits / empty route: \(String(format: "%.1f%%", debits.throughput / empty.throughput * 100))
            process CPU per request: empty route \(String(format: "%.1f", empty.cpuMicros / Double(empty.operations))) µs, \
            debit \(String(format: "%.1f", debits.cpuMicros / Double(debits.operations))) µs, \
            of which the store writer thread \(String(format: "%.1f", (writerCPU ?? 0) / Double(requests))) µs
            """)
    }
}

/// A request as the router receives it from the HTTP server.
struct InProcessRequest: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var headers: [(String, String)]
    var body: [UInt8]

    func make() -> Request {
        var fields = HTTPFields()
        for (name, value) in headers { if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) } }
        let head = HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1", path: path, headerFields: fields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body)))
    }
}

/// A response body as written out; one caller at a time.
final class CollectedBody: @unchecked Sendable {
    var buffer = ByteBuffer()
}

/// Collects a response body the way the HTTP server would write it out.
struct CollectingWriter: ResponseBodyWriter {
    let into: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        into.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
