import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing
@preconcurrency import _CryptoExtras

@testable import FreedomPayServer

/// Another partner's client and card ids must look unknown on every endpoint, and change nothing.
@Suite struct CardOwnershipTests {
    @Test func strangerCannotReadOrChangeOwnersClientsAndCards() async throws {
        try await withCardServer { server, owner, stranger, client in
            let (clientID, card) = try await client.issueCard(as: owner)
            let (strangerClient, _) = try await client.issueCard(as: stranger)
            let info = try await client.cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: card)), as: owner)
            let token = try #require(info.json["card_token"] as? String)
            let before = try await Self.snapshot(server)
            let uuid = CardBodies.uuid
            let pin = try CardDataCipher(partnerSecret: stranger.secret, authID: stranger.authID).seal("1234")
            let cardCases: [(String, String)] = [
                ("card/info", CardBodies.json(CardRequest(cardID: card))),
                ("card/balance", CardBodies.json(CardRequest(cardID: card))),
                ("card/secret", CardBodies.json(CardRequest(cardID: card))),
                ("card/secret_v2", CardBodies.json(CardSecretV2Request(cardID: card, publicKey: Self.publicKeyPEM))),
                ("card/activate", CardBodies.action(card)),
                ("card/block", CardBodies.action(card)),
                ("card/unblock", CardBodies.action(card)),
                ("card/close", CardBodies.action(card)),
                ("card/reset_counter_pin", CardBodies.action(card)),
                ("card/set_pin", CardBodies.json(SetPINRequest(cardID: card, pin: pin))),
                ("card/link", CardBodies.json(CardLinkRequest(requestID: uuid(), clientID: strangerClient, cardID: card))),
                ("limits/set", LimitEndpointTests.set("card", card, limits: [LimitEndpointTests.atm])),
                ("limits/list", CardBodies.json(ListLimitsRequest(requestID: uuid(), object: LimitObject(type: "card", value: card)))),
                ("external/cardholder_validate", CardBodies.json(CardholderValidateRequest(
                    userPhone: "7077070707", firstName: "Ivan", lastName: "Ivanov", cardToken: token, requestID: uuid()))),
            ]
            for (path, body) in cardCases {
                try await client.expectError("/v5/card-api/" + path, body, as: stranger, code: "card_not_found")
            }
            let clientCases: [(String, String)] = [
                ("client/update", CardBodies.json(ClientUpdateRequest(requestID: uuid(), clientID: clientID, productID: 2000, client: ClientPhone(phone: 77010000000)))),
                ("client/cards", CardBodies.json(ClientCardsRequest(clientID: clientID))),
                ("card/issue", CardBodies.json(IssueCardRequest(requestID: uuid(), productID: 2000, clientID: clientID))),
                ("card/issue_plastic", CardBodies.json(IssuePlasticCardRequest(requestID: uuid(), productID: 2000, clientID: clientID))),
                ("limits/set", LimitEndpointTests.set("client", clientID, limits: [LimitEndpointTests.atm])),
                ("limits/list", CardBodies.json(ListLimitsRequest(requestID: uuid(), object: LimitObject(type: "client", value: clientID)))),
            ]
            for (path, body) in clientCases {
                try await client.expectError("/v5/card-api/" + path, body, as: stranger, code: "client_not_found")
            }
            let after = try await Self.snapshot(server)
            #expect(before == after, "the stranger's calls changed the owner's rows")
        }
    }

    /// The owner's cards, clients and limits as text, to compare before and after.
    static func snapshot(_ server: TestServer) async throws -> [String] {
        try await server.services.store.read { db in
            var lines: [String] = []
            for row in try await db.query("SELECT card_id, client_id, status, pin_hash, pin_failed_tries, updated_at FROM payment_cards ORDER BY card_id", []) {
                lines.append(row.values.map { "\($0)" }.joined(separator: "|"))
            }
            for row in try await db.query("SELECT client_id, phone, updated_at FROM card_clients ORDER BY client_id", []) {
                lines.append(row.values.map { "\($0)" }.joined(separator: "|"))
            }
            let limits = try await db.queryOne("SELECT COUNT(*) AS n FROM card_limits", [])?.int("n") ?? -1
            lines.append("limits=\(limits)")
            return lines
        }
    }

    static var publicKeyPEM: String {
        (try? _RSA.Encryption.PrivateKey(keySize: .bits2048))?.publicKey.pemRepresentation ?? ""
    }
}
