import Foundation
import Synchronization
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// A callback receiver that accepts the connection and never answers costs the dispatcher one bounded attempt
/// (`callbackTimeoutMs`), and requests are answered at full speed meanwhile: delivery runs from the outbox, never
/// inside a request.
@Suite struct DeadCallbackReceiverTests {
    @Test func aReceiverThatNeverAnswersBlocksNoRequest() async throws {
        // A long timeout so the requests below finish well inside the one attempt even when the whole suite
        // shares two busy cores (every test runs at once; seen: 20 requests taking over 15 s).
        let server = try await TestServer.make { $0.callbackTimeoutMs = 30_000 }
        defer { Task { await server.cleanUp() } }
        let merchant = try await server.createMerchant()
        let partner = try await server.createPartner()
        let receiver = try SilentListener()
        defer { receiver.close() }
        _ = try await server.paidPaymentDirectly(merchant, resultURL: "http://127.0.0.1:\(receiver.port)/result")
        let started = ContinuousClock.now
        let drainFinished = Mutex(false)
        let drain = Task {
            defer { drainFinished.withLock { $0 = true } }
            return try await server.dispatcher.drainOnce()
        }
        try await Task.sleep(for: .milliseconds(100))
        let answered = try await server.withRouter { client in
            var answered = 0
            for _ in 0..<20 {
                let response = try await client.cardAPI("/v5/card-api/request/status", #"{"request_id":"b1c2d3e4-0000-4000-8000-000000000001"}"#, as: partner)
                if response.status == .ok { answered += 1 }
            }
            _ = try await client.initPayment(merchant)
            return answered
        }
        let requestsDone = ContinuousClock.now - started
        let drainWasRunning = !drainFinished.withLock { $0 }
        let attempted = try await drain.value
        let drainDone = ContinuousClock.now - started
        #expect(answered == 20)
        #expect(attempted == 1, "the dead receiver's callback was attempted")
        #expect(drainWasRunning, "requests waited for the dead receiver: \(requestsDone)")
        #expect(drainDone >= .milliseconds(29_900) && drainDone < .seconds(90), "one attempt is bounded by the timeout: \(drainDone)")
    }
}

extension DeadCallbackReceiverTests {
    /// One merchant's receiver that never answers takes one delivery slot for a whole attempt; another
    /// merchant's callback created meanwhile is delivered while that attempt is still open, not after it times out.
    /// Measured against the dead attempt itself (still unrecorded when the live delivery lands), not against the
    /// wall clock: under the whole suite on two cores, a payment alone has taken many seconds.
    @Test func aDeadReceiverDoesNotHoldBackOtherMerchantsCallbacks() async throws {
        let server = try await TestServer.make {
            $0.callbackTimeoutMs = 60_000
            $0.callbackPollIntervalMs = 20
        }
        defer { Task { await server.cleanUp() } }
        let slowMerchant = try await server.createMerchant()
        let merchant = try await server.createMerchant()
        let silent = try SilentListener()
        defer { silent.close() }
        let receiver = MerchantReceiver(secret: merchant.paymentSecret)
        try await receiver.run { shop in
            let dispatcher = Task { await server.dispatcher.pipeline() }
            defer { dispatcher.cancel() }
            let slowPayment = try await server.paidPaymentDirectly(slowMerchant, resultURL: "http://127.0.0.1:\(silent.port)/result")
            let slowConnected = try await eventually(seconds: 30) { silent.hasWaitingConnection() }
            #expect(slowConnected, "the dead receiver's callback was never attempted")
            let payment = try await server.paidPaymentDirectly(merchant, resultURL: shop + "/result")
            let delivered = try await eventually(seconds: 55) {
                try await server.resultCallbacks(String(payment.id.rawValue)).first?.delivery.state == .delivered(.accepted)
            }
            let slow = try #require(try await server.resultCallbacks(String(slowPayment.id.rawValue)).first)
            #expect(delivered, "the live receiver's callback was not delivered")
            #expect(slow.delivery.attempts == 0 && slow.delivery.state == .pending,
                    "the live callback waited until the dead attempt ended: \(slow.delivery)")
            #expect(receiver.received("result").count == 1)
        }
    }
}

/// A TCP listener that never accepts: connections complete in the kernel backlog and then hear nothing.
final class SilentListener: @unchecked Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: actual.sin_port))
    }

    /// Whether a client has connected (the connection waits in the backlog, unanswered).
    func hasWaitingConnection() -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 1 && entry.revents & Int16(POLLIN) != 0
    }

    func close() { _ = Glibc.close(fd) }
}
