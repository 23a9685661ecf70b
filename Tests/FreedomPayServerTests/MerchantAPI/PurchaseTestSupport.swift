import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Callback timings short enough for tests: retry every 200 ms for 600 ms (4 attempts), poll every 20 ms.
func fastCallbacks(_ configuration: inout ServerConfiguration) {
    configuration.callbackRetryIntervalMs = 200
    configuration.callbackRetryWindowMs = 600
    configuration.callbackPollIntervalMs = 20
    configuration.callbackTimeoutMs = 2_000
}

/// Fast polling, but retries for 30 s: for tests of what a delivered callback carries, which must not give up
/// when a loaded machine (the whole suite in parallel on two cores) fails a few attempts in a row.
func patientCallbacks(_ configuration: inout ServerConfiguration) {
    fastCallbacks(&configuration)
    configuration.callbackRetryWindowMs = 30_000
}

extension TestServer {
    /// A new server process on the same data folder (the old one must be closed first).
    func reopened(configure: @Sendable (inout ServerConfiguration) -> Void = fastCallbacks) async throws -> TestServer {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory, sandbox: true)
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let services = try await FreedomPayApplication.makeServices(configuration: configuration, clock: clock, logger: logger)
        return TestServer(services: services, directory: directory, clock: clock)
    }

    /// A dispatcher driven by hand (`drainOnce`), for deterministic schedule tests.
    var dispatcher: CallbackDispatcher {
        CallbackDispatcher(services: services, effects: CallbackDispatcher.effects(services))
    }

    func payment(_ id: String, of merchant: Merchant) async throws -> PurchasePayment? {
        try await services.store.read { db in
            try await PurchaseRepository().payment(id: PaymentID(rawValue: Int64(id)!), merchant: merchant.id, in: db)
        }
    }

    func resultCallbacks(_ paymentID: String) async throws -> [OutboxCallback] {
        try await services.store.read { db in try await OutboxRepository().callbacks(kind: .result, subjectID: paymentID, in: db) }
    }
}

/// The documented test cards (merchant-api.md §6.1).
enum TestCard {
    static let frictionless = "4716047261941981"
    static let threeDS = "4916307416334310"
    static let threeDSNoClearing = "5367654276102126"
    static let noClearing = "4939770956154989"
    static let declined = "5335215945367703"
    static let insufficientFunds = "5548398681700148"
    static let unionPay = "6224466455690681278"
}

extension TestClientProtocol {
    /// init_payment.php with sensible defaults; `fields` override or add.
    func initPayment(_ merchant: Merchant, _ fields: [(String, String)] = [], omit: Set<String> = []) async throws -> TestResponse {
        var parameters: [PGParameter] = [
            PGParameter("pg_order_id", "ORD-\(UUID().uuidString.prefix(8))"),
            PGParameter("pg_amount", "1500"),
            PGParameter("pg_currency", "KZT"),
            PGParameter("pg_description", "Order description"),
        ].filter { !omit.contains($0.name) }
        for (name, value) in fields {
            parameters.removeAll { $0.name == name }
            parameters.append(PGParameter(name, value))
        }
        return try await merchantAPI("/init_payment.php", parameters, as: merchant)
    }

    /// Creates a payment and pays it on the hosted page with `card`; returns the payment id and the page answer.
    func paidPayment(_ merchant: Merchant, card: String = TestCard.frictionless, _ fields: [(String, String)] = []) async throws -> (id: String, page: TestResponse) {
        let created = try await initPayment(merchant, fields)
        let id = try #require(created.xml.value("pg_payment_id"), "init_payment failed: \(created.text)")
        let page = try await submitCard(redirectURL: try #require(created.xml.value("pg_redirect_url")), number: card)
        return (id, page)
    }

    /// POSTs the card form of the hosted page as a browser without JavaScript would.
    func submitCard(redirectURL: String, number: String, expiry: String = "12/39", cvv: String = "123", holder: String = "Ivan Ivanov") async throws -> TestResponse {
        let body = "card_number=\(number)&expiry=\(expiry.replacingOccurrences(of: "/", with: "%2F"))&cvv=\(cvv)&holder=\(holder.replacingOccurrences(of: " ", with: "+"))"
        return try await executeRequest(
            uri: TestClient.path(of: redirectURL), method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    func submitThreeDS(redirectURL: String, code: String) async throws -> TestResponse {
        try await executeRequest(
            uri: TestClient.path(of: redirectURL) + "/3ds", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "code=\(code)"))
    }
}

extension TestResponse {
    var location: String? { headers[.location] }
}
