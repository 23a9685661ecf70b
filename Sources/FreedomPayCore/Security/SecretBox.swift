import Crypto
import Foundation

/// AES-256-GCM sealing of secrets at rest (partner secrets, PAN, CVV).
///
/// Sealed format: `version(1) | key id(1) | nonce(12) | ciphertext | tag(16)`. The key id lets a
/// keyring hold retired keys so data sealed before a rotation still opens.
public struct SecretBox: Sendable {
    public struct Key: Sendable {
        public let id: UInt8
        let bytes: [UInt8]
        var key: SymmetricKey { SymmetricKey(data: bytes) }

        public init(id: UInt8, bytes: [UInt8]) throws(SecretBoxError) {
            guard bytes.count == 32 else { throw .invalidKey("an encryption key is 32 bytes, got \(bytes.count)") }
            self.id = id
            self.bytes = bytes
        }

        /// Parses `base64` (32 bytes) or `id:base64`.
        public init(encoded: String) throws(SecretBoxError) {
            let parts = encoded.split(separator: ":", maxSplits: 1)
            let id = parts.count == 2 ? UInt8(parts[0]) : 1
            guard let id, let data = Data(base64Encoded: String(parts.last ?? "")) else {
                throw .invalidKey("expected base64 of 32 bytes, optionally prefixed by 'keyid:'")
            }
            try self.init(id: id, bytes: [UInt8](data))
        }

        public static func generate(id: UInt8 = 1) -> Key {
            // swiftlint:disable:next force_try
            try! Key(id: id, bytes: (0..<32).map { _ in UInt8.random(in: .min ... .max) })
        }

        public var encoded: String {
            "\(id):" + Data(bytes).base64EncodedString()
        }
    }

    private static let version: UInt8 = 1
    private let current: Key
    private let retired: [Key]

    public init(current: Key, retired: [Key] = []) {
        self.current = current
        self.retired = retired
    }

    public func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: current.key)
        guard let combined = box.combined else { throw SecretBoxError.corrupt }
        return [Self.version, current.id] + [UInt8](combined)
    }

    public func seal(_ text: String) throws -> [UInt8] { try seal(Array(text.utf8)) }

    public func open(_ sealed: [UInt8]) throws -> [UInt8] {
        guard sealed.count > 2 + 12 + 16, sealed[0] == Self.version else { throw SecretBoxError.corrupt }
        guard let key = ([current] + retired).first(where: { $0.id == sealed[1] }) else {
            throw SecretBoxError.unknownKey(sealed[1])
        }
        let box = try AES.GCM.SealedBox(combined: sealed[2...])
        return [UInt8](try AES.GCM.open(box, using: key.key))
    }

    public func openText(_ sealed: [UInt8]) throws -> String {
        String(decoding: try open(sealed), as: UTF8.self)
    }
}

public enum SecretBoxError: Error, Equatable {
    case invalidKey(String)
    case corrupt
    case unknownKey(UInt8)
}

/// Random values for credentials, salts and tokens, from the system CSPRNG.
public enum RandomToken {
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    public static func alphanumeric(_ length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphanumerics.randomElement(using: &generator)! })
    }

    /// Uniform random decimal digits. Draws 64 random bits at a time and uses each byte below 250 (25 × 10, so
    /// every digit is equally likely); one system call serves several digits instead of one per digit.
    public static func digits(_ length: Int, firstNonZero: Bool = true) -> String {
        var generator = SystemRandomNumberGenerator()
        return digits(length, firstNonZero: firstNonZero, using: &generator)
    }

    /// The same from `generator` (identifiers on the writer draw from `IdentifierRandom`).
    public static func digits(_ length: Int, firstNonZero: Bool = true, using generator: inout some RandomNumberGenerator) -> String {
        var digits: [UInt8] = []
        digits.reserveCapacity(length)
        while digits.count < length {
            var bits = generator.next()
            for _ in 0..<8 where digits.count < length {
                let byte = UInt8(truncatingIfNeeded: bits)
                bits >>= 8
                guard byte < 250 else { continue }
                let digit = byte % 10
                if digits.isEmpty, firstNonZero, digit == 0 { continue }
                digits.append(48 + digit)
            }
        }
        return String(decoding: digits, as: UTF8.self)
    }

    public static func uuid() -> String { UUID().uuidString.lowercased() }
}
