import Foundation
import FreedomPayCore
import FreedomPayWire
import HummingbirdTesting
import Testing
@preconcurrency import _CryptoExtras

@testable import FreedomPayServer

@Suite struct CardReadEndpointTests {
    @Test func infoShowsOnlyTheMaskedPAN() async throws {
        try await withCardServer { server, owner, _, client in
            let (clientID, card) = try await client.issueCard(as: owner)
            let info = try await client.cardAPI("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: card)), as: owner)
            #expect(info.json["client_id"] as? String == clientID)
            #expect(info.json["currency"] as? String == "KZT")
            #expect(info.json["product_id"] as? Int == 2000)
            let expiry = try #require(info.json["expiry"] as? String)
            #expect(expiry.count == 5 && expiry.contains("/"))
            let secret = try await client.cardAPI("/v5/card-api/card/secret", CardBodies.json(CardRequest(cardID: card)), as: owner)
            let cipher = CardDataCipher(partnerSecret: owner.secret, authID: owner.authID)
            let pan = try cipher.open(try #require(secret.json["pan"] as? String))
            #expect(info.json["card_mask"] as? String == PAN.mask(pan))
            #expect(!info.text.contains(pan))
            try await client.expectError("/v5/card-api/card/info", CardBodies.json(CardRequest(cardID: "99999999")), as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/card/info", "{}", as: owner, code: "validation_error", mentioning: "card_id")
            _ = server
        }
    }

    @Test func cardPastItsExpiryMonthReadsExpiredAndAcceptsNoChange() async throws {
        try await withCardServer { server, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            server.clock.advance(by: 3 * 366 * 86_400 + 31 * 86_400)
            #expect(try await client.cardStatus(card, as: owner) == 5)
            try await client.expectError("/v5/card-api/card/block", CardBodies.action(card), as: owner, code: "invalid_card_state")
        }
    }

    @Test func secretV1IsEncryptedWithThePartnersCardDataKey() async throws {
        try await withCardServer { _, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            let secret = try await client.cardAPI("/v5/card-api/card/secret", CardBodies.json(CardRequest(cardID: card)), as: owner)
            let cipher = CardDataCipher(partnerSecret: owner.secret, authID: owner.authID)
            let pan = try cipher.open(try #require(secret.json["pan"] as? String))
            let cvv = try cipher.open(try #require(secret.json["cvv"] as? String))
            let expiry = try cipher.open(try #require(secret.json["expiry"] as? String))
            #expect(PAN.isLuhnValid(pan) && pan.hasPrefix("440043"))
            #expect(cvv.count == 3 && cvv.allSatisfy(\.isNumber))
            #expect(expiry.count == 5)
            #expect(!secret.text.contains(pan))
            try await client.expectError("/v5/card-api/card/secret", CardBodies.json(CardRequest(cardID: "99999999")), as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/card/secret", "{}", as: owner, code: "validation_error", mentioning: "card_id")
            _ = try await client.cardAPI("/v5/card-api/card/close", CardBodies.action(card), as: owner)
            try await client.expectError("/v5/card-api/card/secret", CardBodies.json(CardRequest(cardID: card)), as: owner, code: "invalid_card_state")
        }
    }

    @Test func secretV2IsRSAOAEPUnderTheCallersKey() async throws {
        let privateKey = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let pem = privateKey.publicKey.pemRepresentation
        try await withCardServer { _, owner, _, client in
            let (_, card) = try await client.issueCard(as: owner)
            let response = try await client.cardAPI("/v5/card-api/card/secret_v2", CardBodies.json(CardSecretV2Request(cardID: card, publicKey: pem)), as: owner)
            let encoded = try #require(response.json["data"] as? String, "\(response.text)")
            let data = try #require(Data(base64Encoded: encoded))
            let plain = try JSONDecoder().decode(CardSecretPlain.self, from: try privateKey.decrypt(data, padding: .PKCS1_OAEP_SHA256))
            #expect(PAN.isLuhnValid(plain.pan) && plain.cvv.count == 3)
            let v1 = try await client.cardAPI("/v5/card-api/card/secret", CardBodies.json(CardRequest(cardID: card)), as: owner)
            let cipher = CardDataCipher(partnerSecret: owner.secret, authID: owner.authID)
            #expect(try cipher.open(v1.json["pan"] as? String ?? "") == plain.pan)
            try await client.expectError("/v5/card-api/card/secret_v2", CardBodies.json(CardSecretV2Request(cardID: card, publicKey: "not a key")),
                                         as: owner, code: "validation_error", mentioning: "public_key")
            try await client.expectError("/v5/card-api/card/secret_v2", CardBodies.json(CardSecretV2Request(cardID: "99999999", publicKey: pem)), as: owner, code: "card_not_found")
            try await client.expectError("/v5/card-api/card/secret_v2", #"{"card_id":"\#(card)"}"#, as: owner, code: "validation_error", mentioning: "public_key")
        }
    }

    @Test func dictionariesListTheDocumentedCodes() async throws {
        try await withCardServer { _, owner, _, client in
            let response = try await client.cardAPI("/v5/card-api/dictionaries", "{}", as: owner)
            let products = (response.json["client_product"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(products == ["1000", "2000", "3000"])
            let statuses = (response.json["card_status"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(statuses == ["0", "1", "2", "3", "4", "5"])
            let requestStatuses = (response.json["request_statuses"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(requestStatuses == ["success", "process", "error"])
            #expect((response.json["card_block"] as? [Any])?.isEmpty == false)
            #expect((response.json["card_product"] as? [Any])?.isEmpty == false)
            try await client.expectError("/v5/card-api/dictionaries", "[1]", as: owner, code: "invalid_request")
        }
    }
}
