import Foundation
import FreedomPayWire

/// A validated `/api/reg2reg` request (merchant-api.md §3.15). Every failure names the field and its rule
/// and answers code 200 like every other Merchant API field error [inferred].
public struct PayoutDraft: Sendable, Equatable {
    public var orderID: String
    public var amountMinor: Int64
    public var description: String
    public var timeLimit: Date
    public var userID: String
    public var postLink: String
    public var cardToken: String

    static func invalid(_ message: String) -> PurchaseRuleViolation { PurchaseRuleViolation(.invalidParameter, message) }

    /// `pg_user_id`: 1–50 characters of `^[a-zA-Z0-9_-]+$`.
    public static func userID(_ rules: FieldRules) throws(PurchaseRuleViolation) -> String {
        guard let user = try rules.pattern(
            "pg_user_id", maxLength: 50, allowed: { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") },
            rule: "1..50 characters of a-z A-Z 0-9 _ -") else { throw invalid("pg_user_id is required") }
        return user
    }

    /// `pg_order_time_limit`: `Y-m-d H:i:s` (UTC [inferred]) and later than `now`.
    public static func timeLimit(_ rules: FieldRules, now: Date) throws(PurchaseRuleViolation) -> Date {
        guard let text = rules.value("pg_order_time_limit"), !text.isEmpty else { throw invalid("pg_order_time_limit is required") }
        guard let date = WireDate.parsePlain(text, timeZone: TimeZone(identifier: "UTC")!) else {
            throw invalid("pg_order_time_limit must be a date and time as Y-m-d H:i:s, e.g. 2025-01-16 10:00:00")
        }
        guard date > now else { throw invalid("pg_order_time_limit must be in the future") }
        return date
    }

    public static func validate(_ parameters: [PGParameter], now: Date) throws(PurchaseRuleViolation) -> PayoutDraft {
        let rules = FieldRules(parameters)
        let orderID = try rules.text("pg_order_id", required: true, maxLength: 50)!
        let amount = try rules.amount("pg_amount", required: true)!
        let description = try rules.text("pg_description", required: true, maxLength: 1024)!
        let timeLimit = try timeLimit(rules, now: now)
        let user = try userID(rules)
        guard let postLink = try rules.url("pg_post_link") else { throw invalid("pg_post_link is required") }
        let token = try rules.text("pg_card_token_to", required: true, maxLength: 255)!
        return PayoutDraft(orderID: orderID, amountMinor: amount, description: description, timeLimit: timeLimit,
                           userID: user, postLink: postLink, cardToken: token)
    }
}

/// A validated `/api/to_iban` request (merchant-api.md §3.17).
public struct IBANPayoutDraft: Sendable, Equatable {
    public var orderID: String
    public var amountMinor: Int64
    public var iban: String
    public var description: String
    public var postLink: String

    static func digits(_ rules: FieldRules, _ name: String, count: ClosedRange<Int>) throws(PurchaseRuleViolation) {
        guard let text = rules.value(name), !text.isEmpty else { throw PayoutDraft.invalid("\(name) is required") }
        guard count.contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PayoutDraft.invalid("\(name) must be \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound)..\(count.upperBound)") digits")
        }
    }

    public static func validate(_ parameters: [PGParameter]) throws(PurchaseRuleViolation) -> IBANPayoutDraft {
        let rules = FieldRules(parameters)
        let orderID = try rules.text("pg_order_id", required: true, maxLength: 50)!
        let amount = try rules.amount("pg_amount", required: true)!
        guard let rawIBAN = rules.value("pg_recipient_iban"), !rawIBAN.isEmpty else { throw PayoutDraft.invalid("pg_recipient_iban is required") }
        guard let iban = IBAN.normalized(rawIBAN) else {
            throw PayoutDraft.invalid("pg_recipient_iban must be a valid IBAN (ISO 13616: country, check digits, mod-97 checksum)")
        }
        try digits(rules, "pg_recipient_iin", count: 12...12)
        _ = try rules.text("pg_recipient_name", required: true, maxLength: 255)
        try digits(rules, "pg_recipient_kbe", count: 2...2)
        try digits(rules, "pg_knp", count: 3...3)
        guard try rules.pattern("pg_bank_bik", maxLength: 11, allowed: { $0.isASCII && ($0.isLetter || $0.isNumber) },
                                rule: "6..11 letters and digits", minLength: 6) != nil else { throw PayoutDraft.invalid("pg_bank_bik is required") }
        let description = try rules.text("pg_description", required: true, maxLength: 1024)!
        guard let postLink = try rules.url("pg_post_link") else { throw PayoutDraft.invalid("pg_post_link is required") }
        return IBANPayoutDraft(orderID: orderID, amountMinor: amount, iban: iban, description: description, postLink: postLink)
    }
}
