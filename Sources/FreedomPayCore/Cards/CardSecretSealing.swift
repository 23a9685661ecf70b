import Foundation
import FreedomPayWire
import _CryptoExtras

/// Sealing of card secrets for `card/secret_v2`: RSA-OAEP with SHA-256 under the caller's public key
/// (card-api.md §3.20 [inferred]: the docs say "RSA"; the padding and hash are our choice).
public enum CardSecretSealing {
    public struct RSAKey: Sendable {
        /// The validated key's numbers (the key type itself is not Sendable).
        let numbers: RSAPublicKeyNumbers

        /// A PEM (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`) RSA key of 2048 to 16384 bits.
        public init(pem: String) throws(CardRuleError) {
            let invalid = CardRuleError.validation("field 'public_key' must be a PEM RSA public key of at least 2048 bits")
            guard pem.utf8.count <= 16 * 1024, let numbers = try? RSAPublicKeyNumbers(pem: pem),
                  (2048...16384).contains(numbers.modulusBits), numbers.exponentIsUsable,
                  (try? Self.key(numbers)) != nil else { throw invalid }
            self.numbers = numbers
        }

        /// Only ever built from parsed numbers; see `RSAPublicKeyNumbers` for why not from the PEM.
        private static func key(_ numbers: RSAPublicKeyNumbers) throws -> _RSA.Encryption.PublicKey {
            try _RSA.Encryption.PublicKey(n: numbers.modulus, e: numbers.exponent)
        }

        /// Base64 of RSA-OAEP-SHA256(JSON `{"cvv","expiry","pan"}`).
        public func seal(_ plain: CardSecretPlain) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let key = try Self.key(numbers)
            return try key.encrypt(try encoder.encode(plain), padding: .PKCS1_OAEP_SHA256).base64EncodedString()
        }
    }
}
