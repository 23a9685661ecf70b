import Crypto
import Foundation
import FreedomPayWire

public struct GiftCardID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A prepaid gift card as stored: funds live on its ledger account, the PAN only sealed.
public struct GiftCard: Sendable, Equatable {
    public let id: GiftCardID
    public let partnerID: PartnerID
    public let productCode: Int
    public let holderName: String
    public let phone: String
    public let currency: Currency
    public let faceValueMinor: Int64
    public let panMask: String
    public var status: GiftCardStatusCode
    public var code: PendingCode?
    public let createdAt: Date

    public var account: AccountKey { .giftCard(String(id.rawValue), currency) }
}

/// The confirmation code waiting for `activate_card`: only a salted hash is kept.
public struct PendingCode: Sendable, Equatable {
    public let hash: String
    public let salt: String
    public let expiresAt: Date
    public var attempts: Int

    /// Generates a fresh code; returns the clear code (to send by SMS once) and what is stored.
    public static func issue(digits: Int = 4, validFor seconds: TimeInterval, now: Date) -> (code: String, pending: PendingCode) {
        let code = RandomToken.digits(digits, firstNonZero: false)
        let salt = RandomToken.alphanumeric(16)
        return (code, PendingCode(hash: hash(code, salt: salt), salt: salt, expiresAt: now.addingTimeInterval(seconds), attempts: 0))
    }

    static func hash(_ code: String, salt: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(code.utf8), using: SymmetricKey(data: Array(salt.utf8))))
    }

    func matches(_ code: String) -> Bool {
        ConstantTime.equals(Self.hash(code, salt: salt), hash)
    }
}

/// What a confirmation attempt does to a gift card (pure; the caller persists the result).
public enum GiftConfirmation: Equatable, Sendable {
    case activated
    case wrongCode(attemptsLeft: Int)
    case expired
    case attemptsExhausted
    case alreadyActivated
    case notConfirmable(GiftCardStatusCode)

    /// Applies one attempt with `code` at `now`, allowing `maxAttempts` wrong codes per issued code.
    public static func attempt(_ card: inout GiftCard, code: String, now: Date, maxAttempts: Int) -> GiftConfirmation {
        switch card.status {
        case .activated: return .alreadyActivated
        case .issued: break
        default: return .notConfirmable(card.status)
        }
        guard var pending = card.code else { return .expired }
        guard pending.attempts < maxAttempts else { return .attemptsExhausted }
        guard now < pending.expiresAt else { return .expired }
        if pending.matches(code) {
            card.status = .activated
            card.code = nil
            return .activated
        }
        pending.attempts += 1
        card.code = pending
        return pending.attempts >= maxAttempts ? .attemptsExhausted : .wrongCode(attemptsLeft: maxAttempts - pending.attempts)
    }
}

/// A gift-card refusal with its documented status code.
public struct GiftCardError: Error, Equatable, Sendable {
    public let status: GiftStatusCode
    public let message: String

    public init(_ status: GiftStatusCode, _ message: String) {
        self.status = status
        self.message = message
    }
}
