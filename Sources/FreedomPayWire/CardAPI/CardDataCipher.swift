import Crypto
import Foundation

/// Transport encryption of card secrets between a partner and us: the PIN of `card/set_pin` and the
/// `pan`/`expiry`/`cvv` of `card/secret` (card-api.md §3.8 [inferred]: the docs name "AES 256" only).
///
/// Key: HKDF-SHA256 of the partner's shared secret (salt `freedompay-card-data`, info = auth id), 32 bytes,
/// so both sides derive it without another key exchange. Value: Base64 of `nonce(12) || ciphertext || tag(16)`
/// (AES-256-GCM).
public struct CardDataCipher: Sendable {
    /// Raw key bytes (SymmetricKey is not Sendable).
    let keyBytes: [UInt8]
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(partnerSecret: String, authID: String) {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(partnerSecret.utf8)), salt: Array("freedompay-card-data".utf8),
            info: Array(authID.utf8), outputByteCount: 32)
        keyBytes = derived.withUnsafeBytes { Array($0) }
    }

    public func seal(_ text: String) throws -> String {
        let box = try AES.GCM.seal(Array(text.utf8), using: key)
        guard let combined = box.combined else { throw CardDataCipherError.malformed }
        return combined.base64EncodedString()
    }

    public func open(_ encoded: String) throws(CardDataCipherError) -> String {
        guard let data = Data(base64Encoded: encoded), data.count > 12 + 16 else { throw .malformed }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw .authenticationFailed
        }
    }
}

public enum CardDataCipherError: Error, Equatable, Sendable {
    /// Not Base64 of `nonce || ciphertext || tag`.
    case malformed
    /// Wrong key or tampered value.
    case authenticationFailed
}
