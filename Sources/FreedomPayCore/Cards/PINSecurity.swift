import Crypto
import Foundation
import _CryptoExtras

/// PINs are kept only as salted PBKDF2-HMAC-SHA256 hashes: `pbkdf2-sha256$rounds$salt$hash` (Base64),
/// slow enough that a stolen table cannot be brute-forced cheaply per card.
public enum PINHash {
    public static let defaultRounds = 100_000

    /// A PIN is exactly four digits.
    public static func validate(_ pin: String) throws(CardRuleError) {
        guard pin.count == 4, pin.allSatisfy(\.isASCIIDigit) else {
            throw .validation("field 'pin' must decrypt to exactly 4 digits")
        }
    }

    public static func make(_ pin: String, rounds: Int = defaultRounds) throws -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(try derive(pin, salt: salt, rounds: rounds))"
    }

    public static func verify(_ pin: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0, rounds <= 10_000_000,
              let salt = Data(base64Encoded: parts[2]), let expected = try? derive(pin, salt: [UInt8](salt), rounds: rounds)
        else { return false }
        return constantTimeEqual(Array(expected.utf8), Array(parts[3].utf8))
    }

    private static func derive(_ pin: String, salt: [UInt8], rounds: Int) throws -> String {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(pin.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The wrong-PIN counter: after `maxFailedTries` wrong PINs the card refuses PIN use until
/// `card/reset_counter_pin` (card-api.md §4.3, sandbox default 3 [inferred]).
public struct PINTryCounter: Sendable, Equatable {
    public static let maxFailedTries = 3

    public enum Outcome: Equatable, Sendable {
        case accepted
        case wrong(remainingTries: Int)
        /// Too many wrong tries: even the right PIN is refused.
        case locked
        /// No PIN has been set on this card.
        case noPIN
    }

    public private(set) var failedTries: Int

    public init(failedTries: Int) { self.failedTries = max(0, failedTries) }

    public var isLocked: Bool { failedTries >= Self.maxFailedTries }

    /// Records one PIN attempt whose correctness is `correct`.
    public mutating func record(correct: Bool) -> Outcome {
        if isLocked { return .locked }
        if correct {
            failedTries = 0
            return .accepted
        }
        failedTries += 1
        return isLocked ? .locked : .wrong(remainingTries: Self.maxFailedTries - failedTries)
    }

    public mutating func reset() { failedTries = 0 }
}
