import Foundation
import Synchronization
import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FreedomPayServer

/// Rate limit per credential, body size and idle connections: refused in each API's own envelope.
@Suite struct AbuseLimitTests {
    static let cardPath = "/v5/card-api/request/status"
    static let body = #"{"request_id":"3f2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d"}"#

    @Test func rateLimitIsPerCredentialAndAnsweredInTheAPIsEnvelope() async throws {
        let server = try await TestServer.make { $0.rateLimit = RateLimit(requestsPerSecond: 0, burst: 3) }
        defer { Task { await server.cleanUp() } }
        let busy = try await server.createPartner(name: "Busy")
        let quiet = try await server.createPartner(name: "Quiet")
        try await server.withRouter { client in
            // Forged requests under the busy partner's auth_id are refused (401) and spend nothing of its budget.
            for _ in 0..<5 {
                let forged = try await client.raw(Self.cardPath, body: Self.body, headers: [
                    ("X-JWS-Signature", SignatureAttackMatrixTests.jws(APIRouteTable.routes.first { $0.path == Self.cardPath }!, authID: busy.authID, secret: "wrong"))])
                #expect(forged.status == .unauthorized)
            }
            for _ in 0..<3 {
                let ok = try await client.cardAPI(Self.cardPath, Self.body, as: busy)
                #expect(ok.status == .ok)
            }
            let limited = try await client.cardAPI(Self.cardPath, Self.body, as: busy)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.json["error_code"] as? String == "rate_limited", "\(limited.text)")
            let gift = try await client.cardAPI("/v5/cards/product_list", "{}", as: busy)
            #expect(gift.status == .tooManyRequests)
            #expect(gift.json["status"] as? Int == -1, "gift routes answer in the gift envelope: \(gift.text)")
            let partner = try await client.partnerAPI("/v5/partner/rates/list", "{}", as: busy)
            #expect(partner.status == .tooManyRequests)
            #expect(partner.json["error_code"] as? Int == 429, "\(partner.text)")
            // Once the budget is spent a forgery is still refused for its signature (401), never told about the budget.
            let forged = try await client.raw(Self.cardPath, body: Self.body, headers: [
                ("X-JWS-Signature", SignatureAttackMatrixTests.jws(APIRouteTable.routes.first { $0.path == Self.cardPath }!, authID: busy.authID, secret: "wrong"))])
            #expect(forged.status == .unauthorized)
            let legacy = try await client.cardAPILegacy(Self.cardPath, Self.body, as: busy)
            #expect(legacy.status == .tooManyRequests, "the legacy Sign scheme spends the same budget")
            // Another credential keeps its own budget.
            let other = try await client.cardAPI(Self.cardPath, Self.body, as: quiet)
            #expect(other.status == .ok)
        }
    }

    @Test func rateLimitIsOffByDefault() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        #expect(server.services.configuration.rateLimit == nil)
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            for _ in 0..<50 {
                let response = try await client.cardAPI(Self.cardPath, Self.body, as: partner)
                #expect(response.status == .ok)
            }
        }
    }

    @Test func oversizedBodiesAreRefusedInTheEnvelope() async throws {
        let server = try await TestServer.make { $0.maxBodyBytes = 1024 }
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        let big = #"{"request_id":"x","pad":""# + String(repeating: "a", count: 2048) + #""}"#
        try await server.withRouter { client in
            let card = try await client.cardAPI(Self.cardPath, big, as: partner)
            expectCardAPIError(card, .contentTooLarge, "invalid_request", "request body exceeds 1024 bytes")
            let partnerAPI = try await client.partnerAPI("/v5/partner/rates/list", big, as: partner)
            #expect(partnerAPI.status == .contentTooLarge)
            #expect(partnerAPI.json["error_description"] as? String == "request body exceeds 1024 bytes")
        }
    }

    /// Past `maxInFlightRequests` a request is answered 503 at once in its API's envelope, not queued.
    @Test func requestsInFlightAreBounded() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: InFlightLimitMiddleware(limit: 1))
        let entered = Mutex(0)
        router.post("v5/partner/slow") { _, _ -> String in
            let first = entered.withLock { count -> Bool in count += 1; return count == 1 }
            if first { try await Task.sleep(for: .milliseconds(1500)) }
            return "done"
        }
        try await Application(router: router).test(.router) { client in
            async let slow = client.executeRequest(uri: "/v5/partner/slow", method: .post, headers: [:], body: nil)
            for _ in 0..<250 where entered.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let busy = try await client.executeRequest(uri: "/v5/partner/slow", method: .post, headers: [:], body: nil)
            #expect(busy.status == .serviceUnavailable)
            #expect(busy.json["error_code"] as? Int == 429, "\(busy.text)")
            #expect(try await slow.status == .ok)
            let after = try await client.executeRequest(uri: "/v5/partner/slow", method: .post, headers: [:], body: nil)
            #expect(after.status == .ok, "the slot is given back")
        }
    }

    /// A client that opens a connection and never finishes its headers is disconnected after the idle timeout,
    /// while other requests are served meanwhile.
    @Test func idleConnectionsAreClosed() async throws {
        let server = try await TestServer.make { $0.idleTimeoutSeconds = 1 }
        defer { Task { await server.cleanUp() } }
        try await server.withLiveServer { baseURL in
            let port = Int(baseURL.split(separator: ":").last!)!
            let socket = try SlowClient(port: port)
            defer { socket.close() }
            try socket.send("POST /v5/card-api/request/status HTTP/1.1\r\nHost: x\r\n")
            let started = Date()
            let other = try SlowClient(port: port)
            defer { other.close() }
            try other.send("GET /status/healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            // Blocking reads run on their own threads: on 2 cores they would otherwise starve the cooperative
            // pool that serves the very requests they wait for.
            #expect(await offPool { other.readAll() }.contains("\"ok\""), "served while the other connection hangs")
            let closed = await offPool { socket.waitForClose(timeout: 20) }
            #expect(closed, "the half-sent request was not disconnected")
            #expect(Date().timeIntervalSince(started) < 25)
        }
    }
}

/// Runs blocking socket I/O on a dispatch thread instead of a Swift concurrency worker.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// A blocking TCP client for sending partial requests.
final class SlowClient: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
    }

    /// True once the server closes the connection (read returns 0 or an error other than a timeout).
    func waitForClose(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = read(fd, &buffer, buffer.count)
            if count == 0 { return true }
            if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return true }
        }
        return false
    }

    /// Everything the server sends until it closes the connection (or 5 s pass).
    func readAll() -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(20)  // generous: the whole suite runs in parallel on 2 cores
        while Date() < deadline {
            let count = read(fd, &buffer, buffer.count)
            if count > 0 { bytes += buffer[0..<count] } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func close() { _ = Glibc.close(fd) }
}
