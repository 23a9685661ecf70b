import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct CardPINTests {
    static func setPIN(_ card: String, _ pin: String, partner: Partner, requestID: String? = nil) -> String {
        let sealed = try! CardDataCipher(partnerSecret: partner.secret, authID: partner.authID).seal(pin)
        return CardBodies.json(SetPINRequest(cardID: card, pin: sealed, requestID: requestID))
    }

    static func verify(_ pin: String, card: String, partner: Partner, server: TestServer) async throws -> PINTryCounter.Outcome {
        let service = CardService(secrets: server.services.credentials.secrets)
        return try await server.services.store.write { db in
            try await service.verifyPIN(pin, card: CardID(rawValue: card), partner: partner.id, now: server.clock.now(), in: db)
        }
    }

    @Test func encryptedPINIsStoredOnlyAsSaltedHashAndCountsWrongTries() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            #expect(try await Self.verify("4821", card: card, partner: owner, server: server) == .noPIN)
            let response = try await client.cardAPI("/v5/card-api/card/set_pin", Self.setPIN(card, "4821", partner: owner), as: owner)
            #expect(response.json["request_status"] as? String == "success", "\(response.text)")
            let stored = try await server.services.store.read { db in
                try await db.queryOne("SELECT pin_hash FROM payment_cards WHERE card_id = ?", [.text(card)])?.optionalText("pin_hash")
            }
            #expect(stored?.hasPrefix("pbkdf2-sha256$") == true)
            #expect(stored?.contains("4821") == false)

            #expect(try await Self.verify("4821", card: card, partner: owner, server: server) == .accepted)
            #expect(try await Self.verify("0000", card: card, partner: owner, server: server) == .wrong(remainingTries: 2))
            #expect(try await Self.verify("0001", card: card, partner: owner, server: server) == .wrong(remainingTries: 1))
            #expect(try await Self.verify("0002", card: card, partner: owner, server: server) == .locked)
            #expect(try await Self.verify("4821", card: card, partner: owner, server: server) == .locked)
            let locked = try await client.cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: card)), as: owner)
            #expect(locked.json["pin_locked"] as? Bool == true)

            let reset = try await client.cardAPI("/v5/card-api/card/reset_counter_pin", CardBodies.action(card, description: nil), as: owner)
            #expect(reset.json["request_status"] as? String == "success", "\(reset.text)")
            #expect(try await Self.verify("4821", card: card, partner: owner, server: server) == .accepted)
        }
    }

    @Test func setPINRefusesBadPINsAndUnknownOrClosedCards() async throws {
        try await withCardServer { _, owner, stranger, client in
            let (_, card) = try await client.issueCard(as: owner)
            try await client.expectError("/v5/card-api/card/set_pin", Self.setPIN(card, "12a4", partner: owner), as: owner, code: "validation_error", mentioning: "pin")
            try await client.expectError("/v5/card-api/card/set_pin", Self.setPIN(card, "12345", partner: owner), as: owner, code: "validation_error", mentioning: "pin")
            try await client.expectError("/v5/card-api/card/set_pin", #"{"card_id":"\#(card)","pin":"not base64!"}"#, as: owner, code: "validation_error", mentioning: "pin")
            try await client.expectError("/v5/card-api/card/set_pin", Self.setPIN(card, "1234", partner: stranger), as: owner,
                                         code: "validation_error", mentioning: "pin")
            try await client.expectError("/v5/card-api/card/set_pin", Self.setPIN("99999999", "1234", partner: owner), as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/card/set_pin", #"{"pin":"plain:1234"}"#, as: owner, code: "validation_error", mentioning: "card_id")
            _ = try await client.cardAPI("/v5/card-api/card/set_pin", Self.setPIN(card, "1234", partner: owner, requestID: "pin-1"), as: owner)
            try await client.expectError("/v5/card-api/card/set_pin", Self.setPIN(card, "5678", partner: owner, requestID: "pin-1"), as: owner, code: "duplicate_request_id")
            _ = try await client.cardAPI("/v5/card-api/card/close", CardBodies.action(card), as: owner)
            try await client.expectError("/v5/card-api/card/set_pin", Self.setPIN(card, "1234", partner: owner), as: owner, code: "invalid_card_state")
            try await client.expectError("/v5/card-api/card/reset_counter_pin", CardBodies.action(card), as: owner, code: "invalid_card_state")
        }
    }

    @Test func sandboxPlaintextFormOnlyInSandbox() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            _ = try await client.cardAPI("/v5/card-api/card/set_pin", #"{"card_id":"\#(card)","pin":"plain:2468"}"#, as: owner)
            #expect(try await Self.verify("2468", card: card, partner: owner, server: server) == .accepted)
        }
        let production = try await TestServer.make(sandbox: false)
        let partner = try await production.createPartner()
        try await production.withRouter { client in
            let (_, card) = try await client.issueCard(as: partner)
            try await client.expectError("/v5/card-api/card/set_pin", #"{"card_id":"\#(card)","pin":"plain:2468"}"#, as: partner,
                                         code: "validation_error", mentioning: "pin")
        }
        await production.cleanUp()
    }

    @Test func omittedPINIsGeneratedAndHashed() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            let response = try await client.cardAPI("/v5/card-api/card/set_pin", #"{"card_id":"\#(card)"}"#, as: owner)
            #expect(response.json["status"] as? String == "ok")
            let stored = try await server.services.store.read { db in
                try await db.queryOne("SELECT pin_hash FROM payment_cards WHERE card_id = ?", [.text(card)])?.optionalText("pin_hash")
            }
            #expect(stored?.hasPrefix("pbkdf2-sha256$") == true)
        }
    }
}
