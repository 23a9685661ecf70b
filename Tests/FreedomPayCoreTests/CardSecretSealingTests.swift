import Crypto
import Foundation
import FreedomPayCore
import FreedomPayWire
import Testing
import _CryptoExtras

/// `card/secret_v2` takes an RSA key from the caller: every malformed key is a validation error, never a crash.
/// (swift-crypto's own PEM parser frees the key twice when it cannot parse it; the fuzzer found the abort.)
@Suite struct CardSecretSealingTests {
    /// One 2048-bit key for the suite (kept as DER: the key type is not Sendable).
    static let privateKeyDER = try! _RSA.Encryption.PrivateKey(keySize: .bits2048).derRepresentation
    static var privateKey: _RSA.Encryption.PrivateKey { try! .init(derRepresentation: privateKeyDER) }

    static func pem(_ label: String, _ der: some Sequence<UInt8>) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----"
    }

    @Test(arguments: [
        "not a key",
        pem("PUBLIC KEY", Array("garbage that is no DER at all".utf8)),
        pem("RSA PUBLIC KEY", Array("garbage that is no DER at all".utf8)),
        pem("PUBLIC KEY", [0x30, 0x03, 0x02, 0x01, 0x05]),
        pem("RSA PUBLIC KEY", [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03]),
        pem("PUBLIC KEY", privateKey.publicKey.derRepresentation.dropLast(7)),
        pem("PRIVATE KEY", privateKey.derRepresentation),
        P256.Signing.PrivateKey().publicKey.pemRepresentation,
        try! _RSA.Encryption.PrivateKey(unsafeKeySize: .init(bitCount: 1024)).publicKey.pemRepresentation,
    ])
    func malformedOrWeakKeysAreRefusedCleanly(_ pem: String) {
        #expect(throws: CardRuleError.self) { try CardSecretSealing.RSAKey(pem: pem) }
    }

    @Test func evenOrTinyExponentsAreRefused() throws {
        let modulus = try Self.privateKey.publicKey.getKeyPrimitives().modulus
        for exponent: [UInt8] in [[0x01], [0x01, 0x00, 0x00], [0x00]] {
            var sequence: [UInt8] = []
            let n = [0x02] + Self.derLength(modulus.count + 1) + [0x00] + Array(modulus)
            let e = [0x02] + Self.derLength(exponent.count) + exponent
            sequence = [0x30] + Self.derLength(n.count + e.count) + n + e
            #expect(throws: CardRuleError.self) { try CardSecretSealing.RSAKey(pem: Self.pem("RSA PUBLIC KEY", sequence)) }
        }
    }

    @Test(arguments: [false, true])
    func sealedSecretsOpenWithTheCallersPrivateKey(pkcs1: Bool) throws {
        let publicKey = Self.privateKey.publicKey
        let key = try CardSecretSealing.RSAKey(pem: pkcs1 ? publicKey.pkcs1PEMRepresentation : publicKey.pemRepresentation)
        let plain = CardSecretPlain(pan: "4400430000001234", expiry: "12/29", cvv: "123")
        let sealed = try #require(Data(base64Encoded: try key.seal(plain)))
        let opened = try Self.privateKey.decrypt(sealed, padding: .PKCS1_OAEP_SHA256)
        #expect(try JSONDecoder().decode(CardSecretPlain.self, from: opened) == plain)
    }

    static func derLength(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        let bytes = withUnsafeBytes(of: UInt32(count).bigEndian, Array.init).drop { $0 == 0 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }
}
