import Foundation
import FreedomPayCore
import FreedomPayStore
import Testing

@Suite struct CredentialsRepositoryTests {
    @Test func partnerAndMerchantRoundTripWithSealedSecrets() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        let partner = try await store.write { db in
            try await credentials.createPartner(name: "Bank", authID: "123456", secret: "PartnerSecretValue-0123456789", in: db)
        }
        let merchant = try await store.write { db in
            try await credentials.createMerchant(
                name: "Shop", id: MerchantID(rawValue: 545454), paymentSecret: "PaymentSecretValue-42",
                payoutSecret: "PayoutSecretValue-77", in: db)
        }
        let generated = try await store.write { db in try await credentials.createPartner(name: "Generated", in: db) }
        #expect(generated.authID.count == 6 && Int(generated.authID) != nil)
        #expect(generated.secret.count == 32)

        #expect(try await store.read { db in try await credentials.partner(authID: "123456", in: db) } == partner)
        #expect(try await store.read { db in try await credentials.merchant(id: MerchantID(rawValue: 545454), in: db) } == merchant)
        #expect(try await store.read { db in try await credentials.partner(authID: "654321", in: db) } == nil)
        #expect(try await store.read { db in try await credentials.partnerCount(in: db) } == 2)

        await #expect(throws: StoreError.uniqueViolation("partners.auth_id")) {
            try await store.write { db in try await credentials.createPartner(name: "Again", authID: "123456", in: db) }
        }
        try await store.close()

        let bytes = try temp.allBytes()
        for secret in ["PartnerSecretValue-0123456789", "PaymentSecretValue-42", "PayoutSecretValue-77", generated.secret] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "a secret is stored in clear")
        }
        #expect(bytes.range(of: Data("Bank".utf8)) != nil, "sanity: the file does hold the partner row")
    }

    /// A store opened with another key cannot read the secrets (they are sealed, not encoded).
    @Test func secretsNeedTheKey() async throws {
        let temp = try TempStore()
        defer { temp.remove() }
        let store = try await temp.open()
        let writer = CredentialsRepository(secrets: SecretBox(current: .generate()))
        _ = try await store.write { db in try await writer.createPartner(name: "Bank", authID: "111111", in: db) }
        let stranger = CredentialsRepository(secrets: SecretBox(current: .generate()))
        await #expect(throws: (any Error).self) {
            try await store.read { db in try await stranger.partner(authID: "111111", in: db) }
        }
        try await store.close()
    }
}

@Suite struct SecretBoxTests {
    @Test func sealOpenRoundTripAndFreshNonces() throws {
        let box = SecretBox(current: .generate(id: 3))
        let first = try box.seal("4400440044004400")
        let second = try box.seal("4400440044004400")
        #expect(first != second)
        #expect(first[0] == 1 && first[1] == 3)
        #expect(try box.openText(first) == "4400440044004400")
        #expect(Data(first).range(of: Data("4400440044004400".utf8)) == nil)
    }

    @Test func dataSealedWithARetiredKeyStillOpens() throws {
        let old = SecretBox.Key.generate(id: 1)
        let new = SecretBox.Key.generate(id: 2)
        let sealedBefore = try SecretBox(current: old).seal("before rotation")
        let rotated = SecretBox(current: new, retired: [old])
        #expect(try rotated.openText(sealedBefore) == "before rotation")
        let sealedAfter = try rotated.seal("after rotation")
        #expect(sealedAfter[1] == 2)
        #expect(try rotated.openText(sealedAfter) == "after rotation")
        // Without the retired key the old data names a key the box does not hold.
        #expect(throws: SecretBoxError.unknownKey(1)) { try SecretBox(current: new).open(sealedBefore) }
    }

    @Test func wrongKeyOrMalformedDataFails() throws {
        let sealed = try SecretBox(current: .generate(id: 1)).seal("secret")
        // Same key id, different key bytes: authentication fails.
        #expect(throws: (any Error).self) { try SecretBox(current: .generate(id: 1)).open(sealed) }
        let box = SecretBox(current: .generate(id: 1))
        #expect(throws: SecretBoxError.corrupt) { try box.open(Array(sealed.prefix(20))) }
        var wrongVersion = sealed
        wrongVersion[0] = 9
        #expect(throws: SecretBoxError.corrupt) { try box.open(wrongVersion) }
    }

    @Test func tamperedCiphertextFailsUnderTheRightKey() throws {
        let key = SecretBox.Key.generate(id: 1)
        let box = SecretBox(current: key)
        let sealed = try box.seal("secret")
        for index in [2, 15, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 0x80
            #expect(throws: (any Error).self) { try box.open(tampered) }
        }
    }

    @Test func keyEncodingRoundTrip() throws {
        let key = SecretBox.Key.generate(id: 7)
        let parsed = try SecretBox.Key(encoded: key.encoded)
        #expect(parsed.id == 7)
        let sealed = try SecretBox(current: key).seal("x")
        #expect(try SecretBox(current: parsed).openText(sealed) == "x")
        let bare = try SecretBox.Key(encoded: Data(repeating: 1, count: 32).base64EncodedString())
        #expect(bare.id == 1)
        #expect(throws: SecretBoxError.self) { try SecretBox.Key(encoded: Data(repeating: 1, count: 16).base64EncodedString()) }
        #expect(throws: SecretBoxError.self) { try SecretBox.Key(encoded: "x:not base64") }
    }
}
