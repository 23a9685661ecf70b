import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// Bodies and multi-step setups shared by the Payment Cards tests.
enum CardBodies {
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    static func uuid() -> String { UUID().uuidString.lowercased() }

    /// A minimal valid client of product 2000 (no KYC extras needed).
    static func client(requestID: String = uuid(), product: Int = 2000, phone: Int64 = 77077070707) -> String {
        json(ClientAddRequest(requestID: requestID, productID: product, client: ClientData(
            phone: phone, type: 1, resident: 1, firstName: "IVAN", lastName: "IVANOV")))
    }

    static func action(_ cardID: String, description: String? = "test", requestID: String = uuid()) -> String {
        json(CardActionRequest(requestID: requestID, cardID: cardID, description: description))
    }
}

extension TestClientProtocol {
    /// Creates a product-2000 client and returns its id.
    func addClient(as partner: Partner, phone: Int64 = 77077070707) async throws -> String {
        let response = try await cardAPI("/v5/card-api/client/add", CardBodies.client(phone: phone), as: partner)
        let id = try #require(response.json["client_id"] as? String, "client/add answered \(response.text)")
        return id
    }

    /// The `cards[]` request/status reports for `requestID`.
    func cardsOf(request requestID: String, as partner: Partner) async throws -> [String] {
        let status = try await cardAPI("/v5/card-api/request/status", #"{"request_id":"\#(requestID)"}"#, as: partner)
        return (status.json["cards"] as? [[String: Any]] ?? []).compactMap { $0["card_id"] as? String }
    }

    /// Issues a virtual (activated) card, or a plastic (issued) one, for a new client; returns (client, card).
    func issueCard(as partner: Partner, plastic: Bool = false) async throws -> (client: String, card: String) {
        let client = try await addClient(as: partner)
        let requestID = CardBodies.uuid()
        let path = plastic ? "/v5/card-api/card/issue_plastic" : "/v5/card-api/card/issue"
        let response = try await cardAPI(path, CardBodies.json(IssueCardRequest(requestID: requestID, productID: 2000, clientID: client)), as: partner)
        #expect(response.json["status"] as? String == "ok", "\(response.text)")
        let cards = try await cardsOf(request: requestID, as: partner)
        return (client, try #require(cards.first))
    }

    func cardStatus(_ cardID: String, as partner: Partner) async throws -> Int? {
        let info = try await cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: cardID)), as: partner)
        return info.json["card_status"] as? Int
    }

    func expectError(_ path: String, _ body: String, as partner: Partner, code: String, mentioning: String? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await cardAPI(path, body, as: partner)
        #expect(response.json["status"] as? String == "error", "\(path): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.json["error_code"] as? String == code, "\(path): \(response.text)", sourceLocation: sourceLocation)
        if let mentioning {
            let description = response.json["error_description"] as? String ?? ""
            #expect(description.contains(mentioning), "\(path): '\(description)' should mention \(mentioning)", sourceLocation: sourceLocation)
        }
    }
}

/// Runs `body` against a fresh server with two partners: the owner and a stranger.
func withCardServer(
    configure: @escaping @Sendable (inout ServerConfiguration) -> Void = { _ in },
    _ body: @escaping @Sendable (TestServer, Partner, Partner, any TestClientProtocol) async throws -> Void
) async throws {
    let server = try await TestServer.make(configure: configure)
    let owner = try await server.createPartner(name: "Owner")
    let stranger = try await server.createPartner(name: "Stranger")
    do {
        try await server.withRouter { client in try await body(server, owner, stranger, client) }
    } catch {
        await server.cleanUp()
        throw error
    }
    await server.cleanUp()
}
