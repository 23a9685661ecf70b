import Foundation
import FreedomPayWire
import _CryptoExtras

/// Sealing of card secrets for `card/secret_v2`: RSA-OAEP with SHA-256 under the caller's public key
/// (card-api.md §3.20 [inferred]: the docs say "RSA"; the padding and hash are our choice).
public enum CardSecretSealing {
    public struct RSAKey: Sendable {
        /// DER of the validated key (the key type itself is not Sendable).
        let der: Data

        /// A PEM (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`) RSA key of at least 2048 bits.
        public init(pem: String) throws(CardRuleError) {
            do {
                der = try _RSA.Encryption.PublicKey(pemRepresentation: pem).derRepresentation
            } catch {
                throw .validation("field 'public_key' must be a PEM RSA public key of at least 2048 bits")
            }
        }

        /// Base64 of RSA-OAEP-SHA256(JSON `{"cvv","expiry","pan"}`).
        public func seal(_ plain: CardSecretPlain) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let key = try _RSA.Encryption.PublicKey(derRepresentation: der)
            return try key.encrypt(try encoder.encode(plain), padding: .PKCS1_OAEP_SHA256).base64EncodedString()
        }
    }
}
